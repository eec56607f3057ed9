import { resolve } from 'node:path';
import { STACK_OUTPUTS } from '../../lib/contract/stack-contract.js';
import type { ApiGatewayProxyResult } from './gateway/proxy-event.js';
import { startApiServer } from './gateway/api-server.js';
import { credentialsFilePath, loadOrCreateCredentials, type LocalCredentials } from './gateway/credentials.js';
import { endpointsFileContent, removeEndpointsFile, writeEndpointsFile } from './endpoints-file.js';
import { TemplateError } from './shared/errors.js';
import type { KvsStreamRegistry } from './kinesisvideo/stream-registry.js';
import { LOCAL_ACCOUNT_ID, LOCAL_KEY_ALIAS, startLocalServices, type LocalEndpoints, type LocalServicesOptions } from './local-services.js';
import { S3RVER_CREDENTIALS } from './s3/s3rver-process.js';
import { SigV4Verifier } from './gateway/sigv4-verifier.js';
import { buildTimbreStack } from './template/synthesize.js';
import type { TemplateResolver } from './template/resolver.js';

/** Options of {@link startLocalTimbre}. */
export interface LocalTimbreOptions {
  /** Port of the Voice ID API on 127.0.0.1; 0 picks a free one. @default 8787 */
  port?: number;
  /** Where DynamoDB Local's files, s3rver's objects, KMS key material and credentials live. */
  dataDir: string;
  /** JSON quota overrides, set on the API function as TIMBRE_QUOTAS. */
  quotas?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** The access key pair the API accepts. @default generated once and kept in the data dir */
  credentials?: LocalCredentials;
  /** Where handler crashes and background errors are reported. @default console.error */
  onError?: (error: unknown) => void;
  /** The template's scheduled rules (the daily retention sweep), as startLocalServices runs them. */
  schedules?: LocalServicesOptions['schedules'];
  /** Buckets of the local S3 a batch job's DataAccessRoleArn stands for, besides the batch bucket. */
  batchRoleBuckets?: readonly string[];
  /** The speaker model card the functions run, inside models/ (the stack's `speakerModelCard`). @default 'models/timbre-default.json' */
  speakerModelCard?: string;
}

/** Local names of the stack's resources. */
export interface LocalResources {
  tableName: string;
  audioBucket: string;
  batchBucket: string;
  /** ARN of the batch jobs' state machine in the local Step Functions. */
  batchStateMachineArn: string;
  /** ARN of the stack's customer-managed key (stack output KeyArn), which domains can name for their voiceprints. */
  kmsKeyArn: string;
  /** Alias of that key. */
  kmsKeyAlias: string;
  /** Alias of the extra key the local KMS always has. */
  localKeyAlias: string;
  /** Name of the API Lambda. */
  apiFunction: string;
  /** ARNs of the Connect flow's Lambdas (stack outputs), which the local Lambda Invoke API runs. */
  connectStartFunction: string;
  connectEvaluateFunction: string;
}

/** A running local Timbre. */
export interface LocalTimbre {
  /** The Voice ID API endpoint, e.g. http://127.0.0.1:8787. */
  endpoint: string;
  region: string;
  credentials: LocalCredentials;
  /** The owner-only file holding `credentials`; undefined when they were passed in. */
  credentialsFile: string | undefined;
  endpoints: LocalEndpoints;
  /** `<dataDir>/endpoints.json`, naming every endpoint above; removed by `stop()`. */
  endpointsFile: string;
  /** Credentials the local AWS services accept (s3rver checks signatures against fixed ones). */
  serviceCredentials: LocalCredentials;
  resources: LocalResources;
  /** The local Kinesis Video streams (`putStream` registers a call's MKV; `timbre call-sim` and tests use it). */
  kinesisVideo: KvsStreamRegistry;
  /** Process id of DynamoDB Local's java process. */
  javaPid: number;
  stop(): Promise<void>;
}

/** The Lambda behind the API's `POST /` method, found through the method's integration URI. */
function apiFunctionLogicalId(resolver: TemplateResolver): string {
  for (const id of resolver.ofType('AWS::ApiGateway::Method')) {
    const props = resolver.resource(id).Properties ?? {};
    const integration = props.Integration as { Type?: string; Uri?: unknown } | undefined;
    if (props.HttpMethod !== 'POST' || integration?.Type !== 'AWS_PROXY') continue;
    const match = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(JSON.stringify(integration.Uri));
    if (match !== null) return match[1]!;
  }
  throw new TemplateError('the template has no POST method proxied to a Lambda');
}

/** The handler that restarts the batch jobs a stopped run left active. */
const BATCH_RESUME_ENTRY = 'lambdas/handlers/batch-resume.ts';

function output(resolver: TemplateResolver, name: string): string {
  const value = resolver.output(name);
  if (value === undefined) throw new TemplateError(`the template has no output ${name}`);
  return value;
}

/**
 * Runs Timbre locally: synthesizes the CDK stack, provisions it in DynamoDB Local, s3rver, the local
 * KMS and Step Functions, and serves the Voice ID API on 127.0.0.1 the way API Gateway with IAM
 * authorisation does (SigV4-checked, 403 with AWS's errors), invoking lambdas/handlers/api.ts in
 * this process with the function's template environment.
 * @example const local = await startLocalTimbre({ port: 0, dataDir: '.timbre' }); … await local.stop();
 */
export async function startLocalTimbre(options: LocalTimbreOptions): Promise<LocalTimbre> {
  const dataDir = resolve(options.dataDir);
  const region = options.region ?? 'us-east-1';
  const onError = options.onError ?? ((error: unknown) => console.error('timbre local:', error));
  const services = await startLocalServices({
    dataDir,
    region,
    onError,
    buildStack: buildTimbreStack(options.quotas, options.batchRoleBuckets, options.speakerModelCard),
    ...(options.schedules === undefined ? {} : { schedules: options.schedules }),
  });
  try {
    const credentials = loadOrCreateCredentials(dataDir, options.credentials);
    const { resolver, functions } = services;
    const apiFunction = functions.find(apiFunctionLogicalId(resolver));
    if (apiFunction === undefined) throw new TemplateError('the API Lambda has no timbre:entry metadata');
    const keyArn = output(resolver, STACK_OUTPUTS.keyArn);
    const alias = services.keystore.listAliases(keyArn).find((a) => a.AliasName !== LOCAL_KEY_ALIAS);
    const resources: LocalResources = {
      tableName: output(resolver, STACK_OUTPUTS.tableName),
      audioBucket: output(resolver, STACK_OUTPUTS.audioBucket),
      batchBucket: output(resolver, STACK_OUTPUTS.batchBucket),
      batchStateMachineArn: output(resolver, STACK_OUTPUTS.batchStateMachineArn),
      kmsKeyArn: keyArn,
      kmsKeyAlias: alias?.AliasName ?? '',
      localKeyAlias: LOCAL_KEY_ALIAS,
      apiFunction: apiFunction.name,
      connectStartFunction: output(resolver, STACK_OUTPUTS.connectStartFunction),
      connectEvaluateFunction: output(resolver, STACK_OUTPUTS.connectEvaluateFunction),
    };
    const api = await startApiServer({
      port: options.port ?? 8787,
      accountId: LOCAL_ACCOUNT_ID,
      verifier: new SigV4Verifier({ credentials, region }),
      invoke: async (event, requestId) => (await functions.invoke(apiFunction.name, event, region, LOCAL_ACCOUNT_ID, requestId)) as ApiGatewayProxyResult,
      onError,
    });
    // Batch jobs a previous run left active start again from the records not yet done (executions die with it).
    const resume = functions.all().find((fn) => fn.entry === BATCH_RESUME_ENTRY);
    if (resume !== undefined) await functions.invoke(resume.name, {}, region, LOCAL_ACCOUNT_ID);
    const credentialsFile = options.credentials === undefined ? credentialsFilePath(dataDir) : undefined;
    let endpointsFile: string;
    try {
      endpointsFile = writeEndpointsFile(dataDir, endpointsFileContent({
        api: api.endpoint,
        region,
        services: services.endpoints,
        buckets: { audio: resources.audioBucket, batch: resources.batchBucket },
        functions: { connectStart: resources.connectStartFunction, connectEvaluate: resources.connectEvaluateFunction },
        credentialsFile,
      }));
    } catch (error) {
      await api.stop();
      throw error;
    }
    return {
      endpoint: api.endpoint,
      region,
      credentials,
      credentialsFile,
      endpoints: services.endpoints,
      endpointsFile,
      serviceCredentials: { ...S3RVER_CREDENTIALS },
      resources,
      kinesisVideo: services.kinesisVideo,
      javaPid: services.javaPid,
      stop: async () => {
        // First, so no tool finds endpoints that are going away.
        removeEndpointsFile(dataDir);
        await api.stop();
        await services.stop();
      },
    };
  } catch (error) {
    await services.stop();
    throw error;
  }
}
