import { Stack, type App } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { TimbreFunction } from '../../../lib/timbre-function.js';

/**
 * A small stack with the batch pipeline's shape: a manifest (JSON array) uploaded to an
 * EventBridge-enabled bucket starts a state machine whose Distributed Map reads the manifest and
 * runs a Lambda per item; the Lambda writes to a table.
 */
export function buildWorkflowTestStack(app: App, env: { account: string; region: string }): Stack {
  const stack = new Stack(app, 'WorkflowTest', { env });
  const bucket = new s3.Bucket(stack, 'Manifests', { eventBridgeEnabled: true });
  const table = new dynamodb.TableV2(stack, 'Records', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: 'expiresAt',
  });
  const worker = new TimbreFunction(stack, 'RecordItem', {
    entry: 'test/local/support/record-item-handler.ts',
    serviceName: 'workflow-test',
    environment: { RECORD_TABLE_NAME: table.tableName },
  });
  table.grantWriteData(worker.fn);

  const perItem = new tasks.LambdaInvoke(stack, 'RecordOne', {
    lambdaFunction: worker.fn,
    payloadResponseOnly: false,
    resultSelector: { 'doubled.$': '$.Payload.doubled' },
  });
  const map = new sfn.DistributedMap(stack, 'EachItem', {
    itemReader: new sfn.S3JsonItemReader({ bucket, key: sfn.JsonPath.stringAt('$.detail.object.key') }),
    maxConcurrency: 2,
  });
  map.itemProcessor(perItem);
  const machine = new sfn.StateMachine(stack, 'Workflow', {
    definitionBody: sfn.DefinitionBody.fromChainable(map.next(new sfn.Succeed(stack, 'Done'))),
  });
  bucket.grantRead(machine);
  new events.Rule(stack, 'OnManifest', {
    eventPattern: {
      source: ['aws.s3'],
      detailType: ['Object Created'],
      detail: { bucket: { name: [bucket.bucketName] }, object: { key: [{ suffix: '.json' }] } },
    },
    targets: [new targets.SfnStateMachine(machine)],
  });
  return stack;
}
