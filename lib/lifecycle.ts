import { Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { storageEnvironment } from './biometric-data-access.js';
import { TimbreFunction } from './timbre-function.js';

/** The logical ID cdk-nag prints for a construct's CloudFormation resource. */
function logicalIdOf(construct: Construct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** Props of {@link TimbreLifecycle}. */
export interface TimbreLifecycleProps {
  readonly table: dynamodb.ITableV2;
  readonly audioBucket: s3.IBucket;
  /** How often the sweep runs. @default Schedule.rate(Duration.days(1)) */
  readonly schedule?: events.Schedule;
}

/**
 * Voice ID's retention rules, enforced on a schedule: an EventBridge rule runs
 * lambdas/handlers/lifecycle-sweep.ts daily, which purges soft-deleted domains after 30 days and
 * destroys the voiceprints and S3 audio of expired speakers (DynamoDB TTL alone leaves S3 audio and
 * a deleted domain's items behind). Runs that still fail after retries land in an SQS dead-letter queue.
 */
export class TimbreLifecycle extends Construct {
  public readonly handler: TimbreFunction;
  public readonly rule: events.Rule;
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: TimbreLifecycleProps) {
    super(scope, id);
    this.handler = new TimbreFunction(this, 'Sweep', {
      entry: 'lambdas/handlers/lifecycle-sweep.ts',
      serviceName: 'timbre-lifecycle-sweep',
      memorySize: 512,
      // The handler loops until nothing is due; a backlog (e.g. the first run) may take minutes.
      timeout: Duration.minutes(15),
      environment: storageEnvironment(props.table, props.audioBucket.bucketName),
    });
    const fn = this.handler.fn;
    // Queries the GSIs, updates speakers, deletes voiceprints and a purged domain's items; the
    // grant also covers the table's customer-managed key, which DynamoDB uses on the caller's behalf.
    props.table.grantReadWriteData(fn);
    // The sweep only lists and deletes audio (ListObjectsV2 + DeleteObject): no read, no write, no
    // KMS (deleting an SSE-KMS object does not decrypt it), so no bucket grant helper.
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [props.audioBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': ['audio/*'] } },
    }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [props.audioBucket.arnForObjects('audio/*')] }));

    // The messages are EventBridge's scheduled events (no biometric data), so SQS-managed encryption
    // suffices and the data key's policy need not name events.amazonaws.com.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // Failed runs (the handler threw after Lambda's async retries) land here too, not only events
    // EventBridge could not deliver.
    fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new destinations.SqsDestination(this.deadLetterQueue) });
    this.rule = new events.Rule(this, 'Daily', {
      description: 'Timbre: daily retention sweep (purge deleted domains, destroy expired speakers\' biometrics)',
      schedule: props.schedule ?? events.Schedule.rate(Duration.days(1)),
      targets: [new targets.LambdaFunction(fn, {
        retryAttempts: 4,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.deadLetterQueue,
      })],
    });
    this.acknowledgeFindings(props);
  }

  /** cdk-nag findings reviewed for this construct, each at the narrowest scope. */
  private acknowledgeFindings(props: TimbreLifecycleProps): void {
    // The findings every TimbreFunction raises are acknowledged there; these come from this construct's grants.
    const policy = (this.handler.fn.role as iam.Role).node.findChild('DefaultPolicy');
    Validations.of(policy).acknowledge(
      { id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.table)}.Arn>/index/*]`, reason: "The sweep finds due domains and speakers through the table's GSIs (lib/contract/table-schema.ts)." },
      { id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.audioBucket)}.Arn>/audio/*]`, reason: 'Audio objects are keyed audio/<domain>/<speaker>/: the sweep deletes those of any purged domain or expired speaker.' },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: "Added by TableV2.grantReadWriteData for the table's customer-managed key (DynamoDB uses it on the caller's behalf)." },
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: "Added by TableV2.grantReadWriteData for the table's customer-managed key (DynamoDB uses it on the caller's behalf)." },
    );
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the sweep rule and the sweep function.',
    });
  }
}
