import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type LocalApiServer } from '../../../../lambdas/local/gateway/api-server.js';
import { SigV4Verifier } from '../../../../lambdas/local/gateway/sigv4-verifier.js';

const credentials = { accessKeyId: 'AKIATESTTESTTESTTEST', secretAccessKey: 'secret/secret/secret/secret/secret/secre' };
const BODY_BYTES = 9 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x20);

let server: LocalApiServer;
let invocations = 0;

beforeAll(async () => {
  server = await startApiServer({
    port: 0,
    accountId: '000000000000',
    verifier: new SigV4Verifier({ credentials, region: 'us-east-1' }),
    invoke: async () => {
      invocations += 1;
      return { statusCode: 200, body: '{}' };
    },
    onError: () => undefined,
  });
});

afterAll(async () => {
  await server.stop();
});

/**
 * Announces a 9 MB body, sends only its first 64 KB and waits for the answer: it can only arrive if the
 * server answered without reading the body. Resolves with the response and whether the upload was still open.
 */
async function answerToPartialUpload(headers: Record<string, string>): Promise<{ response: IncomingMessage; body: string; uploadUnfinished: boolean }> {
  const url = new URL(server.endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: { ...headers, 'content-length': String(BODY_BYTES) } });
    req.on('error', reject);
    req.on('response', (response) => {
      const uploadUnfinished = !req.writableEnded;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        req.destroy();
        resolve({ response, body: Buffer.concat(chunks).toString('utf8'), uploadUnfinished });
      });
    });
    req.write(CHUNK);
  });
}

const target = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'VoiceID.ListDomains' };

describe('local API server before the body', () => {
  it('refuses an unsigned request with its 403 while the body is still being sent', async () => {
    // Act
    const { response, body, uploadUnfinished } = await answerToPartialUpload(target);
    // Assess
    expect(response.statusCode).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(JSON.parse(body)).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    expect(uploadUnfinished).toBe(true);
    expect(invocations).toBe(0);
  });

  it('refuses an unknown access key with its 403 while the body is still being sent', async () => {
    // Prepare
    const authorization = `AWS4-HMAC-SHA256 Credential=AKIAUNKNOWNUNKNOWN00/20261201/us-east-1/voiceid/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`;
    // Act
    const { response, uploadUnfinished } = await answerToPartialUpload({ ...target, authorization, 'x-amz-date': '20261201T000000Z' });
    // Assess
    expect(response.statusCode).toBe(403);
    expect(response.headers['x-amzn-errortype']).toBe('UnrecognizedClientException');
    expect(uploadUnfinished).toBe(true);
    expect(invocations).toBe(0);
  });
});

describe('local API server payload quota', () => {
  it('answers 413 for a declared body over 10 MB before checking the signature or reading it', async () => {
    // Prepare
    const url = new URL(server.endpoint);
    // Act
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: { ...target, 'content-length': String(11 * 1024 * 1024) } });
      req.on('error', reject);
      req.on('response', (res) => {
        res.resume();
        req.destroy();
        resolve(res);
      });
      req.write(CHUNK);
    });
    // Assess
    expect(response.statusCode).toBe(413);
    expect(response.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
  });
});
