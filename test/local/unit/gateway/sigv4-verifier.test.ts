import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SigV4Verifier, type SignedRequest } from '../../../../lambdas/local/gateway/sigv4-verifier.js';

const credentials = { accessKeyId: 'AKIATESTTESTTESTTEST', secretAccessKey: 'secret/secret/secret/secret/secret/secre' };

class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined || typeof secret === 'string' ? secret : ArrayBuffer.isView(secret) ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : Buffer.from(secret);
    this.hash = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** Signs a request the way the SDK does and returns it in the verifier's shape. */
async function signed(body: string, signingDate: Date, service = 'voiceid', region = 'us-east-1', unsignableHeaders?: Set<string>): Promise<SignedRequest> {
  const signer = new SignatureV4({ credentials, region, service, sha256: Sha256 });
  const request = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 8787, path: '/', query: {},
    headers: { host: '127.0.0.1:8787', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'VoiceID.ListDomains' },
    body,
  }, { signingDate, unsignableHeaders });
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: 'POST', path: '/', query: {}, headers, body: Buffer.from(body) };
}

describe('SigV4Verifier', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const verifier = new SigV4Verifier({ credentials, region: 'us-east-1', now: () => now });

  it('accepts a request signed with the credentials for voiceid or execute-api', async () => {
    expect(await verifier.verify(await signed('{}', now))).toBeUndefined();
    expect(await verifier.verify(await signed('{}', now, 'execute-api'))).toBeUndefined();
  });

  it('accepts clock skew up to 15 minutes and refuses more', async () => {
    expect(await verifier.verify(await signed('{}', new Date(now.getTime() - 14 * 60_000)))).toBeUndefined();
    expect((await verifier.verify(await signed('{}', new Date(now.getTime() - 16 * 60_000))))?.errorType).toBe('InvalidSignatureException');
  });

  it('refuses another signing service or region', async () => {
    expect((await verifier.verify(await signed('{}', now, 's3')))?.errorType).toBe('InvalidSignatureException');
    expect((await verifier.verify(await signed('{}', now, 'voiceid', 'eu-west-1')))?.errorType).toBe('InvalidSignatureException');
  });

  it('refuses a body or signed header changed after signing', async () => {
    const request = await signed('{"MaxResults":1}', now);
    expect((await verifier.verify({ ...request, body: Buffer.from('{"MaxResults":2}') }))?.errorType).toBe('InvalidSignatureException');
    expect((await verifier.verify({ ...request, headers: { ...request.headers, 'x-amz-target': 'VoiceID.DeleteDomain' } }))?.errorType).toBe('InvalidSignatureException');
  });

  it('names the missing token and the unknown key as AWS does', async () => {
    const request = await signed('{}', now);
    const { authorization, ...unsigned } = request.headers;
    expect((await verifier.verify({ ...request, headers: unsigned }))?.errorType).toBe('MissingAuthenticationTokenException');
    const otherKey = String(authorization).replace(credentials.accessKeyId, 'AKIAOTHEROTHEROTHER0');
    expect((await verifier.verify({ ...request, headers: { ...request.headers, authorization: otherKey } }))?.errorType).toBe('UnrecognizedClientException');
  });

  it('refuses a signature that leaves out X-Amz-Target or Content-Type, so the operation cannot be swapped', async () => {
    // Prepare
    const withoutTarget = await signed('{}', now, 'voiceid', 'us-east-1', new Set(['x-amz-target']));
    const withoutType = await signed('{}', now, 'voiceid', 'us-east-1', new Set(['content-type']));
    const swapped = { ...withoutTarget, headers: { ...withoutTarget.headers, 'x-amz-target': 'VoiceID.DeleteDomain' } };
    // Act
    const failures = [await verifier.verify(swapped), verifier.checkHead(swapped), await verifier.verify(withoutType)];
    // Assess
    expect(failures).toEqual([
      { errorType: 'InvalidSignatureException', message: "'X-Amz-Target' must be a signed header" },
      { errorType: 'InvalidSignatureException', message: "'X-Amz-Target' must be a signed header" },
      { errorType: 'InvalidSignatureException', message: "'Content-Type' must be a signed header" },
    ]);
  });
});
