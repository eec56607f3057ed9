import { createHash } from 'node:crypto';
import { RequestValidationError } from './errors.js';
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
