/**
 * Shared plumbing of the single-table DynamoDB adapters: item keys, exact-size paging and transactions
 * whose conditional failures become Voice ID errors.
 */
import { type CancellationReason, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TABLE_SCHEMA } from '../../lib/contract/table-schema.js';
import { type Page, type PageRequest, RequestValidationError } from '../voiceid/index.js';

/** The table the adapters share. */
export interface TableRef {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** Partition-key attribute name. */
export const PK = TABLE_SCHEMA.partitionKey;
/** Sort-key attribute name. */
export const SK = TABLE_SCHEMA.sortKey;
/** TTL attribute name (epoch seconds). */
export const TTL = TABLE_SCHEMA.ttlAttribute;
/**
 * The one GSI. Its partitions: `DOMAINS` (active domains by creation time), `PURGE_DOMAINS` (deleted domains by
 * purge time), `SPEAKER_EXPIRY` (enrolled speakers by biometric expiry) and `SESSION_ACTIVITY` (active sessions by
 * last activity, for the idle timeout).
 */
export const GSI1 = TABLE_SCHEMA.globalSecondaryIndexes[0];

/** Item keys of the single-table layout. */
export const keys = {
  accountCounters: () => ({ [PK]: 'ACCOUNT', [SK]: '#COUNTERS' }),
  domain: (domainId: string) => ({ [PK]: `DOMAIN#${domainId}`, [SK]: '#DOMAIN' }),
  watchlist: (domainId: string, watchlistId: string) => ({ [PK]: `DOMAIN#${domainId}`, [SK]: `WATCHLIST#${watchlistId}` }),
  speaker: (domainId: string, speakerId: string) => ({ [PK]: `DOMAIN#${domainId}`, [SK]: `SPEAKER#${speakerId}` }),
  customerSpeaker: (domainId: string, customerId: string) => ({ [PK]: `DOMAIN#${domainId}`, [SK]: `CUSTOMER#${customerId}` }),
  fraudster: (domainId: string, fraudsterId: string) => ({ [PK]: `DOMAIN#${domainId}`, [SK]: `FRAUDSTER#${fraudsterId}` }),
  voiceprint: (domainId: string, ownerId: string) => ({ [PK]: `DOMAIN#${domainId}`, [SK]: `VOICEPRINT#${ownerId}` }),
  session: (domainId: string, sessionId: string) => ({ [PK]: `DOMAIN#${domainId}`, [SK]: `SESSION#${sessionId}` }),
  /** The newest session of a name, and whether it still holds the name (is active). */
  sessionName: (domainId: string, sessionName: string) => ({ [PK]: `DOMAIN#${domainId}`, [SK]: `SESSION_NAME#${sessionName}` }),
  clientToken: (key: string) => ({ [PK]: `TOKEN#${key}`, [SK]: '#TOKEN' }),
  tokenKey: () => ({ [PK]: 'CONFIG', [SK]: '#PAGINATION_KEY' }),
  requestWindow: (key: string, windowStartMs: number) => ({ [PK]: `RATE#${key}`, [SK]: sortableMs(windowStartMs) }),
  // Batch jobs: the job under its domain, the domain's one active job per type, each record's outcome under the job.
  job: (domainId: string, type: string, jobId: string) => ({ [PK]: `DOMAIN#${domainId}`, [SK]: `JOB#${type}#${jobId}` }),
  activeJob: (domainId: string, type: string) => ({ [PK]: `DOMAIN#${domainId}`, [SK]: `ACTIVEJOB#${type}` }),
  jobRecord: (jobId: string, index: number) => ({ [PK]: `JOBRECORDS#${jobId}`, [SK]: `RECORD#${String(index).padStart(6, '0')}` }),
  /** Apart from the outcomes, so listing a job's outcomes never meets a claim. */
  jobRecordClaim: (jobId: string, index: number) => ({ [PK]: `JOBCLAIMS#${jobId}`, [SK]: `RECORD#${String(index).padStart(6, '0')}` }),
} as const;

/** Partition of the account's domain listing in GSI1. */
export const DOMAIN_LIST_PARTITION = 'DOMAINS';

/**
 * Epoch milliseconds as a fixed-width string, so that GSI1 sort keys built from it (`<time>#<id>`) order by
 * time when DynamoDB compares them as strings.
 */
export function sortableMs(ms: number): string {
  return String(ms).padStart(15, '0');
}

/** The TTL attribute's value for an expiry at epoch milliseconds `ms`: whole epoch seconds, as DynamoDB TTL wants. */
export function ttlSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

type Item = Record<string, unknown>;

/** A cursor's key: the key attributes of the last item of a page. */
export type CursorKey = Readonly<Record<string, string>>;

/**
 * One page of exactly `limit` matching items (fewer only on the last page), and a cursor only when more
 * items follow. Reads one item past the page so the last page never carries a cursor, and keeps reading
 * while a filter leaves pages short. A cursor is resumed only when `resumesHere` says its key lies in what
 * the query reads, so a cursor of another domain or listing is refused instead of reaching DynamoDB.
 * @throws RequestValidationError for a cursor this query did not write.
 */
export async function queryPage(
  table: TableRef,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
  page: PageRequest,
  keyAttributes: readonly string[],
  resumesHere: (key: CursorKey) => boolean,
): Promise<Page<Item>> {
  const items: Item[] = [];
  let startKey = page.cursor === undefined ? undefined : decodeCursor(page.cursor, keyAttributes, resumesHere);
  do {
    const result = await table.client.send(
      new QueryCommand({ ...input, TableName: table.tableName, Limit: page.limit + 1 - items.length, ExclusiveStartKey: startKey }),
    );
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
  } while (startKey !== undefined && items.length <= page.limit);
  if (items.length <= page.limit) return { items };
  const pageItems = items.slice(0, page.limit);
  const last = pageItems[pageItems.length - 1] as Item;
  return { items: pageItems, cursor: encodeCursor(Object.fromEntries(keyAttributes.map((k) => [k, last[k]]))) };
}

/**
 * One page of a domain's items of one kind, chosen by sort-key prefix (`SPEAKER#`, `WATCHLIST#`, ...), in
 * sort-key order, optionally narrowed by a filter whose expression uses `values`.
 */
export function queryDomainItems(
  table: TableRef,
  domainId: string,
  sortKeyPrefix: string,
  page: PageRequest,
  filter?: { expression: string; values: Record<string, unknown>; names?: Record<string, string> },
): Promise<Page<Item>> {
  const partition = keys.domain(domainId)[PK];
  return queryPage(
    table,
    {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ...(filter !== undefined && { FilterExpression: filter.expression }),
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK, ...filter?.names },
      ExpressionAttributeValues: { ':pk': partition, ':prefix': sortKeyPrefix, ...filter?.values },
    },
    page,
    [PK, SK],
    (key) => key[PK] === partition && (key[SK] as string).startsWith(sortKeyPrefix),
  );
}

/**
 * Up to `limit` items of a GSI1 partition whose time-ordered sort key (`sortableMs(t)#...`) is due, t <= `nowMs`,
 * earliest first: what the lifecycle sweep works through.
 */
export async function queryDueItems(table: TableRef, partition: string, nowMs: number, limit: number): Promise<Item[]> {
  const result = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: GSI1.indexName,
      KeyConditionExpression: '#gpk = :gpk AND #gsk <= :due',
      ExpressionAttributeNames: { '#gpk': GSI1.partitionKey, '#gsk': GSI1.sortKey },
      // '~' sorts after every id character, so keys due exactly at nowMs are included.
      ExpressionAttributeValues: { ':gpk': partition, ':due': `${sortableMs(nowMs)}#~` },
      Limit: limit,
    }),
  );
  return result.Items ?? [];
}

function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string, keyAttributes: readonly string[], resumesHere: (key: CursorKey) => boolean): CursorKey {
  const invalid = (options?: ErrorOptions) => new RequestValidationError('Invalid NextToken: it does not belong to this listing', options);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalid({ cause: error });
  }
  if (key === null || typeof key !== 'object' || Array.isArray(key)) throw invalid();
  const entries = Object.entries(key);
  const isKeyShape = entries.length === keyAttributes.length && entries.every(([name, value]) => keyAttributes.includes(name) && typeof value === 'string');
  if (!isKeyShape || !resumesHere(key as CursorKey)) throw invalid();
  return key as CursorKey;
}

/** One action of a transaction. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Runs a transaction. When DynamoDB cancels it, `onConditionFailed` is asked, for the first action whose
 * condition failed (by index, with DynamoDB's reason: it holds the item as it was when the action asked for it
 * with `ReturnValuesOnConditionCheckFailure`), which error to throw instead; other cancellations are rethrown unchanged.
 */
export async function transact(
  table: TableRef,
  actions: readonly TransactItem[],
  onConditionFailed: (actionIndex: number, reason: CancellationReason) => Error,
): Promise<void> {
  try {
    await table.client.send(new TransactWriteCommand({ TransactItems: [...actions] }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      const index = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (index >= 0) throw onConditionFailed(index, reasons[index] as CancellationReason);
    }
    throw error;
  }
}

/**
 * Runs a transaction whose conditions say the resource is still there to change: true when it was written,
 * false when DynamoDB cancelled it because a condition failed (a concurrent request got there first).
 * Other errors are rethrown unchanged.
 */
export async function transactIfConditionsHold(table: TableRef, actions: readonly TransactItem[]): Promise<boolean> {
  try {
    await transact(table, actions, () => new ConditionFailed());
    return true;
  } catch (error) {
    if (error instanceof ConditionFailed) return false;
    throw error;
  }
}

class ConditionFailed extends Error {}

/** True for DynamoDB's ConditionalCheckFailedException. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
