/** The watchlist operations. */
import type { WatchlistService } from '../../voiceid/index.js';
import { listShape, watchlistShape } from '../responses.js';
import { type OperationsOf, op, paging } from './support.js';

/** CreateWatchlist, DescribeWatchlist, UpdateWatchlist, DeleteWatchlist and ListWatchlists, served by `watchlists`. */
export function watchlistOperations(
  watchlists: WatchlistService,
): OperationsOf<'CreateWatchlist' | 'DescribeWatchlist' | 'UpdateWatchlist' | 'DeleteWatchlist' | 'ListWatchlists'> {
  return {
    CreateWatchlist: op('CreateWatchlist', async (i) => ({
      Watchlist: watchlistShape(
        await watchlists.create({
          domainId: i.DomainId,
          name: i.Name,
          ...(i.Description !== undefined && { description: i.Description }),
          ...(i.ClientToken !== undefined && { clientToken: i.ClientToken }),
        }),
      ),
    })),
    DescribeWatchlist: op('DescribeWatchlist', async (i) => ({ Watchlist: watchlistShape(await watchlists.describe(i.DomainId, i.WatchlistId)) })),
    UpdateWatchlist: op('UpdateWatchlist', async (i) => ({
      Watchlist: watchlistShape(
        await watchlists.update({
          domainId: i.DomainId,
          watchlistId: i.WatchlistId,
          ...(i.Name !== undefined && { name: i.Name }),
          ...(i.Description !== undefined && { description: i.Description }),
        }),
      ),
    })),
    DeleteWatchlist: op('DeleteWatchlist', async (i) => {
      await watchlists.delete(i.DomainId, i.WatchlistId);
      return undefined;
    }),
    ListWatchlists: op('ListWatchlists', async (i) => {
      const page = await watchlists.list(i.DomainId, paging(i));
      return listShape('WatchlistSummaries', page.items, page.nextToken, watchlistShape);
    }),
  };
}
