/**
 * Starts one local Timbre (DynamoDB Local, s3rver, local KMS, the SigV4-checked API server invoking
 * the real handler) for the whole suite on a temporary data directory, and hands its endpoint,
 * credentials and resource names to the tests (`inject('timbre')`, see test/support/).
 * TIMBRE_TEST_VERBOSE=1 prints where it listens and how long it took to start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalTimbre } from '../lambdas/local/index.js';
import type { TimbreTestEnv } from './support/provided-context.js';

/**
 * Tests create many domains (Voice ID's default of 3 per region would run out) and send requests far faster than
 * Voice ID's rates, from many files at once; test/local/api/throttle.test.ts checks the rates on counters of its own.
 */
const TEST_QUOTAS = JSON.stringify({ domainsPerRegion: 10_000, requestsPerSecond: { '*': 1_000_000 } });

/** The customer bucket batch-job tests put recordings in: the one a job's role stands for, besides the batch bucket. */
export const BATCH_TEST_ROLE_BUCKET = 'timbre-test-calls';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'timbre-test-'));
  const startedMs = Date.now();
  // No scheduled sweep in the suite: a sweep at a random moment would make tests of expiry and purging flaky.
  const local = await startLocalTimbre({ port: 0, dataDir, quotas: TEST_QUOTAS, schedules: false, batchRoleBuckets: [BATCH_TEST_ROLE_BUCKET] });
  if (process.env.TIMBRE_TEST_VERBOSE === '1') console.log(`local Timbre for tests on ${local.endpoint} in ${Date.now() - startedMs} ms`);
  const env: TimbreTestEnv = {
    endpoint: local.endpoint,
    region: local.region,
    credentials: local.credentials,
    serviceCredentials: local.serviceCredentials,
    endpoints: local.endpoints,
    resources: local.resources,
  };
  project.provide('timbre', env);
  return async () => {
    await local.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
