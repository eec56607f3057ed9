import { describe, expect, it } from 'vitest';
import {
  CLIENT_TOKEN_LIFETIME_MS,
  RequestValidationError,
  idempotencyKey,
  requestHash,
  withClientToken,
  type ClaimFor,
  type IdempotencyRecord,
} from '../../../lambdas/voiceid/index.js';
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

describe('withClientToken', () => {
  const NOW = Date.UTC(2026, 0, 1);
  /** A ClientToken store holding what `create` claimed, and a resource store, both in memory. */
  function harness() {
    const claims = new Map<string, IdempotencyRecord>();
    const resources = new Map<string, string>();
    const deps = { clientTokens: { get: async (key: string) => claims.get(key) }, clock: () => NOW };
    let created = 0;
    const create = async (claim: ClaimFor) => {
      created += 1;
      const id = `r${created}`;
      resources.set(id, `resource ${id}`);
      const record = claim(id);
      if (record !== undefined) claims.set(record.key, record);
      return resources.get(id) as string;
    };
    const use = (clientToken: string | undefined, parameters: Record<string, unknown> = { name: 'a' }) => ({
      operation: 'CreateWatchlist',
      scope: 'domain-1',
      clientToken,
      parameters,
      find: async (id: string) => resources.get(id),
    });
    return { deps, claims, resources, create, use, createdCount: () => created };
  }

  it('creates and claims the token on first use, with the key, hash and lifetime of the request', async () => {
    const { deps, claims, create, use } = harness();
    expect(await withClientToken(deps, use('t1'), create)).toBe('resource r1');
    expect([...claims.values()]).toEqual([
      { key: idempotencyKey('CreateWatchlist', 'domain-1', 't1'), requestHash: requestHash({ name: 'a' }), resourceId: 'r1', expiresAtMs: NOW + CLIENT_TOKEN_LIFETIME_MS },
    ]);
  });

  it('returns the first resource for a repeated token and parameters, without creating again', async () => {
    const { deps, create, use, createdCount } = harness();
    await withClientToken(deps, use('t1'), create);
    expect(await withClientToken(deps, use('t1'), create)).toBe('resource r1');
    expect(createdCount()).toBe(1);
  });

  it('refuses a repeated token with other parameters', async () => {
    const { deps, create, use, createdCount } = harness();
    await withClientToken(deps, use('t1'), create);
    await expect(withClientToken(deps, use('t1', { name: 'b' }), create)).rejects.toBeInstanceOf(RequestValidationError);
    expect(createdCount()).toBe(1);
  });

  it('creates again, offering the claim, when the resource a token made is gone', async () => {
    const { deps, claims, resources, create, use } = harness();
    await withClientToken(deps, use('t1'), create);
    resources.delete('r1');
    expect(await withClientToken(deps, use('t1'), create)).toBe('resource r2');
    expect(claims.get(idempotencyKey('CreateWatchlist', 'domain-1', 't1'))?.resourceId).toBe('r2');
  });

  it('creates without a claim when the request has no token', async () => {
    const { deps, claims, create, use, createdCount } = harness();
    await withClientToken(deps, use(undefined), create);
    await withClientToken(deps, use(undefined), create);
    expect(createdCount()).toBe(2);
    expect(claims.size).toBe(0);
  });
});
