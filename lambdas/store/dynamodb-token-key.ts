import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TokenKeySource } from '../voiceid/index.js';
import { type TableRef, isConditionFailure, keys } from './table.js';

/**
 * The pagination-token signing key, created once per table (the first writer wins) and cached, so every
 * Lambda instance signs and checks tokens with the same secret.
 */
export class DynamoDbTokenKeySource implements TokenKeySource {
  private cached: Promise<Uint8Array> | undefined;

  constructor(private readonly table: TableRef) {}

  getTokenKey(): Promise<Uint8Array> {
    this.cached ??= this.load().catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }

  private async load(): Promise<Uint8Array> {
    const existing = await this.read();
    if (existing !== undefined) return existing;
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...keys.tokenKey(), secret: randomBytes(32) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const created = await this.read();
    if (created === undefined) throw new Error('The pagination key vanished right after it was written');
    return created;
  }

  private async read(): Promise<Uint8Array | undefined> {
    const result = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.tokenKey(), ConsistentRead: true }));
    const secret = result.Item?.secret;
    return secret instanceof Uint8Array ? secret : undefined;
  }
}
