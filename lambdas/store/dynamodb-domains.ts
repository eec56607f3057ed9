/** Domains and the account's domain counter in the single table. */
import { BatchWriteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  QuotaExceededError,
  ResourceConflictError,
  type DomainRecord,
  type DomainRepository,
  type IdempotencyRecord,
  type Page,
  type PageRequest,
  type Tag,
  type WatchlistRecord,
} from '../voiceid/index.js';
import { CorruptItemError } from './errors.js';
import {
  DOMAIN_LIST_PARTITION,
  GSI1,
  PK,
  SK,
  TTL,
  type TableRef,
  isConditionFailure,
  keys,
  queryDueItems,
  queryPage,
  sortableMs,
  transactIfConditionsHold,
  ttlSeconds,
} from './table.js';
import { countedWrite } from './counted-write.js';
import { clientTokenClaim } from './dynamodb-client-tokens.js';
import { newWatchlistItem } from './dynamodb-watchlists.js';

/** GSI1 partition of soft-deleted domains, sorted by purge time. */
const PURGE_PARTITION = 'PURGE_DOMAINS';
/** How long after its purge time the domain record's TTL backstop fires, should the sweep not run. */
const PURGE_BACKSTOP_MS = 7 * 24 * 60 * 60 * 1000;

const concurrentChange = () =>
  new ResourceConflictError('CONCURRENT_CHANGES', 'The request could not be processed as the resource was modified by another request during execution');

/** DynamoDB adapter of `DomainRepository`. */
export class DynamoDbDomainRepository implements DomainRepository {
  constructor(private readonly table: TableRef) {}

  async createDomain(
    domain: DomainRecord,
    defaultWatchlist: WatchlistRecord,
    options: { maxDomains: number; idempotency?: IdempotencyRecord },
  ): Promise<void> {
    const { maxDomains, idempotency } = options;
    await countedWrite(this.table, {
      // The account counter caps active domains; soft-deleted ones were decremented on delete.
      counters: [
        {
          key: keys.accountCounters(),
          attribute: 'domainCount',
          max: maxDomains,
          full: () => new QuotaExceededError('domainsPerRegion', maxDomains, `The account already has the maximum of ${maxDomains} domains`),
        },
      ],
      newItems: [{ ...domainItem(domain), watchlistCount: 1, speakerCount: 0 }, newWatchlistItem(defaultWatchlist)],
      otherWrites: idempotency === undefined ? [] : [clientTokenClaim(this.table.tableName, idempotency)],
      conflict: concurrentChange,
    });
  }

  async getDomain(domainId: string): Promise<DomainRecord | undefined> {
    const result = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.domain(domainId), ConsistentRead: true }));
    return result.Item === undefined ? undefined : domainFromItem(result.Item);
  }

  async updateDomain(domain: DomainRecord, expectedUpdatedAtMs: number): Promise<void> {
    const names: Record<string, string> = { '#name': 'name', '#status': 'status', '#description': 'description' };
    const values: Record<string, unknown> = {
      ':name': domain.name,
      ':status': domain.status,
      ':kmsKeyId': domain.kmsKeyId,
      ':updatedAtMs': domain.updatedAtMs,
      ':expected': expectedUpdatedAtMs,
    };
    const set = ['#name = :name', '#status = :status', 'kmsKeyId = :kmsKeyId', 'updatedAtMs = :updatedAtMs'];
    const remove: string[] = [];
    if (domain.description === undefined) remove.push('#description');
    else {
      set.push('#description = :description');
      values[':description'] = domain.description;
    }
    if (domain.encryptionUpdate === undefined) remove.push('encryptionUpdate');
    else {
      set.push('encryptionUpdate = :encryptionUpdate');
      values[':encryptionUpdate'] = { ...domain.encryptionUpdate };
    }
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.domain(domain.domainId),
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: 'updatedAtMs = :expected AND attribute_not_exists(deletedAtMs)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw concurrentChange();
      throw error;
    }
  }

  async heartbeatEncryptionUpdate(domainId: string, kmsKeyId: string, atMs: number): Promise<boolean> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.domain(domainId),
          UpdateExpression: 'SET encryptionUpdate.heartbeatAtMs = :at',
          ConditionExpression: 'kmsKeyId = :key AND encryptionUpdate.updateStatus = :running AND attribute_not_exists(deletedAtMs)',
          ExpressionAttributeValues: { ':at': atMs, ':key': kmsKeyId, ':running': 'IN_PROGRESS' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async replaceTags(domainId: string, tags: readonly Tag[], expectedTagsVersion: number): Promise<void> {
    const unchanged = expectedTagsVersion === 0 ? 'attribute_not_exists(tagsVersion)' : 'tagsVersion = :expected';
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.domain(domainId),
          UpdateExpression: 'SET tags = :tags, tagsVersion = :next',
          ConditionExpression: `attribute_exists(#pk) AND attribute_not_exists(deletedAtMs) AND ${unchanged}`,
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: {
            ':tags': tags.map((t) => ({ key: t.key, value: t.value })),
            ':next': expectedTagsVersion + 1,
            ...(expectedTagsVersion !== 0 && { ':expected': expectedTagsVersion }),
          },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw concurrentChange();
      throw error;
    }
  }

  async listDomains(page: PageRequest): Promise<Page<DomainRecord>> {
    const result = await queryPage(
      this.table,
      {
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#gpk = :gpk',
        ExpressionAttributeNames: { '#gpk': GSI1.partitionKey },
        ExpressionAttributeValues: { ':gpk': DOMAIN_LIST_PARTITION },
      },
      page,
      [PK, SK, GSI1.partitionKey, GSI1.sortKey],
      (key) => key[GSI1.partitionKey] === DOMAIN_LIST_PARTITION,
    );
    return { ...result, items: result.items.map(domainFromItem) };
  }

  async softDeleteDomain(domainId: string, deletedAtMs: number, purgeAtMs: number): Promise<boolean> {
    const { tableName } = this.table;
    return transactIfConditionsHold(this.table, [
      {
        // Moving to the purge partition of GSI1 hides the domain from ListDomains and queues it for the
        // purge sweep (which also removes everything under it). The TTL is only a backstop for the record.
        Update: {
          TableName: tableName,
          Key: keys.domain(domainId),
          UpdateExpression: 'SET #status = :suspended, deletedAtMs = :deletedAtMs, purgeAtMs = :purgeAtMs, #ttl = :ttl, #gpk = :gpk, #gsk = :gsk',
          ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(deletedAtMs)',
          ExpressionAttributeNames: { '#status': 'status', '#ttl': TTL, '#gpk': GSI1.partitionKey, '#gsk': GSI1.sortKey, '#pk': PK },
          ExpressionAttributeValues: {
            ':suspended': 'SUSPENDED',
            ':deletedAtMs': deletedAtMs,
            ':purgeAtMs': purgeAtMs,
            ':ttl': ttlSeconds(purgeAtMs + PURGE_BACKSTOP_MS),
            ':gpk': PURGE_PARTITION,
            ':gsk': `${sortableMs(purgeAtMs)}#${domainId}`,
          },
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: keys.accountCounters(),
          UpdateExpression: 'SET domainCount = domainCount - :one',
          ConditionExpression: 'domainCount > :zero',
          ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
        },
      },
    ]);
  }

  async listDomainsDueForPurge(nowMs: number, limit: number): Promise<string[]> {
    return (await queryDueItems(this.table, PURGE_PARTITION, nowMs, limit)).map((item) => String(item.domainId));
  }

  async purgeDomain(domainId: string): Promise<void> {
    const partitionKey = keys.domain(domainId)[PK];
    let startKey: Record<string, unknown> | undefined;
    const children: Record<string, unknown>[] = [];
    do {
      const page = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: { ':pk': partitionKey },
          ProjectionExpression: '#pk, #sk',
          ExclusiveStartKey: startKey,
        }),
      );
      children.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    // The domain record goes last, so an interrupted purge is found and resumed by the next sweep.
    const ordered = [...children.filter((k) => k[SK] !== keys.domain(domainId)[SK]), keys.domain(domainId)];
    for (let i = 0; i < ordered.length; i += 25) {
      let requests = ordered.slice(i, i + 25).map((key) => ({ DeleteRequest: { Key: { [PK]: key[PK], [SK]: key[SK] } } }));
      while (requests.length > 0) {
        const result = await this.table.client.send(new BatchWriteCommand({ RequestItems: { [this.table.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.table.tableName] ?? []) as typeof requests;
      }
    }
  }

}

function domainItem(domain: DomainRecord): Record<string, unknown> {
  return {
    ...keys.domain(domain.domainId),
    [GSI1.partitionKey]: DOMAIN_LIST_PARTITION,
    [GSI1.sortKey]: `${sortableMs(domain.createdAtMs)}#${domain.domainId}`,
    domainId: domain.domainId,
    arn: domain.arn,
    name: domain.name,
    ...(domain.description !== undefined && { description: domain.description }),
    status: domain.status,
    kmsKeyId: domain.kmsKeyId,
    ...(domain.encryptionUpdate !== undefined && { encryptionUpdate: { ...domain.encryptionUpdate } }),
    defaultWatchlistId: domain.defaultWatchlistId,
    tags: domain.tags.map((t) => ({ key: t.key, value: t.value })),
    createdAtMs: domain.createdAtMs,
    updatedAtMs: domain.updatedAtMs,
  };
}

function domainFromItem(item: Record<string, unknown>): DomainRecord {
  if (typeof item.domainId !== 'string' || typeof item.kmsKeyId !== 'string' || typeof item.createdAtMs !== 'number') {
    throw new CorruptItemError(`${String(item[PK])}/${String(item[SK])}`, 'missing domain attributes');
  }
  return {
    domainId: item.domainId,
    arn: String(item.arn),
    name: String(item.name),
    ...(typeof item.description === 'string' && { description: item.description }),
    status: item.status as DomainRecord['status'],
    kmsKeyId: item.kmsKeyId,
    ...(item.encryptionUpdate !== undefined && { encryptionUpdate: item.encryptionUpdate as DomainRecord['encryptionUpdate'] & object }),
    defaultWatchlistId: String(item.defaultWatchlistId),
    tags: ((item.tags as { key: string; value: string }[] | undefined) ?? []).map((t) => ({ key: t.key, value: t.value })),
    ...(typeof item.tagsVersion === 'number' && { tagsVersion: item.tagsVersion }),
    createdAtMs: item.createdAtMs,
    updatedAtMs: item.updatedAtMs as number,
    ...(typeof item.deletedAtMs === 'number' && { deletedAtMs: item.deletedAtMs }),
  };
}
