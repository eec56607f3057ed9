/**
 * The shape of Timbre's DynamoDB table, shared by the CDK storage construct (which creates it)
 * and `lambdas/store` (which reads and writes it). Single-table design: every item has a partition
 * key `pk` and sort key `sk`; secondary lookups go through the GSIs listed here.
 *
 * lib/contract/ is what the stack and the runtime share: nothing in it may import aws-cdk-lib or
 * constructs (test/infra/cdk-free.test.ts checks it).
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after this. Readers must still filter on it. */
  ttlAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ],
} as const;
