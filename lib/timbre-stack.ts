import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TimbreApi } from './api.js';
import { TimbreConnect } from './connect.js';
import { TimbreBatchWorkflow } from './batch-workflow.js';
import { ENV } from './contract/env-names.js';
import { TimbreInferenceLayer } from './inference-layer.js';
import { TimbreKeys } from './keys.js';
import { TimbreLifecycle } from './lifecycle.js';
import { TimbreReencryption } from './reencryption.js';
import { STACK_OUTPUTS } from './contract/stack-contract.js';
import { TimbreStorage } from './storage.js';

/** Props of {@link TimbreStack}. */
export interface TimbreStackProps extends StackProps {
  /** JSON quota overrides for the API (context key `timbre:quotas`). */
  readonly quotas?: string;
  /** Kinesis Video stream-name prefix of the Connect instance's media streams (context `timbre:streamNamePrefix`). */
  readonly streamNamePrefix?: string;
  /** The Amazon Connect instance allowed to invoke the flow Lambdas (context `timbre:connectInstanceArn`). */
  readonly connectInstanceArn?: string;
  /** Batch jobs: records processed at once (context key `timbre:batchConcurrency`). @default 40 */
  readonly batchConcurrency?: number;
  /** Batch jobs: buckets a job's DataAccessRoleArn stands for locally, besides the batch bucket. */
  readonly batchRoleBuckets?: readonly string[];
  /** Batch jobs: customers' data-access roles the workflow may assume. */
  readonly batchDataAccessRoleArns?: readonly string[];
  /** Batch jobs: act as DataAccessRoleArn through STS; only local mode (no STS) sets false. @default true */
  readonly batchAssumeDataAccessRole?: boolean;
  /**
   * The speaker model card the functions run, relative to the repository root and inside models/ (context
   * `timbre:speakerModelCard`, e.g. 'models/timbre-spk-v2.json'). @default 'models/timbre-default.json'
   */
  readonly speakerModelCard?: string;
  /** The checkout the inference layer's models and onnxruntime-node are read from. @default this repository (tests pass a copy) */
  readonly inferenceRepoRoot?: string;
}

/**
 * Timbre in one stack: keys, storage, the Voice ID API, the Amazon Connect Lambdas, the daily retention sweep, the
 * re-encryption after a key change and the batch-job workflow. Functions that run a model share the inference layer (`TimbreFunction`'s `inference` prop).
 */
export class TimbreStack extends Stack {
  constructor(scope: Construct, id: string, props: TimbreStackProps) {
    super(scope, id, props);
    // Access logs are delivered under a bucket policy, not the legacy LogDeliveryWrite ACL. Set here,
    // not in cdk.json, so in-process synths (tests, local mode) build the same template.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    // Made before any function, so each one that runs a model gets this layer, not one with the default card.
    TimbreInferenceLayer.create(this, { speakerModelCard: props.speakerModelCard, repoRoot: props.inferenceRepoRoot });
    const keys = new TimbreKeys(this, 'Keys');
    const storage = new TimbreStorage(this, 'Storage', { key: keys.key });
    const api = new TimbreApi(this, 'Api', {
      table: storage.table,
      audioBucket: storage.audioBucket,
      key: keys.key,
      ...(props.quotas === undefined ? {} : { quotas: props.quotas }),
    });
    const connect = new TimbreConnect(this, 'Connect', {
      table: storage.table,
      audioBucketName: storage.audioBucket.bucketName,
      key: keys.key,
      ...(props.quotas === undefined ? {} : { quotas: props.quotas }),
      ...(props.streamNamePrefix === undefined ? {} : { streamNamePrefix: props.streamNamePrefix }),
      ...(props.connectInstanceArn === undefined ? {} : { connectInstanceArn: props.connectInstanceArn }),
    });
    const lifecycle = new TimbreLifecycle(this, 'Lifecycle', { table: storage.table, audioBucket: storage.audioBucket });
    // Key changes re-encrypt asynchronously; the API starts them, the sweep restarts those that failed or were abandoned.
    const reencryption = new TimbreReencryption(this, 'Reencryption', { table: storage.table, audioBucket: storage.audioBucket, key: keys.key });
    reencryption.grantLaunch(api.handler);
    reencryption.grantLaunch(lifecycle.handler);
    // Batch jobs: the workflow, and what the API needs to start it.
    const batch = new TimbreBatchWorkflow(this, 'Batch', {
      table: storage.table,
      audioBucket: storage.audioBucket,
      batchBucket: storage.batchBucket,
      key: keys.key,
      ...(props.quotas === undefined ? {} : { quotas: props.quotas }),
      ...(props.batchConcurrency === undefined ? {} : { concurrency: props.batchConcurrency }),
      ...(props.batchRoleBuckets === undefined ? {} : { roleBuckets: props.batchRoleBuckets }),
      ...(props.batchDataAccessRoleArns === undefined ? {} : { dataAccessRoleArns: props.batchDataAccessRoleArns }),
      ...(props.batchAssumeDataAccessRole === undefined ? {} : { assumeDataAccessRole: props.batchAssumeDataAccessRole }),
    });
    api.handler.fn.addEnvironment(ENV.BATCH_STATE_MACHINE_ARN, batch.stateMachine.stateMachineArn);
    api.handler.fn.addEnvironment(ENV.BATCH_BUCKET, storage.batchBucket.bucketName);
    batch.stateMachine.grantStartExecution(api.handler.fn);

    new CfnOutput(this, STACK_OUTPUTS.apiUrl, { value: api.restApi.url, description: 'Voice ID endpoint (use signingName execute-api)' });
    new CfnOutput(this, STACK_OUTPUTS.tableName, { value: storage.table.tableName });
    new CfnOutput(this, STACK_OUTPUTS.audioBucket, { value: storage.audioBucket.bucketName });
    new CfnOutput(this, STACK_OUTPUTS.batchBucket, { value: storage.batchBucket.bucketName });
    new CfnOutput(this, STACK_OUTPUTS.keyArn, { value: keys.key.keyArn });
    new CfnOutput(this, STACK_OUTPUTS.connectStartFunction, { value: connect.start.fn.functionArn, description: 'Lambda for the flow block after Start media streaming' });
    new CfnOutput(this, STACK_OUTPUTS.connectEvaluateFunction, { value: connect.evaluate.fn.functionArn, description: 'Lambda for the flow block that checks the caller' });
    new CfnOutput(this, STACK_OUTPUTS.batchStateMachineArn, { value: batch.stateMachine.stateMachineArn, description: 'Batch enrolment and fraudster registration jobs' });
  }
}
