import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RequestValidationError, decodeNextToken, encodeNextToken } from '../../../lambdas/voiceid/index.js';

const key = randomBytes(32);
const now = 1_800_000_000_000;
const payload = { scope: 'ListSpeakers/Ab12Cd34Ef56Gh78Ij90Kl', cursor: 'eyJwayI6IkRPTUFJTiJ9', expiresAtMs: now + 60_000 };

describe('NextToken encoding', () => {
  it('round-trips the store cursor', () => {
    const token = encodeNextToken(key, payload);
    expect(token).toMatch(/^[\x21-\x7e]+$/);
    expect(decodeNextToken(key, token, payload.scope, now)).toBe(payload.cursor);
  });

  it('refuses a token whose body was altered', () => {
    // Prepare
    const [body, signature] = encodeNextToken(key, payload).split('.');
    const forged = Buffer.from(JSON.stringify({ s: payload.scope, c: 'b3RoZXI', e: payload.expiresAtMs })).toString('base64url');
    // Act / Assess
    expect(body).not.toBe(forged);
    expect(() => decodeNextToken(key, `${forged}.${signature}`, payload.scope, now)).toThrow(RequestValidationError);
  });

  it('refuses a token signed with another key', () => {
    const token = encodeNextToken(randomBytes(32), payload);
    expect(() => decodeNextToken(key, token, payload.scope, now)).toThrow('signature mismatch');
  });

  it('refuses a token from another listing', () => {
    const token = encodeNextToken(key, payload);
    expect(() => decodeNextToken(key, token, 'ListSpeakers/Zz12Cd34Ef56Gh78Ij90Kl', now)).toThrow('different request');
  });

  it('refuses an expired token', () => {
    const token = encodeNextToken(key, payload);
    expect(() => decodeNextToken(key, token, payload.scope, payload.expiresAtMs)).toThrow('expired');
  });

  it('refuses garbage', () => {
    for (const token of ['x', 'a.b.c', '.', 'not base64!.sig']) {
      expect(() => decodeNextToken(key, token, payload.scope, now)).toThrow(RequestValidationError);
    }
  });
});
