/** What every Voice ID service needs, and the checks they share (active domain, paging). */
import { ResourceConflictError, domainNotFound } from './errors.js';
import type { ArnContext } from './ids.js';
import { TOKEN_LIFETIME_MS, decodeNextToken, encodeNextToken } from './pagination.js';
import type { DomainKeyRef, ReencryptionLauncher, VoiceIdStorage } from './ports.js';
import type { Quotas } from './quotas.js';
import type { DomainRecord, Page, PageRequest } from './types.js';

/** The ports and settings the Voice ID services run on. */
export interface VoiceIdDependencies extends VoiceIdStorage {
  readonly quotas: Quotas;
  /** Region and account that Timbre's ARNs carry. */
  readonly arn: ArnContext;
  /** Current time in epoch milliseconds. @default Date.now */
  readonly clock?: () => number;
  /**
   * Starts the re-encryption a key change needs (the domain-reencrypt Lambda in AWS).
   * @default runs it in this process, in the background (InProcessReencryptionLauncher)
   */
  readonly reencryption?: ReencryptionLauncher;
  /** Where the services report what a caller's answer does not show (the Lambda's logger). @default console */
  readonly log?: VoiceIdLog;
}

/** The warnings the services log; the Powertools Logger is one. */
export interface VoiceIdLog {
  warn(message: string, details: Record<string, unknown>): void;
}

/** Paging arguments as the API passes them. */
export interface ListInput {
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/** One page of results with the NextToken for the next one (absent on the last page). */
export interface ListOutput<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

/** The current time of the dependencies' clock. */
export function nowMs(deps: Pick<VoiceIdDependencies, 'clock'>): number {
  return (deps.clock ?? Date.now)();
}

/**
 * The domain, if it exists and is not soft-deleted (a deleted domain is hidden, as Voice ID hides it).
 * @throws ResourceNotFoundError(DOMAIN)
 */
export async function requireDomain(deps: VoiceIdDependencies, domainId: string): Promise<DomainRecord> {
  const domain = await deps.domains.getDomain(domainId);
  if (domain === undefined || domain.deletedAtMs !== undefined) {
    throw domainNotFound(domainId);
  }
  return domain;
}

/**
 * The domain, if it exists and is ACTIVE.
 * @throws ResourceNotFoundError(DOMAIN), ResourceConflictError(DOMAIN_NOT_ACTIVE)
 */
export async function requireActiveDomain(deps: VoiceIdDependencies, domainId: string): Promise<DomainRecord> {
  const domain = await requireDomain(deps, domainId);
  if (domain.status !== 'ACTIVE') {
    throw new ResourceConflictError('DOMAIN_NOT_ACTIVE', `The domain is not active (status ${domain.status})`);
  }
  return domain;
}

/** What envelope encryption needs to know about a domain. */
export function keyRef(domain: DomainRecord): DomainKeyRef {
  return { domainId: domain.domainId, domainArn: domain.arn, kmsKeyId: domain.kmsKeyId };
}

/**
 * Serves one page of a listing: checks the NextToken against `scope`, asks the store for the page and
 * wraps the store's cursor into the next signed token.
 */
export async function listPage<T>(
  deps: VoiceIdDependencies,
  scope: string,
  input: ListInput,
  defaultLimit: number,
  fetch: (page: PageRequest) => Promise<Page<T>>,
): Promise<ListOutput<T>> {
  const key = await deps.tokenKeys.getTokenKey();
  const now = nowMs(deps);
  const cursor = input.nextToken ? decodeNextToken(key, input.nextToken, scope, now) : undefined;
  const page = await fetch({ cursor, limit: input.maxResults ?? defaultLimit });
  if (page.cursor === undefined) return { items: page.items };
  return {
    items: page.items,
    nextToken: encodeNextToken(key, { scope, cursor: page.cursor, expiresAtMs: now + TOKEN_LIFETIME_MS }),
  };
}
