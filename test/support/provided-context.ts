/**
 * What test/global-setup.ts hands every test file through vitest's provide/inject: the local
 * Timbre endpoint, the credentials it accepts, the local AWS service endpoints and resource names.
 */
export interface TimbreTestEnv {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Credentials the local AWS services accept (s3rver checks signatures against fixed ones). */
  serviceCredentials: { accessKeyId: string; secretAccessKey: string };
  endpoints: { dynamodb: string; s3: string; kms: string; sfn: string };
  resources: {
    tableName: string;
    audioBucket: string;
    batchBucket: string;
    /** The stack's customer-managed key (the handler's TIMBRE_DEFAULT_KMS_KEY) and its alias. */
    kmsKeyArn: string;
    kmsKeyAlias: string;
    /** Alias of the extra key the local KMS always has ('alias/timbre-local'). */
    localKeyAlias: string;
    apiFunction: string;
  };
}

declare module 'vitest' {
  interface ProvidedContext {
    timbre: TimbreTestEnv;
  }
}
