import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { ENV } from '../../lib/env-names.js';
import { TABLE_SCHEMA } from '../../lib/table-schema.js';
import type { ProxyHandler } from './api-server.js';
import { startApiServer } from './api-server.js';
import { loadOrCreateCredentials, type LocalCredentials } from './credentials.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { KmsKeystore } from './kms-keystore.js';
import { startKmsServer } from './kms-server.js';
import { S3RVER_CREDENTIALS, startS3Local } from './s3-local.js';
import { SigV4Verifier } from './sigv4-verifier.js';

/** Options of {@link startLocalTimbre}. */
export interface LocalTimbreOptions {
  /** Port of the Voice ID API on 127.0.0.1; 0 picks a free one. @default 8787 */
  port?: number;
  /** Where DynamoDB Local's files, s3rver's objects, KMS key material and credentials live. */
  dataDir: string;
  /** JSON quota overrides passed to the handler as TIMBRE_QUOTAS. */
  quotas?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** The access key pair the API accepts. @default generated once and kept in the data dir */
  credentials?: LocalCredentials;
  /** Where handler crashes are reported. @default console.error */
  onError?: (error: unknown) => void;
}

/** Names of the local resources the stack's resources map to. */
export interface LocalResources {
  tableName: string;
  audioBucket: string;
  batchBucket: string;
  /** ARN of the key behind `alias/timbre-local`. */
  kmsKeyArn: string;
  kmsKeyAlias: string;
}

/** A running local Timbre. */
export interface LocalTimbre {
  /** The Voice ID API endpoint, e.g. http://127.0.0.1:8787. */
  endpoint: string;
  region: string;
  credentials: LocalCredentials;
  endpoints: { dynamodb: string; s3: string; kms: string; sfn: string };
  /** Credentials the local AWS services accept (s3rver checks signatures against fixed ones). */
  serviceCredentials: LocalCredentials;
  resources: LocalResources;
  /** Process id of DynamoDB Local's java process. */
  javaPid: number;
  stop(): Promise<void>;
}

const ACCOUNT_ID = '000000000000';
const LOCAL_KEY_ALIAS = 'alias/timbre-local';

/**
 * Starts DynamoDB Local, s3rver and the local KMS, provisions Timbre's resources, and serves the
 * Voice ID API (SigV4-checked) by invoking lambdas/handlers/api.ts in this process.
 * Sets the process environment the handler reads (it runs in this process, as in a Lambda).
 */
export async function startLocalTimbre(options: LocalTimbreOptions): Promise<LocalTimbre> {
  const dataDir = resolve(options.dataDir);
  const region = options.region ?? 'us-east-1';
  mkdirSync(dataDir, { recursive: true });
  const credentials = loadOrCreateCredentials(dataDir, options.credentials);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const [dynamodb, s3] = await Promise.all([startDynamoDbLocal(join(dataDir, 'dynamodb')), startS3Local(join(dataDir, 's3'))]);
    stops.push(dynamodb.stop, s3.stop);
    const keystore = new KmsKeystore(join(dataDir, 'kms', 'keys.json'), region, ACCOUNT_ID);
    const kms = await startKmsServer(keystore);
    stops.push(kms.stop);
    const endpoints = { dynamodb: dynamodb.endpoint, s3: s3.endpoint, kms: kms.endpoint, sfn: 'http://127.0.0.1:0' };
    Object.assign(process.env, {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_KMS: endpoints.kms,
      AWS_ENDPOINT_URL_SFN: endpoints.sfn,
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;

    const local = keystore.listAliases().find((a) => a.AliasName === LOCAL_KEY_ALIAS);
    const kmsKeyArn = local === undefined ? keystore.createKey('Timbre local default key').Arn : keystore.resolve(local.TargetKeyId).meta.Arn;
    if (local === undefined) keystore.createAlias(LOCAL_KEY_ALIAS, kmsKeyArn);
    const resources: LocalResources = { tableName: 'TimbreTable', audioBucket: 'timbre-audio', batchBucket: 'timbre-batch', kmsKeyArn, kmsKeyAlias: LOCAL_KEY_ALIAS };
    await provisionBasics(resources, endpoints, region);

    Object.assign(process.env, {
      [ENV.TABLE_NAME]: resources.tableName,
      [ENV.AUDIO_BUCKET]: resources.audioBucket,
      [ENV.DEFAULT_KMS_KEY]: kmsKeyArn,
    });
    if (options.quotas !== undefined) process.env[ENV.QUOTAS] = options.quotas;

    const verifier = new SigV4Verifier({ credentials, region });
    const api = await startApiServer({
      port: options.port ?? 8787,
      region,
      accountId: ACCOUNT_ID,
      functionName: 'TimbreApi',
      timeoutMs: 30_000,
      verifier,
      loadHandler: async () => (await import('../handlers/api.js')).handler as unknown as ProxyHandler,
      onError: options.onError ?? ((error) => console.error('timbre handler error:', error)),
    });
    stops.push(api.stop);
    return {
      endpoint: api.endpoint,
      region,
      credentials,
      endpoints,
      serviceCredentials: { ...S3RVER_CREDENTIALS },
      resources,
      javaPid: dynamodb.pid,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function provisionBasics(resources: LocalResources, endpoints: { dynamodb: string; s3: string }, region: string): Promise<void> {
  const ddb = new DynamoDBClient({ region, endpoint: endpoints.dynamodb, credentials: S3RVER_CREDENTIALS });
  const s3 = new S3Client({ region, endpoint: endpoints.s3, credentials: S3RVER_CREDENTIALS, forcePathStyle: true });
  const attrs = new Set<string>([TABLE_SCHEMA.partitionKey, TABLE_SCHEMA.sortKey]);
  for (const g of TABLE_SCHEMA.globalSecondaryIndexes) attrs.add(g.partitionKey).add(g.sortKey);
  try {
    await ddb.send(new CreateTableCommand({
      TableName: resources.tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attrs].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [{ AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }, { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: TABLE_SCHEMA.globalSecondaryIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [{ AttributeName: g.partitionKey, KeyType: 'HASH' }, { AttributeName: g.sortKey, KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      })),
    }));
    await ddb.send(new UpdateTimeToLiveCommand({ TableName: resources.tableName, TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true } }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (const bucket of [resources.audioBucket, resources.batchBucket]) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: { name?: string }) => {
      if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
    });
  }
  ddb.destroy();
  s3.destroy();
}
