/**
 * Voice ID's fraudster operations, and `register`, which stores a fraudster with its voiceprint (what fraudster
 * registration jobs call for each record, voiceid/jobs/record-processor.ts).
 */
import { type ListInput, type ListOutput, type VoiceIdDependencies, keyRef, listPage, nowMs, requireActiveDomain, requireDomain } from './context.js';
import { RequestValidationError, ResourceConflictError, ResourceNotFoundError } from './errors.js';
import { newGeneratedId } from './ids.js';
import type { Voiceprint } from './ports.js';
import type { FraudsterRecord } from './types.js';
import { requireWatchlist } from './watchlists.js';

/** Fraudster operations. */
export class FraudsterService {
  constructor(private readonly deps: VoiceIdDependencies) {}

  /** The fraudster. @throws ResourceNotFoundError(FRAUDSTER) */
  async describe(domainId: string, fraudsterId: string): Promise<FraudsterRecord> {
    await requireDomain(this.deps, domainId);
    return this.requireFraudster(domainId, fraudsterId);
  }

  /** Fraudsters of the domain, or of one watchlist. */
  async list(domainId: string, watchlistId: string | undefined, input: ListInput): Promise<ListOutput<FraudsterRecord>> {
    await requireDomain(this.deps, domainId);
    if (watchlistId !== undefined) await requireWatchlist(this.deps, domainId, watchlistId);
    return listPage(this.deps, `ListFraudsters/${domainId}/${watchlistId ?? '*'}`, input, 100, (page) =>
      this.deps.fraudsters.listFraudsters(domainId, watchlistId, page),
    );
  }

  /** Deletes the fraudster from every watchlist, with its voiceprint and audio. */
  async delete(domainId: string, fraudsterId: string): Promise<void> {
    await requireActiveDomain(this.deps, domainId);
    const fraudster = await this.requireFraudster(domainId, fraudsterId);
    await this.deps.voiceprints.deleteVoiceprint(domainId, fraudsterId);
    await this.deps.audio.deleteAllAudio(domainId, fraudsterId);
    await this.deps.fraudsters.deleteFraudster(fraudster);
  }

  /** Adds the fraudster to a watchlist of the same domain (a no-op when it is already there). */
  async associate(domainId: string, fraudsterId: string, watchlistId: string): Promise<FraudsterRecord> {
    await requireActiveDomain(this.deps, domainId);
    await requireWatchlist(this.deps, domainId, watchlistId);
    const fraudster = await this.requireFraudster(domainId, fraudsterId);
    if (fraudster.watchlistIds.includes(watchlistId)) return fraudster;
    return this.deps.fraudsters.associate(domainId, fraudsterId, watchlistId, {
      maxFraudstersPerWatchlist: this.deps.quotas.fraudstersPerWatchlist,
    });
  }

  /** Removes the fraudster from a watchlist; a fraudster must stay in at least one. */
  async disassociate(domainId: string, fraudsterId: string, watchlistId: string): Promise<FraudsterRecord> {
    await requireActiveDomain(this.deps, domainId);
    await requireWatchlist(this.deps, domainId, watchlistId);
    const fraudster = await this.requireFraudster(domainId, fraudsterId);
    if (!fraudster.watchlistIds.includes(watchlistId)) {
      throw new RequestValidationError(`The fraudster is not in watchlist ${watchlistId}`);
    }
    if (fraudster.watchlistIds.length === 1) throw mustKeepOneWatchlist();
    return this.deps.fraudsters.disassociate(domainId, fraudsterId, watchlistId);
  }

  /**
   * Registers a fraudster with its voiceprint in the given watchlists (the domain's default one when none
   * is given), under `generatedFraudsterId` when the caller chose it up front (idempotent: an existing fraudster of
   * that ID is kept and its voiceprint put again).
   */
  async register(domainId: string, voiceprint: Voiceprint, watchlistIds?: readonly string[], generatedFraudsterId?: string): Promise<FraudsterRecord> {
    const domain = await requireActiveDomain(this.deps, domainId);
    const lists = watchlistIds && watchlistIds.length > 0 ? [...new Set(watchlistIds)] : [domain.defaultWatchlistId];
    for (const id of lists) await requireWatchlist(this.deps, domainId, id);
    // An ID chosen up front (a batch record's claim) makes a repeated call a no-op on the item and a put of the same
    // voiceprint under the same ID.
    const existing = generatedFraudsterId === undefined ? undefined : await this.deps.fraudsters.getFraudster(domainId, generatedFraudsterId);
    const fraudster: FraudsterRecord = existing ?? {
      domainId,
      generatedFraudsterId: generatedFraudsterId ?? newGeneratedId(),
      watchlistIds: lists,
      createdAtMs: nowMs(this.deps),
    };
    if (existing === undefined) await this.deps.fraudsters.createFraudster(fraudster, { maxFraudstersPerWatchlist: this.deps.quotas.fraudstersPerWatchlist });
    // Fraudster voiceprints do not expire: only speakers have the three-year rule.
    await this.deps.voiceprints.putVoiceprint(keyRef(domain), fraudster.generatedFraudsterId, voiceprint, Number.MAX_SAFE_INTEGER);
    return fraudster;
  }

  private async requireFraudster(domainId: string, fraudsterId: string): Promise<FraudsterRecord> {
    const fraudster = await this.deps.fraudsters.getFraudster(domainId, fraudsterId);
    if (fraudster === undefined) throw new ResourceNotFoundError('FRAUDSTER', `The fraudster does not exist in domain ${domainId}`);
    return fraudster;
  }
}

/** The conflict Voice ID's enum names for removing a fraudster's last watchlist. */
export function mustKeepOneWatchlist(): ResourceConflictError {
  return new ResourceConflictError(
    'FRAUDSTER_MUST_BELONG_TO_AT_LEAST_ONE_WATCHLIST',
    'A fraudster must belong to at least one watchlist',
  );
}
