/** Voice ID's tagging operations; only domains are taggable. */
import { type VoiceIdDependencies, requireDomain } from './context.js';
import { dedupeTags } from './domains.js';
import { RequestValidationError, ResourceNotFoundError } from './errors.js';
import { domainIdFromArn } from './ids.js';
import type { DomainRecord, Tag } from './types.js';

/** Tag operations. */
export class TagService {
  constructor(private readonly deps: VoiceIdDependencies) {}

  /** Adds tags, replacing the values of keys already present. */
  async tag(resourceArn: string, tags: readonly Tag[]): Promise<void> {
    const domain = await this.requireTaggable(resourceArn);
    const merged = dedupeTags([...domain.tags, ...tags]);
    if (merged.length > this.deps.quotas.tagsPerResource) {
      throw new RequestValidationError(`A resource can have at most ${this.deps.quotas.tagsPerResource} tags`);
    }
    await this.deps.domains.updateDomain({ ...domain, tags: merged }, domain.updatedAtMs);
  }

  /** Removes the tags with the given keys (unknown keys are ignored). */
  async untag(resourceArn: string, tagKeys: readonly string[]): Promise<void> {
    const domain = await this.requireTaggable(resourceArn);
    const drop = new Set(tagKeys);
    await this.deps.domains.updateDomain({ ...domain, tags: domain.tags.filter((t) => !drop.has(t.key)) }, domain.updatedAtMs);
  }

  /** The resource's tags. */
  async list(resourceArn: string): Promise<readonly Tag[]> {
    return (await this.requireTaggable(resourceArn)).tags;
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
