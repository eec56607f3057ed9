/** A fresh table with Timbre's schema in the suite's DynamoDB Local, so counters (domain quota) start at zero. */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { TABLE_SCHEMA } from '../../../lib/contract/table-schema.js';
import { createStore, type TimbreStore } from '../../../lambdas/store/index.js';
import { localServiceConfig, timbreTestEnv } from '../../support/voiceid-client.js';

/** Creates a uniquely named table and returns a store over it (audio goes to the suite's bucket). */
export async function isolatedStore(): Promise<{ store: TimbreStore; tableName: string; dynamodb: DynamoDBClient }> {
  const dynamodb = new DynamoDBClient(localServiceConfig('dynamodb'));
  const tableName = `timbre-test-${randomUUID()}`;
  const { partitionKey: pk, sortKey: sk } = TABLE_SCHEMA;
  const gsi = TABLE_SCHEMA.globalSecondaryIndexes[0];
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [pk, sk, gsi.partitionKey, gsi.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: pk, KeyType: 'HASH' },
        { AttributeName: sk, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: gsi.indexName,
          KeySchema: [
            { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
            { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  const store = createStore({
    dynamodb,
    s3: new S3Client(localServiceConfig('s3')),
    kmsConfig: localServiceConfig('kms'),
    tableName,
    audioBucket: timbreTestEnv().resources.audioBucket,
  });
  return { store, tableName, dynamodb };
}
