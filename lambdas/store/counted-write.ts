/**
 * Counted writes: one transaction that creates items (or adds a membership) and increments the counters that
 * cap them, each refused at its quota, and, under a domain, only while the domain exists and is not
 * soft-deleted. Every write a Voice ID quota limits goes through `countedWrite`; `releaseCount` gives a slot back.
 */
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { domainNotFound } from '../voiceid/index.js';
import { PK, type TableRef, type TransactItem, keys, transact } from './table.js';

/** A counter attribute and the quota it enforces. */
export interface CounterLimit {
  /** The counter attribute, e.g. `speakerCount`. */
  readonly attribute: string;
  readonly max: number;
  /** The quota error for a counter already at `max`. */
  readonly full: () => Error;
}

/** A counter on an item of its own (a watchlist's members, the account's domains). */
export interface Counter extends CounterLimit {
  readonly key: Record<string, string>;
  /** The error when the item does not exist; without it, the first increment creates the counter at one. */
  readonly missing?: () => Error;
}

/** What one counted write creates and counts. */
export interface CountedWrite {
  /**
   * The domain written under: it must exist and not be soft-deleted, else ResourceNotFoundError(DOMAIN).
   * `counter` is the domain item's own counter to increment (watchlists, speakers). Absent when creating a domain.
   */
  readonly domain?: { readonly domainId: string; readonly counter?: CounterLimit };
  /** Counters on other items. */
  readonly counters?: readonly Counter[];
  /** Items to create; each must not exist yet. */
  readonly newItems?: readonly Record<string, unknown>[];
  /** Further writes of the same transaction (a ClientToken claim, a membership update). */
  readonly otherWrites?: readonly TransactItem[];
  /**
   * The error when a new item or a further write's condition fails: a concurrent request got there first.
   * `otherWriteIndex` says which of `otherWrites` failed (undefined for a new item).
   */
  readonly conflict: (otherWriteIndex?: number) => Error;
}

/** The domain item's condition: it exists and is not soft-deleted. */
const LIVE_DOMAIN = 'attribute_exists(#pk) AND attribute_not_exists(deletedAtMs)';

/** Runs a counted write: all of it, or nothing and the error of the first condition that failed. */
export async function countedWrite(table: TableRef, write: CountedWrite): Promise<void> {
  const { tableName } = table;
  const { domain } = write;
  const counters = write.counters ?? [];
  const domainAction: TransactItem[] =
    domain === undefined
      ? []
      : [
          domain.counter === undefined
            ? { ConditionCheck: { TableName: tableName, Key: keys.domain(domain.domainId), ConditionExpression: LIVE_DOMAIN, ExpressionAttributeNames: { '#pk': PK } } }
            : increment(tableName, keys.domain(domain.domainId), domain.counter, LIVE_DOMAIN),
        ];
  const actions = [
    ...domainAction,
    ...counters.map((counter) => increment(tableName, counter.key, counter, counter.missing === undefined ? undefined : 'attribute_exists(#pk)')),
    ...(write.newItems ?? []).map((item) => ({
      Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } },
    })),
    ...(write.otherWrites ?? []),
  ];
  await transact(table, actions, (index, reason) => {
    if (domain !== undefined && index === 0) {
      return domain.counter !== undefined && isLiveDomain(reason) ? domain.counter.full() : domainNotFound(domain.domainId);
    }
    const counter = counters[index - domainAction.length];
    if (counter === undefined) {
      const otherIndex = index - domainAction.length - counters.length - (write.newItems?.length ?? 0);
      return write.conflict(otherIndex >= 0 ? otherIndex : undefined);
    }
    return reason.Item === undefined && counter.missing !== undefined ? counter.missing() : counter.full();
  });
}

/** The transaction item that gives back one slot of a counter (on a delete or a disassociation). */
export function releaseCount(tableName: string, key: Record<string, string>, attribute: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET #count = #count - :one',
      ExpressionAttributeNames: { '#count': attribute },
      ExpressionAttributeValues: { ':one': 1 },
    },
  };
}

/** Adds one to the counter unless it is at `max` or `itemCondition` fails; returns the item as it was on failure. */
function increment(tableName: string, key: Record<string, string>, limit: CounterLimit, itemCondition: string | undefined): TransactItem {
  const belowMax = '(attribute_not_exists(#count) OR #count < :max)';
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :one',
      ConditionExpression: itemCondition === undefined ? belowMax : `${itemCondition} AND ${belowMax}`,
      ExpressionAttributeNames: { '#count': limit.attribute, ...(itemCondition !== undefined && { '#pk': PK }) },
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': limit.max },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** True when the failed action's domain item existed and was not soft-deleted (so its counter was full). */
function isLiveDomain(reason: CancellationReason): boolean {
  return reason.Item !== undefined && reason.Item.deletedAtMs === undefined;
}
