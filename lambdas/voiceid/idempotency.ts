/** Voice ID's ClientToken rule: a create repeated with the same token and parameters returns the first result. */
import { createHash } from 'node:crypto';
import { type VoiceIdDependencies, nowMs } from './context.js';
import { RequestValidationError, ResourceConflictError } from './errors.js';
import type { IdempotencyRecord } from './ports.js';

/** How long a ClientToken is remembered. */
export const CLIENT_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** A stable hash of a request's parameters (ClientToken excluded), independent of member order. */
export function requestHash(parameters: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(parameters)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The storage key of a ClientToken: per operation and scope (account or domain). */
export function idempotencyKey(operation: string, scope: string, clientToken: string): string {
  return `${operation}#${scope}#${clientToken}`;
}

/**
 * The resource a repeated ClientToken already made, or undefined for a fresh token.
 * @throws RequestValidationError when the token was used with different parameters.
 */
export function replayedResourceId(existing: IdempotencyRecord | undefined, hash: string): string | undefined {
  if (existing === undefined) return undefined;
  if (existing.requestHash !== hash) {
    throw new RequestValidationError('The ClientToken has already been used with different request parameters');
  }
  return existing.resourceId;
}

/** One idempotent create's request, as far as its ClientToken is concerned. */
export interface ClientTokenUse<T> {
  /** The operation, e.g. `CreateWatchlist`. */
  readonly operation: string;
  /** Whose tokens these are: the account for domains, the domain for resources in it. */
  readonly scope: string;
  readonly clientToken: string | undefined;
  /** The request's parameters (ClientToken excluded): a replay must repeat them. */
  readonly parameters: Record<string, unknown>;
  /** Reads the resource a remembered token made; undefined when it no longer exists. */
  readonly find: (resourceId: string) => Promise<T | undefined>;
}

/** The record that claims the ClientToken for the resource `resourceId`; undefined when the request has no token. */
export type ClaimFor = (resourceId: string) => IdempotencyRecord | undefined;

/**
 * Runs an idempotent create. A ClientToken already used with the same parameters returns the resource it made
 * (while that exists); otherwise `create` runs, and writes the record `claim` builds in the same transaction
 * as the resource, so that the token is claimed exactly when the resource is made. When a concurrent request
 * with the same token claims it first, this one answers with that request's resource, as a retry would.
 * @throws RequestValidationError when the token was used with different parameters.
 * @example withClientToken(deps, use, (claim) => store.create(resource, { idempotency: claim(resource.id) }))
 */
export async function withClientToken<T>(
  deps: Pick<VoiceIdDependencies, 'clientTokens' | 'clock'>,
  use: ClientTokenUse<T>,
  create: (claim: ClaimFor) => Promise<T>,
): Promise<T> {
  if (!use.clientToken) return create(() => undefined);
  const key = idempotencyKey(use.operation, use.scope, use.clientToken);
  const hash = requestHash(use.parameters);
  const replay = async (): Promise<T | undefined> => {
    const replayed = replayedResourceId(await deps.clientTokens.get(key), hash);
    return replayed === undefined ? undefined : use.find(replayed);
  };
  const previous = await replay();
  if (previous !== undefined) return previous;
  try {
    return await create((resourceId) => ({ key, requestHash: hash, resourceId, expiresAtMs: nowMs(deps) + CLIENT_TOKEN_LIFETIME_MS }));
  } catch (error) {
    if (!(error instanceof ResourceConflictError && error.conflictType === 'CONCURRENT_CHANGES')) throw error;
    const winner = await replay();
    if (winner === undefined) throw error;
    return winner;
  }
}
