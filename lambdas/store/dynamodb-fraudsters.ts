/**
 * Fraudsters in the single table. Watchlist membership is a string set on the fraudster; each watchlist
 * item counts its members so the per-watchlist quota and "only empty watchlists can be deleted" hold
 * under concurrency.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  QuotaExceededError,
  ResourceConflictError,
  ResourceNotFoundError,
  watchlistNotFound,
  type FraudsterRecord,
  type FraudsterRepository,
  type Page,
  type PageRequest,
} from '../voiceid/index.js';
import { type Counter, countedWrite, releaseCount } from './counted-write.js';
import { PK, type TableRef, keys, queryDomainItems, transact, transactIfConditionsHold } from './table.js';

/** DynamoDB adapter of `FraudsterRepository`. */
export class DynamoDbFraudsterRepository implements FraudsterRepository {
  constructor(private readonly table: TableRef) {}

  async getFraudster(domainId: string, fraudsterId: string): Promise<FraudsterRecord | undefined> {
    const result = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.fraudster(domainId, fraudsterId), ConsistentRead: true }),
    );
    return result.Item === undefined ? undefined : fraudsterFromItem(result.Item);
  }

  async createFraudster(fraudster: FraudsterRecord, options: { maxFraudstersPerWatchlist: number }): Promise<void> {
    const { domainId } = fraudster;
    await countedWrite(this.table, {
      domain: { domainId },
      counters: fraudster.watchlistIds.map((watchlistId) => members(domainId, watchlistId, options.maxFraudstersPerWatchlist)),
      newItems: [fraudsterItem(fraudster)],
      conflict: () => new ResourceConflictError('CONCURRENT_CHANGES', 'The fraudster already exists'),
    });
  }

  async associate(domainId: string, fraudsterId: string, watchlistId: string, options: { maxFraudstersPerWatchlist: number }): Promise<FraudsterRecord> {
    await countedWrite(this.table, {
      domain: { domainId },
      counters: [members(domainId, watchlistId, options.maxFraudstersPerWatchlist)],
      otherWrites: [
        {
          Update: {
            TableName: this.table.tableName,
            Key: keys.fraudster(domainId, fraudsterId),
            UpdateExpression: 'ADD watchlistIds :ids',
            ConditionExpression: 'attribute_exists(#pk) AND NOT contains(watchlistIds, :id)',
            ExpressionAttributeNames: { '#pk': PK },
            ExpressionAttributeValues: { ':ids': new Set([watchlistId]), ':id': watchlistId },
          },
        },
      ],
      conflict: () => new ResourceConflictError('CONCURRENT_CHANGES', 'The fraudster was changed by a concurrent request'),
    });
    return this.requireFraudster(domainId, fraudsterId);
  }

  async disassociate(domainId: string, fraudsterId: string, watchlistId: string): Promise<FraudsterRecord> {
    const { tableName } = this.table;
    await transact(
      this.table,
      [
        {
          Update: {
            TableName: tableName,
            Key: keys.fraudster(domainId, fraudsterId),
            UpdateExpression: 'DELETE watchlistIds :ids',
            // The size check keeps Voice ID's rule that a fraudster stays in at least one watchlist.
            ConditionExpression: 'contains(watchlistIds, :id) AND size(watchlistIds) > :one',
            ExpressionAttributeValues: { ':ids': new Set([watchlistId]), ':id': watchlistId, ':one': 1 },
          },
        },
        releaseCount(tableName, keys.watchlist(domainId, watchlistId), 'fraudsterCount'),
      ],
      () =>
        new ResourceConflictError(
          'FRAUDSTER_MUST_BELONG_TO_AT_LEAST_ONE_WATCHLIST',
          'A fraudster must belong to at least one watchlist',
        ),
    );
    return this.requireFraudster(domainId, fraudsterId);
  }

  async deleteFraudster(fraudster: FraudsterRecord): Promise<boolean> {
    const { tableName } = this.table;
    return transactIfConditionsHold(this.table, [
      {
        Delete: {
          TableName: tableName,
          Key: keys.fraudster(fraudster.domainId, fraudster.generatedFraudsterId),
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        },
      },
      ...fraudster.watchlistIds.map((watchlistId) => releaseCount(tableName, keys.watchlist(fraudster.domainId, watchlistId), 'fraudsterCount')),
    ]);
  }

  async listFraudsters(domainId: string, watchlistId: string | undefined, page: PageRequest): Promise<Page<FraudsterRecord>> {
    const inWatchlist =
      watchlistId === undefined ? undefined : { expression: 'contains(watchlistIds, :watchlistId)', values: { ':watchlistId': watchlistId } };
    const result = await queryDomainItems(this.table, domainId, 'FRAUDSTER#', page, inWatchlist);
    return { ...result, items: result.items.map(fraudsterFromItem) };
  }

  private async requireFraudster(domainId: string, fraudsterId: string): Promise<FraudsterRecord> {
    const fraudster = await this.getFraudster(domainId, fraudsterId);
    if (fraudster === undefined) throw new ResourceNotFoundError('FRAUDSTER', `The fraudster does not exist in domain ${domainId}`);
    return fraudster;
  }
}

/** A watchlist's member counter, capped at `max` fraudsters. */
function members(domainId: string, watchlistId: string, max: number): Counter {
  return {
    key: keys.watchlist(domainId, watchlistId),
    attribute: 'fraudsterCount',
    max,
    full: () => new QuotaExceededError('fraudstersPerWatchlist', max, `The watchlist already has the maximum of ${max} fraudsters`),
    missing: () => watchlistNotFound(domainId, watchlistId),
  };
}

function fraudsterItem(fraudster: FraudsterRecord): Record<string, unknown> {
  return {
    ...keys.fraudster(fraudster.domainId, fraudster.generatedFraudsterId),
    domainId: fraudster.domainId,
    generatedFraudsterId: fraudster.generatedFraudsterId,
    watchlistIds: new Set(fraudster.watchlistIds),
    createdAtMs: fraudster.createdAtMs,
  };
}

function fraudsterFromItem(item: Record<string, unknown>): FraudsterRecord {
  const ids = item.watchlistIds instanceof Set ? [...(item.watchlistIds as Set<string>)] : [];
  return {
    domainId: String(item.domainId),
    generatedFraudsterId: String(item.generatedFraudsterId),
    watchlistIds: ids.sort(),
    createdAtMs: item.createdAtMs as number,
  };
}
