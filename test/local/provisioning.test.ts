import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../lib/contract/table-schema.js';
import { localServiceConfig, timbreTestEnv } from '../support/voiceid-client.js';

describe('template provisioning of the Timbre stack', () => {
  let ddb: DynamoDBClient;

  beforeAll(() => {
    ddb = new DynamoDBClient(localServiceConfig('dynamodb'));
  });

  it('turns TTL on for the table, on the schema attribute', async () => {
    const { TimeToLiveDescription } = await ddb.send(new DescribeTimeToLiveCommand({ TableName: timbreTestEnv().resources.tableName }));
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: TABLE_SCHEMA.ttlAttribute });
  });

  it('creates the table with the schema keys and every GSI', async () => {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: timbreTestEnv().resources.tableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(TABLE_SCHEMA.globalSecondaryIndexes.map((g) => g.indexName).sort());
  });

  it('creates the audio and batch buckets', async () => {
    const s3 = new S3Client(localServiceConfig('s3'));
    const { audioBucket, batchBucket } = timbreTestEnv().resources;
    await expect(s3.send(new HeadBucketCommand({ Bucket: audioBucket }))).resolves.toBeDefined();
    await expect(s3.send(new HeadBucketCommand({ Bucket: batchBucket }))).resolves.toBeDefined();
  });
});
