/** Voice ID's tagging operations; only domains are taggable. */
import { setTimeout as delay } from 'node:timers/promises';
import { type VoiceIdDependencies, requireDomain } from './context.js';
import { dedupeTags } from './domains.js';
import { RequestValidationError, ResourceConflictError, ResourceNotFoundError } from './errors.js';
import { domainIdFromArn } from './ids.js';
import type { DomainRecord, Tag } from './types.js';

/**
 * How often a tag change re-reads the tags and tries again after a concurrent change won: enough for every
 * one of 50 concurrent changes (the most tag calls a caller runs at once in practice) to land.
 */
const TAG_CHANGE_ATTEMPTS = 64;
/** The most a retry waits, in milliseconds; a random wait spreads the competing writers apart. */
const MAX_RETRY_WAIT_MS = 20;

/** Tag operations. */
export class TagService {
  constructor(private readonly deps: VoiceIdDependencies) {}

  /** Adds tags, replacing the values of keys already present. */
  async tag(resourceArn: string, tags: readonly Tag[]): Promise<void> {
    await this.changeTags(resourceArn, (current) => {
      const merged = dedupeTags([...current, ...tags]);
      if (merged.length > this.deps.quotas.tagsPerResource) {
        throw new RequestValidationError(`A resource can have at most ${this.deps.quotas.tagsPerResource} tags`);
      }
      return merged;
    });
  }

  /** Removes the tags with the given keys (unknown keys are ignored). */
  async untag(resourceArn: string, tagKeys: readonly string[]): Promise<void> {
    const drop = new Set(tagKeys);
    await this.changeTags(resourceArn, (current) => current.filter((t) => !drop.has(t.key)));
  }

  /** The resource's tags. */
  async list(resourceArn: string): Promise<readonly Tag[]> {
    return (await this.requireTaggable(resourceArn)).tags;
  }

  /**
   * Writes `change` of the current tags, checked against the tags version it read; when a concurrent change
   * wrote first, reads again and retries, so no change is lost.
   * @throws ResourceConflictError(CONCURRENT_CHANGES) when every attempt lost to a concurrent change.
   */
  private async changeTags(resourceArn: string, change: (current: readonly Tag[]) => readonly Tag[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const domain = await this.requireTaggable(resourceArn);
      try {
        await this.deps.domains.replaceTags(domain.domainId, change(domain.tags), domain.tagsVersion ?? 0);
        return;
      } catch (error) {
        const lostRace = error instanceof ResourceConflictError && error.conflictType === 'CONCURRENT_CHANGES';
        if (!lostRace || attempt >= TAG_CHANGE_ATTEMPTS) throw error;
        await delay(Math.random() * MAX_RETRY_WAIT_MS);
      }
    }
  }

  private async requireTaggable(resourceArn: string): Promise<DomainRecord> {
    const domainId = domainIdFromArn(resourceArn);
    const missing = new ResourceNotFoundError('DOMAIN', `Resource ${resourceArn} does not exist`);
    if (domainId === undefined) throw missing;
    const domain = await requireDomain(this.deps, domainId).catch(() => {
      throw missing;
    });
    if (domain.arn !== resourceArn) throw missing;
    return domain;
  }
}
