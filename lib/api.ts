import { Aws, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { defaultPolicyOf, grantBiometricData, logicalIdOf } from './biometric-data-access.js';
import { ENV } from './contract/env-names.js';
import { TimbreFunction } from './timbre-function.js';

/** Props of {@link TimbreApi}. */
export interface TimbreApiProps {
  readonly table: dynamodb.ITableV2;
  readonly audioBucket: s3.IBucket;
  readonly key: kms.IKey;
  /** JSON quota overrides (TIMBRE_QUOTAS), e.g. '{"domainsPerRegion":100}'. @default Voice ID's quotas */
  readonly quotas?: string;
  /** Buckets whose objects PutSessionAudio's S3Uri may name (TIMBRE_SESSION_AUDIO_BUCKETS). @default none */
  readonly sessionAudioBuckets?: readonly string[];
}

/**
 * The Voice ID API: a REST API with IAM authorisation whose only route, `POST /`, proxies to one
 * Lambda. The construct sets the Lambda's configuration and grants exactly what that configuration
 * points at.
 */
export class TimbreApi extends Construct {
  public readonly handler: TimbreFunction;
  public readonly restApi: apigateway.RestApi;

  constructor(scope: Construct, id: string, props: TimbreApiProps) {
    super(scope, id);
    this.handler = new TimbreFunction(this, 'Handler', {
      entry: 'lambdas/handlers/api.ts',
      serviceName: 'timbre-api',
      // Sessions run the speaker model and Silero VAD in the API (PutSessionAudio, EvaluateSession, EnrollBySession).
      inference: true,
      memorySize: 2048,
      environment: {
        [ENV.TABLE_NAME]: props.table.tableName,
        [ENV.AUDIO_BUCKET]: props.audioBucket.bucketName,
        ...(props.quotas === undefined ? {} : { [ENV.QUOTAS]: props.quotas }),
        ...(props.sessionAudioBuckets === undefined || props.sessionAudioBuckets.length === 0
          ? {}
          : { [ENV.SESSION_AUDIO_BUCKETS]: props.sessionAudioBuckets.join(',') }),
      },
    });
    const fn = this.handler.fn;
    if (props.sessionAudioBuckets !== undefined && props.sessionAudioBuckets.length > 0) {
      fn.addToRolePolicy(new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: props.sessionAudioBuckets.map((bucket) => `arn:${Aws.PARTITION}:s3:::${bucket}/*`),
      }));
    }
    grantBiometricData(this.handler, props.table, props.key);
    // Object-level read/write only (bucket grants would add s3:*Bucket* and kms:ReEncrypt*).
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: [props.audioBucket.arnForObjects('*')],
    }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:ListBucketVersions'], resources: [props.audioBucket.bucketArn] }));

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      description: 'Timbre: the Amazon Connect Voice ID API',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: 'v1',
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        tracingEnabled: true,
      },
    });
    this.restApi.root.addMethod('POST', new apigateway.LambdaIntegration(fn), {
      authorizationType: apigateway.AuthorizationType.IAM,
      requestValidator: new apigateway.RequestValidator(this, 'HeaderValidator', {
        restApi: this.restApi,
        validateRequestParameters: true,
        validateRequestBody: true,
      }),
      requestParameters: { 'method.request.header.X-Amz-Target': true },
    });
    this.acknowledgeFindings(props);
  }

  /** cdk-nag findings reviewed for this construct, each at the narrowest scope. */
  private acknowledgeFindings(props: TimbreApiProps): void {
    // The findings every TimbreFunction raises are acknowledged there; these come from this construct's grants.
    Validations.of(defaultPolicyOf(this.handler)).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.audioBucket)}.Arn>/*]`,
      reason: 'Audio and voiceprint objects are keyed by domain and speaker: any object in the audio bucket.',
    });
    Validations.of(this.restApi).acknowledge(
      { id: 'AwsSolutions-APIG3', reason: 'The API is IAM-authorised (SigV4) only; an operator can put a WAF in front of it.' },
      { id: 'AwsSolutions-COG4', reason: 'Voice ID clients authenticate with IAM (SigV4), not Cognito user pools.' },
    );
    Validations.of(this.restApi.node.findChild('CloudWatchRole')).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'AWS managed role that lets API Gateway write its execution logs to CloudWatch.',
    });
  }
}
