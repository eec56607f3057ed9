import { VoiceIDClient, type VoiceIDClientConfig } from '@aws-sdk/client-voice-id';
import { inject } from 'vitest';
import type { TimbreTestEnv } from './provided-context.js';

/** The local Timbre the global setup started (endpoint, credentials, resource names). */
export function timbreTestEnv(): TimbreTestEnv {
  return inject('timbre');
}

/**
 * An official Voice ID client pointed at the suite's local Timbre, signed with the credentials it
 * accepts. `overrides` replaces any setting (e.g. wrong credentials for auth tests).
 * @example const client = makeVoiceIdClient(); await client.send(new ListDomainsCommand({}));
 */
export function makeVoiceIdClient(overrides: Partial<VoiceIDClientConfig> = {}): VoiceIDClient {
  const env = timbreTestEnv();
  return new VoiceIDClient({ endpoint: env.endpoint, region: env.region, credentials: env.credentials, maxAttempts: 1, ...overrides });
}

/**
 * Environment variables that point the AWS SDK clients of a handler run inside this test worker at the
 * suite's local services: region, the credentials they accept, and the DynamoDB, S3, KMS and Lambda endpoints.
 * @example Object.assign(process.env, { [ENV.TABLE_NAME]: table }, localServiceEnv());
 */
export function localServiceEnv(): Record<string, string> {
  const env = timbreTestEnv();
  return {
    AWS_REGION: env.region,
    AWS_ACCESS_KEY_ID: env.serviceCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: env.serviceCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: env.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: env.endpoints.s3,
    AWS_ENDPOINT_URL_KMS: env.endpoints.kms,
    // Handlers that start another function (the sweep restarting a key change) reach the suite's Invoke API.
    AWS_ENDPOINT_URL_LAMBDA: env.endpoints.lambda,
  };
}

/**
 * Client settings for one of the local AWS services (DynamoDB Local, s3rver, local KMS, local SFN),
 * for tests that inspect what the API stored.
 * @example new DynamoDBClient(localServiceConfig('dynamodb'))
 */
export function localServiceConfig(service: keyof TimbreTestEnv['endpoints']): {
  endpoint: string;
  region: string;
  credentials: TimbreTestEnv['serviceCredentials'];
  forcePathStyle?: boolean;
} {
  const env = timbreTestEnv();
  const config = { endpoint: env.endpoints[service], region: env.region, credentials: env.serviceCredentials };
  return service === 's3' ? { ...config, forcePathStyle: true } : config;
}
