import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startDynamoDbLocal } from './dynamodb/dynamodb-local.js';
import { ensurePrivateDir, lockDataDir } from './shared/data-dir.js';
import { KmsKeystore } from './kms/keystore.js';
import { startKmsServer } from './kms/server.js';
import { startKinesisVideoServer } from './kinesisvideo/server.js';
import { KvsStreamRegistry } from './kinesisvideo/stream-registry.js';
import { startLambdaInvokeServer } from './lambda/invoke-server.js';
import { localLayerPaths } from './lambda/layer-paths.js';
import { LambdaRegistry } from './lambda/registry.js';
import { provisionTemplate, type ProvisionedResources } from './template/provisioner.js';
import { eventBridgeBuckets, routeS3Event, templateRules } from './eventbridge/s3-routing.js';
import { scheduledRules, startSchedules } from './eventbridge/schedules.js';
import { S3RVER_CREDENTIALS, startS3Local } from './s3/s3rver-process.js';
import { LocalStepFunctions } from './stepfunctions/server.js';
import { synthesizeTemplate, type StackBuilder } from './template/synthesize.js';
import { TemplateResolver } from './template/resolver.js';

/** The account local resources are created in. */
export const LOCAL_ACCOUNT_ID = '000000000000';
/** Alias of the key the local KMS always has, whatever the template holds. */
export const LOCAL_KEY_ALIAS = 'alias/timbre-local';

export interface LocalServicesOptions {
  dataDir: string;
  region: string;
  /** The stack to synthesize and provision. */
  buildStack: StackBuilder;
  /** Reports errors from background work (S3 event routing, executions, scheduled runs). @default console.error */
  onError?: (error: unknown) => void;
  /**
   * Run the template's scheduled rules (the daily retention sweep): each fires `firstRunDelayMs` after start, then
   * at its rate. `false` for none (the test suite, whose tests run the sweep themselves). @default { firstRunDelayMs: 60000 }
   */
  schedules?: false | { firstRunDelayMs: number };
}

/** Where each local AWS service listens. */
export interface LocalEndpoints {
  dynamodb: string;
  s3: string;
  kms: string;
  sfn: string;
  /** Kinesis Video Streams: control plane and GetMedia on one server. */
  kinesisvideo: string;
  /** Lambda's Invoke API over the template's functions. */
  lambda: string;
}

/** The local AWS services with a template provisioned in them. */
export interface LocalServices {
  endpoints: LocalEndpoints;
  resolver: TemplateResolver;
  provisioned: ProvisionedResources;
  functions: LambdaRegistry;
  /** The streams the local Kinesis Video endpoint serves: `putStream(name, mkv, { pace })` → the stream ARN. */
  kinesisVideo: KvsStreamRegistry;
  stepFunctions: LocalStepFunctions;
  keystore: KmsKeystore;
  /** ARN of the key behind alias/timbre-local. */
  localKeyArn: string;
  javaPid: number;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local, s3rver and the local KMS, Step Functions, Kinesis Video and Lambda Invoke endpoints, synthesizes the stack in-process
 * (while Java starts), provisions it, routes S3 object events through the template's EventBridge
 * rules, and points this process's AWS SDK clients at it all (AWS_ENDPOINT_URL_<SERVICE>).
 */
export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const dataDir = resolve(options.dataDir);
  const { region } = options;
  const onError = options.onError ?? ((error: unknown) => console.error('timbre local:', error));
  ensurePrivateDir(dataDir);
  // SDK v3 warns on Node 20 from every client; the local mode's own clients are made below.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const releaseLock = lockDataDir(dataDir);
  // The lock is released last, once java no longer has the files open.
  const stops: Array<() => Promise<void>> = [async () => releaseLock()];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(onError);
  };
  try {
    const started = Promise.allSettled([startDynamoDbLocal(join(dataDir, 'dynamodb')), startS3Local(join(dataDir, 's3'))]);
    let synthesized: Awaited<ReturnType<typeof synthesizeTemplate>> | undefined;
    let synthError: unknown;
    try {
      synthesized = await synthesizeTemplate(options.buildStack, { account: LOCAL_ACCOUNT_ID, region });
    } catch (error) {
      synthError = error;
    }
    const [dynamoResult, s3Result] = await started;
    if (dynamoResult.status === 'fulfilled') stops.push(dynamoResult.value.stop);
    if (s3Result.status === 'fulfilled') stops.push(s3Result.value.stop);
    if (dynamoResult.status === 'rejected') throw dynamoResult.reason;
    if (s3Result.status === 'rejected') throw s3Result.reason;
    if (synthesized === undefined) throw synthError;
    const dynamodb = dynamoResult.value;
    const s3 = s3Result.value;

    const keystore = new KmsKeystore(join(dataDir, 'kms', 'keys.json'), region, LOCAL_ACCOUNT_ID);
    const kms = await startKmsServer(keystore, { credentials: S3RVER_CREDENTIALS, region });
    stops.push(kms.stop);
    const existingLocal = keystore.listAliases().find((a) => a.AliasName === LOCAL_KEY_ALIAS);
    const localKeyArn = existingLocal === undefined ? keystore.createKey('Timbre local default key').Arn : keystore.resolve(existingLocal.TargetKeyId).meta.Arn;
    if (existingLocal === undefined) keystore.createAlias(LOCAL_KEY_ALIAS, localKeyArn);

    const resolver = new TemplateResolver(synthesized.template, { region, accountId: LOCAL_ACCOUNT_ID, stackName: synthesized.stackName });
    const functions = new LambdaRegistry(resolver, {}, () => localLayerPaths({ speakerModelCard: options.buildStack.speakerModelCard }));
    const s3Client = new S3Client({ region, endpoint: s3.endpoint, credentials: S3RVER_CREDENTIALS, forcePathStyle: true });
    const dynamoClient = new DynamoDBClient({ region, endpoint: dynamodb.endpoint, credentials: S3RVER_CREDENTIALS });
    stops.push(async () => {
      s3Client.destroy();
      dynamoClient.destroy();
    });
    const stepFunctions = new LocalStepFunctions({
      invokeFunction: (ref, payload) => functions.invoke(ref, payload, region, LOCAL_ACCOUNT_ID),
      hasFunction: (ref) => functions.find(ref) !== undefined,
      readObject: async (bucket, key) => (await s3Client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString('utf8'),
    }, region, LOCAL_ACCOUNT_ID);
    const sfnEndpoint = await stepFunctions.listen();
    stops.push(() => stepFunctions.stop());
    const kinesisVideo = await startKinesisVideoServer(new KvsStreamRegistry(region, LOCAL_ACCOUNT_ID), { credentials: S3RVER_CREDENTIALS, region, onError });
    stops.push(kinesisVideo.stop);
    const lambda = await startLambdaInvokeServer(functions, { credentials: S3RVER_CREDENTIALS, region, accountId: LOCAL_ACCOUNT_ID, onError });
    stops.push(lambda.stop);
    const endpoints: LocalEndpoints = {
      dynamodb: dynamodb.endpoint, s3: s3.endpoint, kms: kms.endpoint, sfn: sfnEndpoint, kinesisvideo: kinesisVideo.endpoint, lambda: lambda.endpoint,
    };

    // The handlers run in this process, as in a Lambda: their SDK clients find the local services here.
    Object.assign(process.env, {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_KMS: endpoints.kms,
      AWS_ENDPOINT_URL_SFN: endpoints.sfn,
      // The SDK's names for these, from each client's serviceId ("Kinesis Video", "Lambda").
      AWS_ENDPOINT_URL_KINESIS_VIDEO: endpoints.kinesisvideo,
      AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda,
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;

    const provisioned = await provisionTemplate(resolver, { dynamodb: dynamoClient, s3: s3Client, keystore, sfn: stepFunctions });
    const routing = { buckets: eventBridgeBuckets(resolver), rules: templateRules(resolver), region, accountId: LOCAL_ACCOUNT_ID };
    s3.events.on('object', (record) => {
      try {
        routeS3Event(record, routing, (arn, input) => {
          stepFunctions.startExecution(arn, input).done.catch(onError);
        });
      } catch (error) {
        onError(error);
      }
    });
    if (options.schedules !== false) {
      const stopSchedules = startSchedules(scheduledRules(resolver), {
        region,
        accountId: LOCAL_ACCOUNT_ID,
        invoke: (arn, event) => functions.invoke(arn, event, region, LOCAL_ACCOUNT_ID),
        onError,
        firstRunDelayMs: options.schedules?.firstRunDelayMs ?? 60_000,
      });
      stops.push(async () => stopSchedules());
    }
    return { endpoints, resolver, provisioned, functions, kinesisVideo: kinesisVideo.streams, stepFunctions, keystore, localKeyArn, javaPid: dynamodb.pid, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
