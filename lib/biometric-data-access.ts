import { Aws, CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { ENV } from './contract/env-names.js';
import type { TimbreFunction } from './timbre-function.js';

/** What Timbre's code does with KMS keys: envelope encryption (and S3's SSE-KMS on its behalf). */
const KMS_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] as const;

/** The logical ID cdk-nag prints for a construct's CloudFormation resource. */
export function logicalIdOf(construct: Construct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** The environment every function over Voice ID's records needs: where the table and the audio live. */
export function storageEnvironment(table: dynamodb.ITableV2, audioBucketName: string): Record<string, string> {
  return { [ENV.TABLE_NAME]: table.tableName, [ENV.AUDIO_BUCKET]: audioBucketName };
}

/** The default policy of a Timbre Lambda's role, where its grants land (and cdk-nag reports them). */
export function defaultPolicyOf(fn: TimbreFunction): Construct {
  return (fn.fn.role as iam.Role).node.findChild('DefaultPolicy');
}

/**
 * Grants what every function that reads or writes Voice ID's records and voiceprints uses: read/write on the
 * table, and envelope encryption with the stack's key and with any key a domain names; acknowledges the cdk-nag
 * findings those grants raise, each with its reason.
 */
export function grantBiometricData(fn: TimbreFunction, table: dynamodb.ITableV2, key: kms.IKey): void {
  table.grantReadWriteData(fn.fn);
  grantEnvelopeKeys(fn, key);
  Validations.of(defaultPolicyOf(fn)).acknowledge(
    { id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(table)}.Arn>/index/*]`, reason: "Queries on the table's GSIs (lib/contract/table-schema.ts)." },
    { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: "Added by TableV2.grantReadWriteData for the table's customer-managed key (DynamoDB uses it on the caller's behalf)." },
    { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: "Added by TableV2.grantReadWriteData for the table's customer-managed key (DynamoDB uses it on the caller's behalf)." },
  );
}

/**
 * Grants envelope encryption with the stack's key (which also encrypts the table and buckets at rest) and with any
 * key of the account a domain names, and acknowledges the wildcard that the second needs.
 */
export function grantEnvelopeKeys(fn: TimbreFunction, key: kms.IKey): void {
  key.grant(fn.fn, ...KMS_ACTIONS);
  // A Voice ID domain may name its own customer-managed key (ServerSideEncryptionConfiguration).
  fn.fn.addToRolePolicy(new iam.PolicyStatement({
    actions: [...KMS_ACTIONS],
    resources: [`arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`],
  }));
  Validations.of(defaultPolicyOf(fn)).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]',
    reason: 'A Voice ID domain may name any customer-managed key of the account for its voiceprints; that key policy must still allow it.',
  });
}
