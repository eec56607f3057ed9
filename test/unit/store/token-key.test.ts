import { describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbTokenKeySource } from '../../../lambdas/store/index.js';
import { isolatedStore } from './isolated-table.js';

describe('DynamoDbTokenKeySource', () => {
  it('creates one 32-byte key per table that every instance shares', async () => {
    // Prepare
    const { tableName, dynamodb } = await isolatedStore();
    const table = { client: DynamoDBDocumentClient.from(dynamodb), tableName };
    // Act: two instances racing, as two Lambda instances would
    const [a, b] = await Promise.all([new DynamoDbTokenKeySource(table).getTokenKey(), new DynamoDbTokenKeySource(table).getTokenKey()]);
    // Assess
    expect(a).toHaveLength(32);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const later = await new DynamoDbTokenKeySource(table).getTokenKey();
    expect(Buffer.from(later).equals(Buffer.from(a))).toBe(true);
  });
});
