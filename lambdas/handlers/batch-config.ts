/**
 * The batch functions' configuration, read once from the environment, and the job services built on it.
 * Clients honour `AWS_ENDPOINT_URL_<SERVICE>`, which is how local mode points them at local services.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getBooleanFromEnv, getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { ENV } from '../../lib/contract/env-names.js';
import { AssumedRoleS3Clients, DynamoDbJobRepository, S3BatchObjects, SfnJobLauncher, createStore } from '../store/index.js';
import type { VoiceIdDependencies } from '../voiceid/index.js';
import { JobRunner, JobService, type JobDependencies, type JobRunnerDependencies } from '../voiceid/jobs/index.js';
import { readApiConfig, type ApiConfig } from './api-config.js';

/** What the batch functions read from their environment, beyond the API's settings. */
export interface BatchConfig extends ApiConfig {
  readonly stateMachineArn: string;
  readonly batchBucket: string;
  readonly defaultRoleArn: string;
  /** The buckets a job's role stands for: the setting's list, and always the batch bucket. */
  readonly roleBuckets: ReadonlySet<string>;
  readonly minSpeechSeconds: number | undefined;
  /** Whether S3 calls act as the job's role through STS (in AWS), or with the function's own rights (locally). */
  readonly assumeDataAccessRole: boolean;
}

/**
 * Reads the configuration.
 * @throws Error naming the variable when a required one is missing
 */
export function readBatchConfig(invokedFunctionArn: string | undefined): BatchConfig {
  const batchBucket = getStringFromEnv({ key: ENV.BATCH_BUCKET, defaultValue: '' });
  const listed = getStringFromEnv({ key: ENV.BATCH_ROLE_BUCKETS, defaultValue: '' }).split(',').map((b) => b.trim()).filter((b) => b !== '');
  const minSpeech = getStringFromEnv({ key: ENV.BATCH_MIN_SPEECH_SECONDS, defaultValue: '' });
  return Object.freeze({
    ...readApiConfig(invokedFunctionArn),
    stateMachineArn: getStringFromEnv({ key: ENV.BATCH_STATE_MACHINE_ARN, defaultValue: '' }),
    batchBucket,
    defaultRoleArn: getStringFromEnv({ key: ENV.BATCH_ROLE_ARN, defaultValue: '' }),
    roleBuckets: new Set([batchBucket, ...listed].filter((b) => b !== '')),
    minSpeechSeconds: minSpeech === '' ? undefined : Number(minSpeech),
    assumeDataAccessRole: getBooleanFromEnv({ key: ENV.BATCH_ASSUME_ROLE, defaultValue: false }),
  });
}

/** Everything the job steps share: Voice ID's ports, the job port, S3 as the role, and the workflow starter. */
export interface BatchRuntime {
  readonly config: BatchConfig;
  readonly deps: JobDependencies & JobRunnerDependencies & VoiceIdDependencies;
  readonly enrollment: JobService;
  readonly registration: JobService;
  readonly runner: JobRunner;
}

/** Builds the batch runtime on SDK clients (S3 path-style, which local S3 needs). */
export function createBatchRuntime(config: BatchConfig): BatchRuntime {
  const dynamodb = new DynamoDBClient({});
  const s3 = new S3Client({ forcePathStyle: true });
  const store = createStore({ dynamodb, s3, kmsConfig: {}, tableName: config.tableName, audioBucket: config.audioBucket });
  const table = { client: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }), tableName: config.tableName };
  const deps = {
    ...store,
    quotas: config.quotas,
    arn: { region: config.region, accountId: config.accountId },
    jobs: new DynamoDbJobRepository(table),
    launcher: new SfnJobLauncher(new SFNClient({}), config.stateMachineArn),
    objects: new S3BatchObjects(s3, config.batchBucket, roleClients(config)),
    roleBuckets: config.roleBuckets,
  };
  return {
    config,
    deps,
    enrollment: new JobService(deps, 'ENROLLMENT'),
    registration: new JobService(deps, 'REGISTRATION'),
    runner: new JobRunner(deps),
  };
}

/** In AWS, S3 as the job's role through STS; locally (undefined), the function's own client. */
function roleClients(config: BatchConfig): ConstructorParameters<typeof S3BatchObjects>[2] {
  if (!config.assumeDataAccessRole) return undefined;
  const clients = new AssumedRoleS3Clients(new STSClient({}));
  return (access) => clients.clientFor(access);
}
