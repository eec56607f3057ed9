/** Voice ID's domain operations: create (with its default watchlist), describe, update, delete, list. */
import { type ListInput, type ListOutput, type VoiceIdDependencies, keyRef, listPage, nowMs, requireActiveDomain, requireDomain } from './context.js';
import { requireUsableKey } from './encryption-keys.js';
import { type ClaimFor, withClientToken } from './idempotency.js';
import { domainArn, newUniqueId } from './ids.js';
import { domainPurgeAtMs } from './lifecycle.js';
import { RequestValidationError, ResourceConflictError, domainNotFound } from './errors.js';
import type { DomainRecord, Tag, WatchlistRecord } from './types.js';

/** CreateDomain's parameters. */
export interface CreateDomainInput {
  readonly name: string;
  readonly description?: string;
  readonly kmsKeyId: string;
  readonly tags?: readonly Tag[];
  readonly clientToken?: string;
}

/** UpdateDomain's parameters (clobber semantics: an omitted description is removed). */
export interface UpdateDomainInput {
  readonly domainId: string;
  readonly name: string;
  readonly description?: string;
  readonly kmsKeyId: string;
}

/** The default watchlist's name; Voice ID gives it one the customer cannot change. */
export const DEFAULT_WATCHLIST_NAME = 'Default';

/** A re-encryption older than this is treated as abandoned, so UpdateDomain may retry it. */
const STALE_REENCRYPTION_MS = 15 * 60 * 1000;

/**
 * `updatedAtMs` doubles as the domain's version for optimistic writes, so every write must move it forward, even two
 * in one millisecond: otherwise a request that read the old value would still pass the check and overwrite.
 */
function nextVersionMs(nowMs: number, previousMs: number): number {
  return Math.max(nowMs, previousMs + 1);
}

/** Domain operations. */
export class DomainService {
  constructor(private readonly deps: VoiceIdDependencies) {}

  /** Creates a domain and its default watchlist; a repeated ClientToken returns the first result. */
  async create(input: CreateDomainInput): Promise<DomainRecord> {
    const { deps } = this;
    const tags = dedupeTags(input.tags ?? []);
    if (tags.length > deps.quotas.tagsPerResource) {
      throw new RequestValidationError(`A resource can have at most ${deps.quotas.tagsPerResource} tags`);
    }
    const use = {
      operation: 'CreateDomain',
      scope: deps.arn.accountId,
      clientToken: input.clientToken,
      parameters: { name: input.name, description: input.description, kmsKeyId: input.kmsKeyId, tags },
      find: (domainId: string) => deps.domains.getDomain(domainId),
    };
    return withClientToken(deps, use, (claim) => this.createClaiming(input, tags, claim));
  }

  /** Creates a fresh domain, claiming the ClientToken (if any) in the same write. */
  private async createClaiming(input: CreateDomainInput, tags: readonly Tag[], claim: ClaimFor): Promise<DomainRecord> {
    const { deps } = this;
    await requireUsableKey(deps.keys, input.kmsKeyId);
    const now = nowMs(deps);
    const domainId = newUniqueId();
    const defaultWatchlist: WatchlistRecord = {
      domainId,
      watchlistId: newUniqueId(),
      name: DEFAULT_WATCHLIST_NAME,
      description: 'Default watchlist of the domain',
      defaultWatchlist: true,
      createdAtMs: now,
      updatedAtMs: now,
    };
    const domain: DomainRecord = {
      domainId,
      arn: domainArn(deps.arn, domainId),
      name: input.name,
      ...(input.description !== undefined && { description: input.description }),
      status: 'ACTIVE',
      kmsKeyId: input.kmsKeyId,
      defaultWatchlistId: defaultWatchlist.watchlistId,
      tags,
      createdAtMs: now,
      updatedAtMs: now,
    };
    await deps.domains.createDomain(domain, defaultWatchlist, { maxDomains: deps.quotas.domainsPerRegion, idempotency: claim(domainId) });
    return domain;
  }

  /** The domain, unless it does not exist or is soft-deleted. */
  describe(domainId: string): Promise<DomainRecord> {
    return requireDomain(this.deps, domainId);
  }

  /**
   * Replaces the domain's name, description and key. A new key re-wraps every voiceprint and audio item
   * under it before returning; `ServerSideEncryptionUpdateDetails` records the outcome. Calling again with
   * the same key after a FAILED update retries it.
   */
  async update(input: UpdateDomainInput): Promise<DomainRecord> {
    const { deps } = this;
    const domain = await requireActiveDomain(deps, input.domainId);
    const now = nowMs(deps);
    const renamed: DomainRecord = {
      ...withoutDescription(domain),
      name: input.name,
      ...(input.description !== undefined && { description: input.description }),
      updatedAtMs: nextVersionMs(now, domain.updatedAtMs),
    };
    const update = domain.encryptionUpdate;
    const inProgress = update?.updateStatus === 'IN_PROGRESS' && now - domain.updatedAtMs < STALE_REENCRYPTION_MS;
    if (input.kmsKeyId !== domain.kmsKeyId) {
      if (inProgress) {
        throw new ResourceConflictError(
          'DOMAIN_LOCKED_FROM_ENCRYPTION_UPDATES',
          'A previous KMS key change of this domain is still in progress',
        );
      }
      await requireUsableKey(deps.keys, input.kmsKeyId);
      return this.reencrypt({ ...renamed, kmsKeyId: input.kmsKeyId }, domain.kmsKeyId, domain.updatedAtMs);
    }
    if (update !== undefined && update.updateStatus !== 'COMPLETED' && !inProgress) {
      return this.reencrypt(renamed, update.oldKmsKeyId, domain.updatedAtMs);
    }
    await deps.domains.updateDomain(renamed, domain.updatedAtMs);
    return renamed;
  }

  private async reencrypt(target: DomainRecord, oldKmsKeyId: string, expectedUpdatedAtMs: number): Promise<DomainRecord> {
    const { deps } = this;
    const started: DomainRecord = { ...target, encryptionUpdate: { oldKmsKeyId, updateStatus: 'IN_PROGRESS' } };
    await deps.domains.updateDomain(started, expectedUpdatedAtMs);
    let finished: DomainRecord;
    try {
      await deps.voiceprints.reencryptDomain(keyRef(started), oldKmsKeyId);
      await deps.audio.reencryptDomain(keyRef(started), oldKmsKeyId);
      finished = { ...started, encryptionUpdate: { oldKmsKeyId, updateStatus: 'COMPLETED' }, updatedAtMs: nextVersionMs(nowMs(deps), started.updatedAtMs) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      finished = {
        ...started,
        encryptionUpdate: { oldKmsKeyId, updateStatus: 'FAILED', message: `Re-encryption failed: ${message}` },
        updatedAtMs: nextVersionMs(nowMs(deps), started.updatedAtMs),
      };
    }
    await deps.domains.updateDomain(finished, started.updatedAtMs);
    return finished;
  }

  /**
   * Soft-deletes the domain: hidden and SUSPENDED at once, not counted, purged after 30 days.
   * DeleteDomain is idempotent in Voice ID's model, so deleting a domain that is already soft-deleted
   * succeeds again (a retried call must not fail); a domain that never existed is not found.
   */
  async delete(domainId: string): Promise<void> {
    const domain = await this.deps.domains.getDomain(domainId);
    if (domain === undefined) throw domainNotFound(domainId);
    if (domain.deletedAtMs !== undefined) return;
    const now = nowMs(this.deps);
    await this.deps.domains.softDeleteDomain(domainId, now, domainPurgeAtMs(now));
  }

  /**
   * Purges soft-deleted domains whose 30 days are over: audio, voiceprints, speakers, fraudsters,
   * watchlists and the domain record. Meant for a scheduled job; returns the purged domain IDs.
   */
  async purgeDue(limit = 25): Promise<string[]> {
    const due = await this.deps.domains.listDomainsDueForPurge(nowMs(this.deps), limit);
    for (const domainId of due) {
      await this.deps.audio.deleteDomainAudio(domainId);
      await this.deps.domains.purgeDomain(domainId);
    }
    return due;
  }

  /** Active domains of the account. */
  list(input: ListInput): Promise<ListOutput<DomainRecord>> {
    return listPage(this.deps, 'ListDomains', input, 10, (page) => this.deps.domains.listDomains(page));
  }
}

function withoutDescription(domain: DomainRecord): DomainRecord {
  const { description: _omitted, ...rest } = domain;
  return rest;
}

/** Tags with one entry per key; a later value for the same key wins, as TagResource does. */
export function dedupeTags(tags: readonly Tag[]): Tag[] {
  const byKey = new Map<string, string>();
  for (const tag of tags) byKey.set(tag.key, tag.value);
  return [...byKey].map(([key, value]) => ({ key, value }));
}
