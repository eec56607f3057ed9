/**
 * Names the stack promises to the local mode (lambdas/local), kept free of aws-cdk-lib imports so
 * the local server can read a cached template without loading the CDK.
 */

/** Output names the local mode reads to tell which resource is which. */
export const STACK_OUTPUTS = {
  apiUrl: 'ApiUrl',
  tableName: 'TableName',
  audioBucket: 'AudioBucketName',
  batchBucket: 'BatchBucketName',
  keyArn: 'KeyArn',
} as const;

/** Template metadata key on each AWS::Lambda::Function naming its handler module (repository-relative). */
export const ENTRY_METADATA_KEY = 'timbre:entry';
