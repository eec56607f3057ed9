import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TimbreApi } from './api.js';
import { TimbreConnect } from './connect.js';
import { TimbreKeys } from './keys.js';
import { TimbreLifecycle } from './lifecycle.js';
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
}

/**
 * Timbre in one stack: keys, storage, the Voice ID API, the Amazon Connect Lambdas and the daily retention sweep.
 * Functions that run a model share the inference layer (`TimbreFunction`'s `inference` prop).
 */
export class TimbreStack extends Stack {
  constructor(scope: Construct, id: string, props: TimbreStackProps) {
    super(scope, id, props);
    // Access logs are delivered under a bucket policy, not the legacy LogDeliveryWrite ACL. Set here,
    // not in cdk.json, so in-process synths (tests, local mode) build the same template.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
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
    new TimbreLifecycle(this, 'Lifecycle', { table: storage.table, audioBucket: storage.audioBucket });

    new CfnOutput(this, STACK_OUTPUTS.apiUrl, { value: api.restApi.url, description: 'Voice ID endpoint (use signingName execute-api)' });
    new CfnOutput(this, STACK_OUTPUTS.tableName, { value: storage.table.tableName });
    new CfnOutput(this, STACK_OUTPUTS.audioBucket, { value: storage.audioBucket.bucketName });
    new CfnOutput(this, STACK_OUTPUTS.batchBucket, { value: storage.batchBucket.bucketName });
    new CfnOutput(this, STACK_OUTPUTS.keyArn, { value: keys.key.keyArn });
    new CfnOutput(this, STACK_OUTPUTS.connectStartFunction, { value: connect.start.fn.functionArn, description: 'Lambda for the flow block after Start media streaming' });
    new CfnOutput(this, STACK_OUTPUTS.connectEvaluateFunction, { value: connect.evaluate.fn.functionArn, description: 'Lambda for the flow block that checks the caller' });
  }
}
