import { describe, expect, it } from 'vitest';
import { RequestValidationError, idempotencyKey, requestHash } from '../../../lambdas/voiceid/index.js';
import { replayedResourceId } from '../../../lambdas/voiceid/idempotency.js';

describe('idempotency', () => {
  it('hashes requests independently of member order and undefined members', () => {
    expect(requestHash({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(requestHash({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ tags: [1, 2] })).not.toBe(requestHash({ tags: [2, 1] }));
  });

  it('scopes keys by operation and owner', () => {
    expect(idempotencyKey('CreateDomain', '000000000000', 't')).not.toBe(idempotencyKey('CreateWatchlist', '000000000000', 't'));
  });

  it('replays the first resource for the same request and refuses a different one', () => {
    const record = { key: 'k', requestHash: 'h1', resourceId: 'r1', expiresAtMs: 1 };
    expect(replayedResourceId(undefined, 'h1')).toBeUndefined();
    expect(replayedResourceId(record, 'h1')).toBe('r1');
    expect(() => replayedResourceId(record, 'h2')).toThrow(RequestValidationError);
  });
});
