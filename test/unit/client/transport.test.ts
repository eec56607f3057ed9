/**
 * The typed client's wire behaviour against a scripted HTTP server: what it sends (target, content type,
 * SigV4 scope, path, base64 audio pieces), what it retries, and how many times.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AudioTooLargeError, MAX_SESSION_AUDIO_BYTES, TimbreClientError, TimbreResponseError, TimbreServiceError, TimbreSessionClient, errorTypeOf } from '../../../lambdas/client/index.js';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** One scripted answer: status, body text, extra headers. */
type Answer = { status: number; body: string; headers?: Record<string, string> };

let server: Server;
let endpoint = '';
let received: Received[] = [];
let script: Answer[] = [];
const OK: Answer = { status: 200, body: '{"Session":{"SessionId":"id#abcdefghijklmnopqrstuv","NetSpeechSeconds":1}}' };

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      const answer = script.shift() ?? OK;
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  script = [];
});

function client(overrides: { endpoint?: string; maxAttempts?: number; signingName?: string } = {}): TimbreSessionClient {
  return new TimbreSessionClient({ endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'secret' }, retryBaseDelayMs: 1, ...overrides });
}

const error = (status: number, type: string, extra: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify({ __type: `com.amazonaws.voiceid#${type}`, Message: `${type} happened`, ...extra }),
});

describe('TimbreSessionClient on the wire', () => {
  it('posts awsJson1_0 with X-Amz-Target, signed for the signing name and region, to the endpoint path with a slash', async () => {
    await client({ endpoint: `${endpoint}/prod`, signingName: 'execute-api' }).describeSession({ DomainId: 'D', SessionNameOrId: 'S' });

    const [request] = received;
    expect(request!.url).toBe('/prod/');
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request!.headers['x-amz-target']).toBe('VoiceID.DescribeSession');
    expect(request!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATEST\/\d{8}\/eu-west-2\/execute-api\/aws4_request, SignedHeaders=[^ ]*content-type;host;[^ ]*x-amz-target/);
    expect(request!.body).toEqual({ DomainId: 'D', SessionNameOrId: 'S' });
  });

  it('fills in a ClientToken for StartSession, keeps one given', async () => {
    await client().startSession({ DomainId: 'D', SessionName: 'call-1' });
    await client().startSession({ DomainId: 'D', SessionName: 'call-2', ClientToken: 'mine' });
    expect(received[0]!.body.ClientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(received[1]!.body.ClientToken).toBe('mine');
  });

  it('retries 5xx and throttling, then answers', async () => {
    script = [error(500, 'InternalServerException'), error(429, 'ThrottlingException')];
    const answer = await client().send('DescribeSession', {});
    expect(answer).toEqual(JSON.parse(OK.body));
    expect(received.length).toBe(3);
  });

  it('gives up after maxAttempts with the last error, typed', async () => {
    script = [error(503, 'InternalServerException'), error(503, 'InternalServerException'), error(503, 'InternalServerException')];
    const failure = await client({ maxAttempts: 2 }).send('DescribeSession', {}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TimbreServiceError);
    expect(failure).toMatchObject({ name: 'InternalServerException', $fault: 'server', $metadata: { httpStatusCode: 503, attempts: 2, requestId: 'req-1' } });
    expect(received.length).toBe(2);
  });

  it('does not retry a client error, and copies ConflictType; the header names the type when present', async () => {
    script = [{ ...error(409, 'ConflictException', { ConflictType: 'ANOTHER_ACTIVE_STREAM' }), headers: { 'x-amzn-errortype': 'ConflictException:http://internal/' } }];
    const failure = await client().startSession({ DomainId: 'D', SessionName: 'x' }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'ConflictException', ConflictType: 'ANOTHER_ACTIVE_STREAM', message: 'ConflictException happened', $metadata: { attempts: 1 } });
    expect(received.length).toBe(1);
  });

  it('refuses an answer that is not JSON with a typed error', async () => {
    script = [{ status: 502, body: '<html>bad gateway</html>' }];
    await expect(client({ maxAttempts: 1 }).send('DescribeSession', {})).rejects.toBeInstanceOf(TimbreResponseError);
  });

  it('reads error types the way the AWS SDK does', () => {
    expect(errorTypeOf('com.amazonaws.voiceid#ConflictException')).toBe('ConflictException');
    expect(errorTypeOf('ConflictException:http://internal.amazon.com/')).toBe('ConflictException');
    expect(errorTypeOf('ValidationException,other')).toBe('ValidationException');
  });
});

describe('TimbreSessionClient audio', () => {
  const ref = { DomainId: 'D', SessionNameOrId: 'S' };

  it('sends a file as base64 in one call', async () => {
    await client().putSessionAudio({ ...ref, Audio: new Uint8Array([1, 2, 3]), EndOfStream: true });
    expect(received[0]!.body).toEqual({ ...ref, Audio: 'AQID', EndOfStream: true });
  });

  it('refuses audio over 4 MB before sending anything', async () => {
    const big = new Uint8Array(MAX_SESSION_AUDIO_BYTES + 1);
    await expect(client().putSessionAudio({ ...ref, Audio: big })).rejects.toBeInstanceOf(AudioTooLargeError);
    expect(received).toEqual([]);
  });

  it('putPcm sends consecutive PCM_S16LE pieces, EndOfStream on the last only', async () => {
    const pcm = Uint8Array.from({ length: 10 }, (_, i) => i);
    const seen: number[] = [];
    await client().putPcm(ref, pcm, { pieceBytes: 4, sampleRateHz: 16000, endOfStream: true, onPiece: (_, sent) => seen.push(sent) });

    expect(received.map((r) => Buffer.from(r.body.Audio as string, 'base64').length)).toEqual([4, 4, 2]);
    expect(Buffer.concat(received.map((r) => Buffer.from(r.body.Audio as string, 'base64')))).toEqual(Buffer.from(pcm));
    expect(received.map((r) => r.body.EndOfStream)).toEqual([undefined, undefined, true]);
    expect(received.every((r) => r.body.Encoding === 'PCM_S16LE' && r.body.SampleRateHz === 16000)).toBe(true);
    expect(seen).toEqual([4, 8, 10]);
  });

  it('putPcm refuses an odd byte count or piece size and sends nothing', async () => {
    await expect(client().putPcm(ref, new Uint8Array(3))).rejects.toBeInstanceOf(TimbreClientError);
    await expect(client().putPcm(ref, new Uint8Array(4), { pieceBytes: 3 })).rejects.toBeInstanceOf(TimbreClientError);
    expect(received).toEqual([]);
  });
});
