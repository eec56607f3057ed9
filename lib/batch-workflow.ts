import { Aws, Duration, Stack, Token, Validations, type CfnElement } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from './contract/env-names.js';
import { TimbreFunction } from './timbre-function.js';

/** Envelope encryption and SSE-KMS on the functions' behalf. */
const KMS_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] as const;

/** Props of {@link TimbreBatchWorkflow}. */
export interface TimbreBatchWorkflowProps {
  readonly table: dynamodb.ITableV2;
  readonly audioBucket: s3.IBucket;
  readonly batchBucket: s3.IBucket;
  readonly key: kms.IKey;
  readonly quotas?: string;
  /** Records processed at once (the Distributed Map's MaxConcurrency). @default 40 */
  readonly concurrency?: number;
  /** Buckets a job's DataAccessRoleArn stands for, besides the batch bucket (locally enforced; TIMBRE_BATCH_ROLE_BUCKETS). */
  readonly roleBuckets?: readonly string[];
  /** Customers' data-access roles the workflow may assume (`sts:AssumeRole` on these and nothing wider). @default none */
  readonly dataAccessRoleArns?: readonly string[];
  /** Whether the steps act as the job's role through STS (TIMBRE_BATCH_ASSUME_ROLE); local mode, which has no STS, turns it off. @default true */
  readonly assumeDataAccessRole?: boolean;
}

/**
 * Batch enrolment and fraudster registration (issue 9): a Standard state machine (JSONPath only, so the local runner
 * executes the same definition) started by StartSpeakerEnrollmentJob / StartFraudsterRegistrationJob or by a
 * manifest uploaded under `jobs/` in the batch bucket (S3 → EventBridge → the state machine). Steps: create the
 * upload's job → read and check the manifest → a Distributed Map over the records (one Lambda each, retried with
 * backoff on throttling) → write the output file and set the final status.
 */
export class TimbreBatchWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  /** The stack's default data-access role (what an upload's job runs as when its settings name none). */
  public readonly batchRole: iam.Role;
  public readonly functions: readonly TimbreFunction[];
  /** Starts again the jobs a stopped runner left active. */
  public readonly resume: TimbreFunction;

  constructor(scope: Construct, id: string, props: TimbreBatchWorkflowProps) {
    super(scope, id);
    const environment = {
      [ENV.TABLE_NAME]: props.table.tableName,
      [ENV.AUDIO_BUCKET]: props.audioBucket.bucketName,
      [ENV.BATCH_BUCKET]: props.batchBucket.bucketName,
      ...(props.roleBuckets === undefined || props.roleBuckets.length === 0 ? {} : { [ENV.BATCH_ROLE_BUCKETS]: props.roleBuckets.join(',') }),
      ...(props.quotas === undefined ? {} : { [ENV.QUOTAS]: props.quotas }),
    };
    this.batchRole = new iam.Role(this, 'DataAccessRole', {
      assumedBy: new iam.AccountPrincipal(Aws.ACCOUNT_ID),
      description: 'Timbre: default data-access role of batch jobs started by a manifest upload',
    });
    props.batchBucket.grantRead(this.batchRole);
    props.batchBucket.grantPut(this.batchRole, 'results/*');
    const withRole = { ...environment, [ENV.BATCH_ROLE_ARN]: this.batchRole.roleArn };
    // The steps that read manifests and audio and write output act as the job's role (sts:AssumeRole below).
    const asRole = props.assumeDataAccessRole === false ? environment : { ...environment, [ENV.BATCH_ASSUME_ROLE]: 'true' };

    const upload = new TimbreFunction(this, 'Upload', { entry: 'lambdas/handlers/batch-upload.ts', serviceName: 'timbre-batch-upload', environment: withRole });
    const prepare = new TimbreFunction(this, 'Prepare', {
      entry: 'lambdas/handlers/batch-prepare.ts', serviceName: 'timbre-batch-prepare', environment: asRole, timeout: Duration.minutes(5), memorySize: 1024,
    });
    const record = new TimbreFunction(this, 'Record', {
      entry: 'lambdas/handlers/batch-record.ts', serviceName: 'timbre-batch-record', environment: asRole, inference: true, timeout: Duration.minutes(5), memorySize: 2048,
    });
    const finish = new TimbreFunction(this, 'Finish', {
      entry: 'lambdas/handlers/batch-finish.ts', serviceName: 'timbre-batch-finish', environment: asRole, timeout: Duration.minutes(5), memorySize: 1024,
    });
    this.functions = [upload, prepare, record, finish];
    for (const { fn } of this.functions) {
      props.table.grantReadWriteData(fn);
      props.batchBucket.grantReadWrite(fn);
      props.key.grant(fn, ...KMS_ACTIONS);
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...KMS_ACTIONS], resources: [`arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`] }));
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [this.batchRole.roleArn, ...(props.dataAccessRoleArns ?? [])] }));
    }
    record.fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: [props.audioBucket.arnForObjects('*')],
    }));
    record.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:ListBucketVersions'], resources: [props.audioBucket.bucketArn] }));

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(props, { upload, prepare, record, finish })),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'ExecutionLogs', { retention: logs.RetentionDays.THREE_MONTHS }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: false,
      },
    });
    props.batchBucket.grantRead(this.stateMachine);
    // Jobs left active by a stopped runner (locally: `timbre serve` stopped mid-job) start again from the records
    // not yet done; local mode runs this function when it starts.
    this.resume = new TimbreFunction(this, 'Resume', {
      entry: 'lambdas/handlers/batch-resume.ts', serviceName: 'timbre-batch-resume', environment: { ...environment, [ENV.BATCH_STATE_MACHINE_ARN]: this.stateMachine.stateMachineArn },
    });
    props.table.grantReadData(this.resume.fn);
    this.stateMachine.grantStartExecution(this.resume.fn);
    new events.Rule(this, 'OnManifest', {
      description: 'Timbre: a manifest uploaded under jobs/<DomainId>/enrol/ or jobs/<DomainId>/register/ starts a batch job',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.batchBucket.bucketName] }, object: { key: [{ wildcard: 'jobs/*.json' }] } },
      },
      targets: [new targets.SfnStateMachine(this.stateMachine)],
    });
    this.acknowledgeFindings(props);
  }

  /** The ASL: upload → prepare → Distributed Map of records → finish. */
  private definition(
    props: TimbreBatchWorkflowProps,
    fns: Record<'upload' | 'prepare' | 'record' | 'finish', TimbreFunction>,
  ): sfn.IChainable {
    const fromUpload = new tasks.LambdaInvoke(this, 'CreateUploadJob', { lambdaFunction: fns.upload.fn, outputPath: '$.Payload' });
    const prepare = new tasks.LambdaInvoke(this, 'ReadManifest', {
      lambdaFunction: fns.prepare.fn,
      payload: sfn.TaskInput.fromObject({ 'job.$': '$.job' }),
      resultSelector: { 'work.$': '$.Payload.work' },
      resultPath: '$.prepared',
    });
    const perRecord = new tasks.LambdaInvoke(this, 'ProcessRecord', { lambdaFunction: fns.record.fn, payloadResponseOnly: true, retryOnServiceExceptions: false });
    // Throttling and transient Lambda failures are retried with backoff; a record that still fails is left
    // without an outcome, which FinishJob reports as 500 (never lost).
    perRecord.addRetry({
      errors: ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'ThrottlingException', 'ProvisionedThroughputExceededException'],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 6,
      jitterStrategy: sfn.JitterType.FULL,
    });
    perRecord.addCatch(new sfn.Pass(this, 'RecordLeftForFinish'), { errors: ['States.ALL'], resultPath: sfn.JsonPath.DISCARD });
    const records = new sfn.DistributedMap(this, 'EachRecord', {
      itemReader: new sfn.S3JsonItemReader({ bucket: props.batchBucket, key: sfn.JsonPath.stringAt('$.prepared.work.Key') }),
      maxConcurrency: props.concurrency ?? 40,
      toleratedFailurePercentage: 100,
      resultPath: sfn.JsonPath.DISCARD,
    });
    records.itemProcessor(perRecord);
    const finish = new tasks.LambdaInvoke(this, 'FinishJob', {
      lambdaFunction: fns.finish.fn,
      payload: sfn.TaskInput.fromObject({ 'job.$': '$.job' }),
      outputPath: '$.Payload',
    });
    const run = prepare.next(
      new sfn.Choice(this, 'AnyRecords')
        .when(sfn.Condition.isNull('$.prepared.work'), finish)
        .otherwise(records.next(finish)),
    );
    return new sfn.Choice(this, 'StartedBy')
      .when(
        sfn.Condition.isPresent('$.detail'),
        fromUpload.next(new sfn.Choice(this, 'UploadCreatedJob').when(sfn.Condition.isNull('$.job'), new sfn.Succeed(this, 'NothingToDo')).otherwise(run)),
      )
      .otherwise(run);
  }

  /** cdk-nag findings reviewed for this construct (its functions', role's and state machine's policies). */
  private acknowledgeFindings(props: TimbreBatchWorkflowProps): void {
    const id = (construct: Construct): string => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
    const machine = id(this.stateMachine);
    // cdk-nag prints an account or region the synth does not know (no CDK_DEFAULT_ACCOUNT) as its pseudo parameter.
    const { account, region } = Stack.of(this);
    const shown = (value: string, pseudo: string): string => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const execution = `arn:<AWS::Partition>:states:${shown(region, 'Region')}:${shown(account, 'AccountId')}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machine}"}]}]}`;
    const bucketGrant = 'Added by Bucket.grantRead/grantReadWrite on the batch bucket (manifests, work lists, results).';
    const kmsGrant = "Added by the table's and buckets' grants for their customer-managed key (used on the caller's behalf).";
    Validations.of(this).acknowledge(
      { id: 'AwsSolutions-IAM5[Action::s3:GetObject*]', reason: bucketGrant },
      { id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]', reason: bucketGrant },
      { id: 'AwsSolutions-IAM5[Action::s3:List*]', reason: bucketGrant },
      { id: 'AwsSolutions-IAM5[Action::s3:Abort*]', reason: bucketGrant },
      { id: 'AwsSolutions-IAM5[Action::s3:DeleteObject*]', reason: bucketGrant },
      { id: `AwsSolutions-IAM5[Resource::<${id(props.batchBucket)}.Arn>/*]`, reason: 'Manifests, work lists and results are objects of the batch bucket keyed by domain and job.' },
      { id: `AwsSolutions-IAM5[Resource::<${id(props.batchBucket)}.Arn>/results/*]`, reason: 'The default data-access role writes job results under results/.' },
      { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${id(props.batchBucket)}>/*]`, reason: "The Distributed Map reads each job's work list from the batch bucket." },
      { id: `AwsSolutions-IAM5[Resource::<${id(props.audioBucket)}.Arn>/*]`, reason: 'Enrolment audio is keyed by domain and speaker: any object of the audio bucket.' },
      { id: `AwsSolutions-IAM5[Resource::<${id(props.table)}.Arn>/index/*]`, reason: "Queries on the table's GSIs (active jobs, listings)." },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: kmsGrant },
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: kmsGrant },
      { id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]', reason: 'A Voice ID domain may name its own customer-managed key, and OutputDataConfig.KmsKeyId any key of the account.' },
      ...this.functions.map((f) => ({ id: `AwsSolutions-IAM5[Resource::<${id(f.fn)}.Arn>:*]`, reason: 'Added by LambdaInvoke: any version of the step function.' })),
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray and CloudWatch Logs delivery actions of the state machine do not support resource-level permissions.' },
      { id: `AwsSolutions-IAM5[Resource::${execution}:*]`, reason: "The Distributed Map's child executions of this state machine." },
      { id: `AwsSolutions-IAM5[Resource::${execution}/*:*]`, reason: "The Distributed Map's child executions of this state machine." },
    );
  }
}
