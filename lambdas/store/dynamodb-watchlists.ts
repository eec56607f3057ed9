/** Watchlists in the single table, counted on their domain's item. */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  QuotaExceededError,
  ResourceConflictError,
  type IdempotencyRecord,
  type Page,
  type PageRequest,
  type WatchlistRecord,
  type WatchlistRepository,
} from '../voiceid/index.js';
import { clientTokenClaim } from './dynamodb-client-tokens.js';
import { countedWrite, releaseCount } from './counted-write.js';
import { PK, type TableRef, isConditionFailure, keys, queryDomainItems, transact } from './table.js';

/** DynamoDB adapter of `WatchlistRepository`. */
export class DynamoDbWatchlistRepository implements WatchlistRepository {
  constructor(private readonly table: TableRef) {}

  async createWatchlist(watchlist: WatchlistRecord, options: { maxWatchlists: number; idempotency?: IdempotencyRecord }): Promise<void> {
    const { maxWatchlists, idempotency } = options;
    await countedWrite(this.table, {
      domain: {
        domainId: watchlist.domainId,
        counter: {
          attribute: 'watchlistCount',
          max: maxWatchlists,
          full: () => new QuotaExceededError('watchlistsPerDomain', maxWatchlists, `The domain already has the maximum of ${maxWatchlists} watchlists`),
        },
      },
      newItems: [newWatchlistItem(watchlist)],
      otherWrites: idempotency === undefined ? [] : [clientTokenClaim(this.table.tableName, idempotency)],
      conflict: () => new ResourceConflictError('CONCURRENT_CHANGES', 'The ClientToken was used by a concurrent request'),
    });
  }

  async getWatchlist(domainId: string, watchlistId: string): Promise<WatchlistRecord | undefined> {
    const result = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.watchlist(domainId, watchlistId), ConsistentRead: true }),
    );
    return result.Item === undefined ? undefined : watchlistFromItem(result.Item);
  }

  async updateWatchlist(watchlist: WatchlistRecord): Promise<void> {
    // An update, not a put, so the fraudster counter that associations maintain is left alone.
    const hasDescription = watchlist.description !== undefined;
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.watchlist(watchlist.domainId, watchlist.watchlistId),
          UpdateExpression: `SET #name = :name, updatedAtMs = :updatedAtMs${hasDescription ? ', #description = :description' : ' REMOVE #description'}`,
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK, '#name': 'name', '#description': 'description' },
          ExpressionAttributeValues: {
            ':name': watchlist.name,
            ':updatedAtMs': watchlist.updatedAtMs,
            ...(hasDescription && { ':description': watchlist.description }),
          },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ResourceConflictError('CONCURRENT_CHANGES', 'The watchlist was deleted by a concurrent request');
      throw error;
    }
  }

  async deleteWatchlist(domainId: string, watchlistId: string): Promise<void> {
    const { tableName } = this.table;
    await transact(
      this.table,
      [
        {
          Delete: {
            TableName: tableName,
            Key: keys.watchlist(domainId, watchlistId),
            ConditionExpression: 'attribute_exists(#pk) AND fraudsterCount = :zero',
            ExpressionAttributeNames: { '#pk': PK },
            ExpressionAttributeValues: { ':zero': 0 },
          },
        },
        releaseCount(tableName, keys.domain(domainId), 'watchlistCount'),
      ],
      () =>
        new ResourceConflictError(
          'CANNOT_DELETE_NON_EMPTY_WATCHLIST',
          'The watchlist still has fraudsters; disassociate or delete them first',
        ),
    );
  }

  async listWatchlists(domainId: string, page: PageRequest): Promise<Page<WatchlistRecord>> {
    const result = await queryDomainItems(this.table, domainId, 'WATCHLIST#', page);
    return { ...result, items: result.items.map(watchlistFromItem) };
  }
}

/** The item of a new watchlist, its fraudster counter starting at zero (CreateDomain's default one too). */
export function newWatchlistItem(watchlist: WatchlistRecord): Record<string, unknown> {
  return { ...watchlistItem(watchlist), fraudsterCount: 0 };
}

/** The stored form of a watchlist (without its fraudster counter). */
function watchlistItem(watchlist: WatchlistRecord): Record<string, unknown> {
  return {
    ...keys.watchlist(watchlist.domainId, watchlist.watchlistId),
    domainId: watchlist.domainId,
    watchlistId: watchlist.watchlistId,
    name: watchlist.name,
    ...(watchlist.description !== undefined && { description: watchlist.description }),
    defaultWatchlist: watchlist.defaultWatchlist,
    createdAtMs: watchlist.createdAtMs,
    updatedAtMs: watchlist.updatedAtMs,
  };
}

function watchlistFromItem(item: Record<string, unknown>): WatchlistRecord {
  return {
    domainId: String(item.domainId),
    watchlistId: String(item.watchlistId),
    name: String(item.name),
    ...(typeof item.description === 'string' && { description: item.description }),
    defaultWatchlist: item.defaultWatchlist === true,
    createdAtMs: item.createdAtMs as number,
    updatedAtMs: item.updatedAtMs as number,
  };
}
