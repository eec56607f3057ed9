/**
 * ClientToken records in the single table. They are read here and claimed by the create that uses them, inside
 * that create's transaction (`clientTokenClaim`), so the resource and its claim are written together or not at all.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ClientTokenRepository, IdempotencyRecord } from '../voiceid/index.js';
import { PK, TTL, type TableRef, keys, ttlSeconds } from './table.js';

/** DynamoDB adapter of `ClientTokenRepository`. */
export class DynamoDbClientTokenRepository implements ClientTokenRepository {
  constructor(private readonly table: TableRef) {}

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const result = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.clientToken(key), ConsistentRead: true }));
    const item = result.Item;
    // TTL deletion may lag (days in AWS), so an expired record is treated as absent here.
    if (item === undefined || (item[TTL] as number) * 1000 <= Date.now()) return undefined;
    return {
      key,
      requestHash: String(item.requestHash),
      resourceId: String(item.resourceId),
      expiresAtMs: (item[TTL] as number) * 1000,
    };
  }
}

/** The transaction item that claims a ClientToken, unless a live claim of it exists. */
export function clientTokenClaim(tableName: string, token: IdempotencyRecord) {
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.clientToken(token.key), requestHash: token.requestHash, resourceId: token.resourceId, [TTL]: ttlSeconds(token.expiresAtMs) },
      ConditionExpression: 'attribute_not_exists(#pk) OR #ttl < :now',
      ExpressionAttributeNames: { '#pk': PK, '#ttl': TTL },
      ExpressionAttributeValues: { ':now': ttlSeconds(Date.now()) },
    },
  };
}
