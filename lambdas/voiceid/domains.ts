/** Voice ID's domain operations: create (with its default watchlist), describe, update, delete, list. */
import { type ListInput, type ListOutput, type VoiceIdDependencies, listPage, nowMs, requireActiveDomain, requireDomain } from './context.js';
import { requireUsableKey } from './encryption-keys.js';
import { type ClaimFor, withClientToken } from './idempotency.js';
import { domainArn, newUniqueId } from './ids.js';
import { domainPurgeAtMs } from './lifecycle.js';
import { RequestValidationError, ResourceConflictError, domainNotFound } from './errors.js';
import type { ReencryptionLauncher } from './ports.js';
import { InProcessReencryptionLauncher, ReencryptionWorker, isReencryptionRunning, isReencryptionStalled } from './reencryption.js';
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

/**
 * `updatedAtMs` doubles as the domain's version for optimistic writes, so every write must move it forward, even two
 * in one millisecond: otherwise a request that read the old value would still pass the check and overwrite.
 */
function nextVersionMs(nowMs: number, previousMs: number): number {
  return Math.max(nowMs, previousMs + 1);
}

/** Domain operations. */
export class DomainService {
  private readonly launcher: ReencryptionLauncher;

  constructor(private readonly deps: VoiceIdDependencies) {
    this.launcher = deps.reencryption ?? new InProcessReencryptionLauncher(new ReencryptionWorker(deps));
  }

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
   * Replaces the domain's name, description and key. A new key (after KMS confirms it is enabled) is recorded at once
   * and its re-encryption of the domain's data started in the background: the answer says IN_PROGRESS, and
   * DescribeDomain later COMPLETED or FAILED with a message. Another key change is refused while one runs; the same
   * configuration again after a FAILED (or abandoned) change starts it again.
   * @throws ResourceConflictError(DOMAIN_LOCKED_FROM_ENCRYPTION_UPDATES) for a new key while a change runs.
   * @throws RequestValidationError when the new key does not exist or is not enabled.
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
    if (input.kmsKeyId !== domain.kmsKeyId) {
      if (isReencryptionRunning(domain, now)) {
        throw new ResourceConflictError(
          'DOMAIN_LOCKED_FROM_ENCRYPTION_UPDATES',
          'A previous KMS key change of this domain is still in progress',
        );
      }
      await requireUsableKey(deps.keys, input.kmsKeyId);
      return this.startReencryption({ ...renamed, kmsKeyId: input.kmsKeyId }, domain.kmsKeyId, domain.updatedAtMs);
    }
    if (isReencryptionStalled(domain, now)) return this.startReencryption(renamed, domain.encryptionUpdate!.oldKmsKeyId, domain.updatedAtMs);
    await deps.domains.updateDomain(renamed, domain.updatedAtMs);
    return renamed;
  }

  /**
   * Restarts the key changes that FAILED or were abandoned IN_PROGRESS (the daily sweep calls it, so a change stopped
   * by a disabled key completes once the key is enabled again); returns the domains restarted.
   */
  async restartStalledReencryptions(): Promise<string[]> {
    const restarted: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.domains.listDomains({ cursor, limit: 100 });
      for (const domain of page.items) {
        if (!isReencryptionStalled(domain, nowMs(this.deps))) continue;
        const again = { ...domain, updatedAtMs: nextVersionMs(nowMs(this.deps), domain.updatedAtMs) };
        try {
          await this.startReencryption(again, domain.encryptionUpdate!.oldKmsKeyId, domain.updatedAtMs);
          restarted.push(domain.domainId);
        } catch (error) {
          // An UpdateDomain got there first: it restarted the change itself or chose another key.
          if (!(error instanceof ResourceConflictError)) throw error;
        }
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    return restarted;
  }

  /** Records the key change IN_PROGRESS and launches its re-encryption; a launch that fails leaves it FAILED, to retry. */
  private async startReencryption(target: DomainRecord, oldKmsKeyId: string, expectedUpdatedAtMs: number): Promise<DomainRecord> {
    const { deps } = this;
    const started: DomainRecord = {
      ...target,
      encryptionUpdate: { oldKmsKeyId, updateStatus: 'IN_PROGRESS', heartbeatAtMs: nowMs(deps) },
    };
    await deps.domains.updateDomain(started, expectedUpdatedAtMs);
    try {
      await this.launcher.launch(started.domainId);
      return started;
    } catch (error) {
      const failed: DomainRecord = {
        ...started,
        encryptionUpdate: { oldKmsKeyId, updateStatus: 'FAILED', message: `Re-encryption could not be started: ${error instanceof Error ? error.message : String(error)}` },
        updatedAtMs: nextVersionMs(nowMs(deps), started.updatedAtMs),
      };
      await deps.domains.updateDomain(failed, started.updatedAtMs);
      return failed;
    }
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
