import { createHmac, timingSafeEqual } from 'node:crypto';
import { RequestValidationError } from './errors.js';

/** How long a NextToken stays valid (Voice ID: 24 hours). */
export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** What a NextToken carries: the listing it belongs to, the store's cursor, and its expiry. */
export interface TokenPayload {
  /** Names the listing, e.g. `ListSpeakers/<domainId>`, so a token cannot be replayed on another one. */
  readonly scope: string;
  readonly cursor: string;
  readonly expiresAtMs: number;
}

function sign(key: Uint8Array, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

/**
 * Wraps a store cursor into an opaque NextToken: base64url JSON, then `.`, then an HMAC-SHA256 of it.
 * @example encodeNextToken(key, { scope: 'ListSpeakers/abc', cursor, expiresAtMs })
 */
export function encodeNextToken(key: Uint8Array, payload: TokenPayload): string {
  const body = Buffer.from(JSON.stringify({ s: payload.scope, c: payload.cursor, e: payload.expiresAtMs })).toString('base64url');
  return `${body}.${sign(key, body).toString('base64url')}`;
}

/**
 * Checks a NextToken and returns the store cursor in it.
 * @throws RequestValidationError when the token was altered, belongs to another listing, or has expired.
 */
export function decodeNextToken(key: Uint8Array, token: string, scope: string, nowMs: number): string {
  const invalid = (why: string) => new RequestValidationError(`Invalid NextToken: ${why}`);
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) throw invalid('malformed');
  const expected = sign(key, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('signature mismatch');
  let decoded: { s?: unknown; c?: unknown; e?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch (error) {
    throw new RequestValidationError('Invalid NextToken: malformed', { cause: error });
  }
  if (typeof decoded.s !== 'string' || typeof decoded.c !== 'string' || typeof decoded.e !== 'number') {
    throw invalid('malformed');
  }
  if (decoded.s !== scope) throw invalid('it belongs to a different request; keep all other arguments unchanged');
  if (decoded.e <= nowMs) throw invalid('expired');
  return decoded.c;
}
