import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from './contract/table-schema.js';

/** Props of {@link TimbreStorage}. */
export interface TimbreStorageProps {
  /** The customer-managed key for the table and both data buckets. */
  readonly key: kms.IKey;
}

const str = dynamodb.AttributeType.STRING;

/**
 * Timbre's data at rest: the single table (shape from lib/contract/table-schema.ts, TTL on `expiresAt`), the
 * audio bucket (enrolment audio and voiceprints) and the batch bucket (job manifests and results,
 * EventBridge notifications on), all encrypted with the customer-managed key, plus the bucket that
 * receives their server access logs.
 */
export class TimbreStorage extends Construct {
  public readonly table: dynamodb.TableV2;
  public readonly audioBucket: s3.Bucket;
  public readonly batchBucket: s3.Bucket;
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: TimbreStorageProps) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: str },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: str },
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      globalSecondaryIndexes: TABLE_SCHEMA.globalSecondaryIndexes.map((gsi) => ({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: str },
        sortKey: { name: gsi.sortKey, type: str },
      })),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // S3 server access logging delivers only to SSE-S3 buckets, so this one cannot use the CMK.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log target itself; logging it into itself would loop.',
    });

    // CDK's custom resource that switches on EventBridge notifications runs under this role.
    const notificationsRole = new iam.Role(this, 'NotificationsHandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    Validations.of(notificationsRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK attaches the AWS managed basic execution role (CloudWatch Logs only) to the bucket-notifications custom resource.',
    });

    // Deleting a versioned object only adds a delete marker: expire the old versions so that deleted
    // or expired biometric audio is really destroyed (Voice ID: audio goes within a day or so).
    this.audioBucket = this.dataBucket('Audio', props.key);
    this.audioBucket.addLifecycleRule({
      id: 'DestroyDeletedAudio',
      noncurrentVersionExpiration: Duration.days(1),
      expiredObjectDeleteMarker: true,
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    });
    this.batchBucket = this.dataBucket('Batch', props.key, notificationsRole);
  }

  /** A data bucket; with `notificationsRole`, EventBridge notifications are on (batch manifests). */
  private dataBucket(id: string, key: kms.IKey, notificationsRole?: iam.IRole): s3.Bucket {
    return new s3.Bucket(this, id, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${id.toLowerCase()}/`,
      eventBridgeEnabled: notificationsRole !== undefined,
      ...(notificationsRole === undefined ? {} : { notificationsHandlerRole: notificationsRole }),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
