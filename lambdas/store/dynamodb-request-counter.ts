import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RequestCounter } from '../voiceid/index.js';
import { TTL, type TableRef, isConditionFailure, keys, ttlSeconds } from './table.js';

/** How long a window's counter item is kept after the window (DynamoDB TTL removes it some time later). */
const WINDOW_RETENTION_MS = 60_000;

/**
 * Request windows as counter items (`RATE#<key>`, one per window): one conditional increment per request, which
 * fails once the window holds `limit`, so every Lambda instance shares the count.
 */
export class DynamoDbRequestCounter implements RequestCounter {
  constructor(private readonly table: TableRef) {}

  async count(key: string, windowStartMs: number, limit: number): Promise<boolean> {
    try {
      await this.table.client.send(new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.requestWindow(key, windowStartMs),
        UpdateExpression: 'ADD #n :one SET #ttl = if_not_exists(#ttl, :ttl)',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
        ExpressionAttributeNames: { '#n': 'requests', '#ttl': TTL },
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': ttlSeconds(windowStartMs + WINDOW_RETENTION_MS) },
      }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
