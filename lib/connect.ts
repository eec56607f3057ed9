import { Aws, Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { defaultPolicyOf, grantBiometricData, logicalIdOf } from './biometric-data-access.js';
import { ENV } from './contract/env-names.js';
import { TimbreFunction } from './timbre-function.js';

/** Props of {@link TimbreConnect}. */
export interface TimbreConnectProps {
  readonly table: dynamodb.ITableV2;
  /** The audio bucket's name (the session code is configured with it, but reads and writes no audio object). */
  readonly audioBucketName: string;
  /** The table's customer-managed key. */
  readonly key: kms.IKey;
  /** JSON quota overrides (TIMBRE_QUOTAS), as the API gets them. */
  readonly quotas?: string;
  /**
   * Only Connect's streams are read: their names start with this prefix (Connect's "Live media streaming" prefix
   * followed by `-`). @default every stream of the account and region
   */
  readonly streamNamePrefix?: string;
  /** The Amazon Connect instance allowed to invoke the flow Lambdas. @default any instance of this account */
  readonly connectInstanceArn?: string;
}

/**
 * Amazon Connect's side of Timbre: the flow's start and evaluate Lambdas (invoked by Connect, answering flat
 * STRING_MAPs) and the call-audio consumer that the start Lambda invokes asynchronously, which reads the caller's
 * track from Kinesis Video. All three run the speaker model from the shared inference layer; each gets exactly the
 * rights its code uses.
 */
export class TimbreConnect extends Construct {
  public readonly start: TimbreFunction;
  public readonly evaluate: TimbreFunction;
  public readonly callAudio: TimbreFunction;

  constructor(scope: Construct, id: string, props: TimbreConnectProps) {
    super(scope, id);
    const environment = {
      [ENV.TABLE_NAME]: props.table.tableName,
      [ENV.AUDIO_BUCKET]: props.audioBucketName,
      ...(props.quotas === undefined ? {} : { [ENV.QUOTAS]: props.quotas }),
    };
    this.callAudio = new TimbreFunction(this, 'CallAudio', {
      entry: 'lambdas/handlers/connect-call-audio.ts',
      serviceName: 'timbre-connect-call-audio',
      environment,
      inference: true,
      memorySize: 2048,
      // A call is read until 30 s of net speech or its end; the session's idle timeout covers longer silences.
      timeout: Duration.minutes(15),
    });
    // A retried consumer would feed the same audio twice.
    this.callAudio.fn.configureAsyncInvoke({ retryAttempts: 0 });
    this.start = new TimbreFunction(this, 'Start', {
      entry: 'lambdas/handlers/connect-start.ts',
      serviceName: 'timbre-connect-start',
      environment: { ...environment, [ENV.CALL_AUDIO_FUNCTION]: this.callAudio.fn.functionName },
      inference: true,
      timeout: Duration.seconds(8),
    });
    this.evaluate = new TimbreFunction(this, 'Evaluate', {
      entry: 'lambdas/handlers/connect-evaluate.ts',
      serviceName: 'timbre-connect-evaluate',
      environment,
      inference: true,
      memorySize: 2048,
      timeout: Duration.seconds(8),
    });

    const streams = `arn:${Aws.PARTITION}:kinesisvideo:${Aws.REGION}:${Aws.ACCOUNT_ID}:stream/${props.streamNamePrefix ?? ''}*`;
    this.callAudio.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kinesisvideo:GetDataEndpoint', 'kinesisvideo:GetMedia'], resources: [streams] }));
    this.callAudio.fn.grantInvoke(this.start.fn);
    for (const fn of [this.start, this.evaluate, this.callAudio]) grantBiometricData(fn, props.table, props.key);
    for (const fn of [this.start.fn, this.evaluate.fn]) {
      fn.addPermission('InvokedByConnect', {
        principal: new iam.ServicePrincipal('connect.amazonaws.com'),
        sourceAccount: Aws.ACCOUNT_ID,
        ...(props.connectInstanceArn === undefined ? {} : { sourceArn: props.connectInstanceArn }),
      });
    }
    this.acknowledgeFindings(props);
  }

  /** cdk-nag findings of this construct's grants, each at the narrowest scope. */
  private acknowledgeFindings(props: TimbreConnectProps): void {
    const streamResource = `Resource::arn:<AWS::Partition>:kinesisvideo:<AWS::Region>:<AWS::AccountId>:stream/${props.streamNamePrefix ?? ''}*`;
    Validations.of(defaultPolicyOf(this.callAudio)).acknowledge({
      id: `AwsSolutions-IAM5[${streamResource}]`,
      reason: "Connect creates one stream per contact (or reuses one) under the instance's stream prefix: the names are not known in advance.",
    });
    Validations.of(defaultPolicyOf(this.start)).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.callAudio.fn)}.Arn>:*]`,
      reason: 'grantInvoke covers the versions and aliases of the call-audio function.',
    });
  }
}
