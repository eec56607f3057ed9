/**
 * Names the stack promises to the local mode (lambdas/local): its outputs and template metadata.
 *
 * lib/contract/ is what the stack and the runtime share: nothing in it may import aws-cdk-lib or
 * constructs (test/infra/cdk-free.test.ts checks it), so the local server can read a cached
 * template without loading the CDK.
 */

/** Output names the local mode reads to tell which resource is which. */
export const STACK_OUTPUTS = {
  apiUrl: 'ApiUrl',
  tableName: 'TableName',
  audioBucket: 'AudioBucketName',
  batchBucket: 'BatchBucketName',
  keyArn: 'KeyArn',
  connectStartFunction: 'ConnectStartFunctionArn',
  connectEvaluateFunction: 'ConnectEvaluateFunctionArn',
  batchStateMachineArn: 'BatchStateMachineArn',
} as const;

/** Template metadata key on each AWS::Lambda::Function naming its handler module (repository-relative). */
export const ENTRY_METADATA_KEY = 'timbre:entry';
