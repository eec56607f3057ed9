/** Voice ID's watchlist operations. */
import { type ListInput, type ListOutput, type VoiceIdDependencies, listPage, nowMs, requireActiveDomain, requireDomain } from './context.js';
import { RequestValidationError, watchlistNotFound } from './errors.js';
import { withClientToken } from './idempotency.js';
import { newUniqueId } from './ids.js';
import type { WatchlistRecord } from './types.js';

/** CreateWatchlist's parameters. */
export interface CreateWatchlistInput {
  readonly domainId: string;
  readonly name: string;
  readonly description?: string;
  readonly clientToken?: string;
}

/** UpdateWatchlist's parameters: omitted members keep their values. */
export interface UpdateWatchlistInput {
  readonly domainId: string;
  readonly watchlistId: string;
  readonly name?: string;
  readonly description?: string;
}

/** Watchlist operations. */
export class WatchlistService {
  constructor(private readonly deps: VoiceIdDependencies) {}

  /** Creates a custom watchlist (at most `watchlistsPerDomain`, the default one included). */
  async create(input: CreateWatchlistInput): Promise<WatchlistRecord> {
    const { deps } = this;
    await requireActiveDomain(deps, input.domainId);
    const use = {
      operation: 'CreateWatchlist',
      scope: input.domainId,
      clientToken: input.clientToken,
      parameters: { name: input.name, description: input.description },
      find: (watchlistId: string) => deps.watchlists.getWatchlist(input.domainId, watchlistId),
    };
    return withClientToken(deps, use, async (claim) => {
      const now = nowMs(deps);
      const watchlist: WatchlistRecord = {
        domainId: input.domainId,
        watchlistId: newUniqueId(),
        name: input.name,
        ...(input.description !== undefined && { description: input.description }),
        defaultWatchlist: false,
        createdAtMs: now,
        updatedAtMs: now,
      };
      await deps.watchlists.createWatchlist(watchlist, { maxWatchlists: deps.quotas.watchlistsPerDomain, idempotency: claim(watchlist.watchlistId) });
      return watchlist;
    });
  }

  /** The watchlist. @throws ResourceNotFoundError(WATCHLIST) */
  async describe(domainId: string, watchlistId: string): Promise<WatchlistRecord> {
    await requireDomain(this.deps, domainId);
    return requireWatchlist(this.deps, domainId, watchlistId);
  }

  /** Renames or re-describes a custom watchlist; the default watchlist cannot be updated. */
  async update(input: UpdateWatchlistInput): Promise<WatchlistRecord> {
    await requireActiveDomain(this.deps, input.domainId);
    const watchlist = await requireWatchlist(this.deps, input.domainId, input.watchlistId);
    if (watchlist.defaultWatchlist) throw new RequestValidationError('The default watchlist cannot be updated');
    const updated: WatchlistRecord = {
      ...watchlist,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      updatedAtMs: nowMs(this.deps),
    };
    await this.deps.watchlists.updateWatchlist(updated);
    return updated;
  }

  /** Deletes an empty custom watchlist. */
  async delete(domainId: string, watchlistId: string): Promise<void> {
    await requireActiveDomain(this.deps, domainId);
    const watchlist = await requireWatchlist(this.deps, domainId, watchlistId);
    if (watchlist.defaultWatchlist) throw new RequestValidationError('The default watchlist cannot be deleted');
    await this.deps.watchlists.deleteWatchlist(domainId, watchlistId);
  }

  /** Watchlists of the domain. */
  async list(domainId: string, input: ListInput): Promise<ListOutput<WatchlistRecord>> {
    await requireDomain(this.deps, domainId);
    return listPage(this.deps, `ListWatchlists/${domainId}`, input, 100, (page) => this.deps.watchlists.listWatchlists(domainId, page));
  }
}

/** The watchlist. @throws ResourceNotFoundError(WATCHLIST) */
export async function requireWatchlist(deps: VoiceIdDependencies, domainId: string, watchlistId: string): Promise<WatchlistRecord> {
  const watchlist = await deps.watchlists.getWatchlist(domainId, watchlistId);
  if (watchlist === undefined) throw watchlistNotFound(domainId, watchlistId);
  return watchlist;
}
