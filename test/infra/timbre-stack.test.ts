import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../lib/table-schema.js';
import { TimbreStack } from '../../lib/timbre-stack.js';

const ENV = { account: '111122223333', region: 'eu-west-2' };

/** Synthesizes the stack once for the file, with bundling skipped (no esbuild in the tests). */
function buildStack(): { app: App; stack: TimbreStack } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new TimbreStack(app, 'Timbre', { env: ENV });
  return { app, stack };
}

describe('TimbreStack', () => {
  let template: Template;
  let keyLogicalId: string;

  beforeAll(() => {
    template = Template.fromStack(buildStack().stack);
    const keys = Object.keys(template.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(1);
    keyLogicalId = keys[0]!;
  });

  it('creates one customer-managed key with rotation and an alias', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/timbre', TargetKeyId: { 'Fn::GetAtt': [keyLogicalId, 'Arn'] } });
  });

  it('gives the table the schema keys, every GSI, TTL on expiresAt, PITR and the customer key', () => {
    const tables = template.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }, { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' }],
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      GlobalSecondaryIndexes: TABLE_SCHEMA.globalSecondaryIndexes.map((g) => Match.objectLike({
        IndexName: g.indexName,
        KeySchema: [{ AttributeName: g.partitionKey, KeyType: 'HASH' }, { AttributeName: g.sortKey, KeyType: 'RANGE' }],
      })),
      Replicas: [Match.objectLike({
        Region: ENV.region,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [keyLogicalId, 'Arn'] } },
      })],
    });
  });

  it('encrypts every data bucket with the customer key (bucket keys on) and the log bucket with SSE-S3', () => {
    const buckets = Object.entries(template.findResources('AWS::S3::Bucket'));
    expect(buckets.length).toBe(3);
    const withLogging = buckets.filter(([, b]) => b.Properties.LoggingConfiguration !== undefined);
    expect(withLogging).toHaveLength(2);
    for (const [, bucket] of withLogging) {
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyLogicalId, 'Arn'] } },
      }]);
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      });
    }
    // The access-log target: S3 server access logging cannot deliver to SSE-KMS buckets.
    const logTargets = buckets.filter(([, b]) => b.Properties.LoggingConfiguration === undefined);
    expect(logTargets[0]![1].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
  });

  it('denies non-TLS access on every bucket', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]));
    }
  });

  it('turns EventBridge notifications on for the batch bucket only', () => {
    const notifications = Object.values(template.findResources('Custom::S3BucketNotifications'));
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: {} });
  });

  it('protects POST / with IAM authorisation and proxies it to the Lambda', () => {
    template.resourceCountIs('AWS::ApiGateway::Method', 1);
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'AWS_IAM',
      Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      TracingEnabled: true,
    });
  });

  it('runs the API Lambda on Node 22 with its configuration and Powertools settings', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs22.x' } }));
    expect(functions).toHaveLength(1);
    const variables = functions[0]!.Properties.Environment.Variables;
    expect(Object.keys(variables)).toEqual(expect.arrayContaining([
      'TIMBRE_TABLE_NAME', 'TIMBRE_AUDIO_BUCKET', 'TIMBRE_DEFAULT_KMS_KEY', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL',
    ]));
    expect(variables.TIMBRE_DEFAULT_KMS_KEY).toEqual({ 'Fn::GetAtt': [keyLogicalId, 'Arn'] });
  });

  it('grants the Lambda encrypt, decrypt and data-key generation on the customer key', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']),
          Resource: { 'Fn::GetAtt': [keyLogicalId, 'Arn'] },
        })]),
      },
    });
  });
});

describe('TimbreStack under cdk-nag AwsSolutions', () => {
  it('synthesizes with no unacknowledged finding', () => {
    const { app } = buildStack();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
