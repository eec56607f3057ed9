/**
 * `timbre batch-enrol` and `timbre register-fraudsters` end to end: the CLI, in its own process, against the suite's
 * local Timbre, found (API and S3) from a data directory's endpoints.json as `timbre serve` writes it; the manifests
 * name local WAV files by relative path (synthetic speech, espeak-ng).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ListFraudstersCommand } from '@aws-sdk/client-voice-id';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { endpointsFileContent, writeEndpointsFile } from '../../../lambdas/local/endpoints-file.js';
import { makeVoiceIdClient } from '../../support/voiceid-client.js';
import { createTestDomain } from '../helpers.js';
import { CALLS_BUCKET, ensureBuckets, localS3, speechWav } from './batch-fixtures.js';

const REPO = resolve(import.meta.dirname, '../../..');
const env = inject('timbre');

describe('timbre batch-enrol and register-fraudsters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbre-batch-cli-'));
  const dataDir = join(dir, 'data');
  const client = makeVoiceIdClient();

  /** Runs the CLI on the data directory, signed with the suite's API keys from the environment. */
  async function timbre(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const childEnv = { ...process.env, TIMBRE_ACCESS_KEY_ID: env.credentials.accessKeyId, TIMBRE_SECRET_ACCESS_KEY: env.credentials.secretAccessKey };
    try {
      const { stdout, stderr } = await promisify(execFile)(join(REPO, 'node_modules/.bin/tsx'), ['bin/timbre.ts', ...args, '--data-dir', dataDir, '--poll-ms', '500'], { cwd: REPO, env: childEnv, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  function writeManifest(name: string, member: string, requests: unknown[]): string {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify({ Version: '1.0', [member]: requests }));
    return path;
  }

  beforeAll(async () => {
    await ensureBuckets(localS3());
    // Prepare: the endpoints file a running `timbre serve` keeps, for the suite's local Timbre; recordings beside the manifests.
    mkdirSync(dataDir);
    mkdirSync(join(dir, 'calls'));
    writeEndpointsFile(dataDir, endpointsFileContent({
      api: env.endpoint, region: env.region, services: env.endpoints,
      buckets: { audio: env.resources.audioBucket, batch: env.resources.batchBucket },
      functions: { connectStart: env.resources.connectStartFunction, connectEvaluate: env.resources.connectEvaluateFunction },
      credentialsFile: undefined,
    }));
    writeFileSync(join(dir, 'calls', 'anna.wav'), speechWav('en+f3'));
    writeFileSync(join(dir, 'calls', 'bert.wav'), speechWav('en+m3'));
    writeFileSync(join(dir, 'calls', 'wideband.wav'), speechWav('en+m5', { rate: 16000 }));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uploads the manifest and its local audio, enrols the good records and reports the bad one', { timeout: 180_000 }, async () => {
    // Prepare
    const domain = await createTestDomain(client, `batch-cli-${Date.now()}`);
    const manifest = writeManifest('enrol.json', 'SpeakerEnrollmentRequests', [
      { RequestId: 'r-anna', SpeakerId: 'anna', AudioSpecifications: [{ S3Uri: 'calls/anna.wav', ChannelId: 0 }] },
      { RequestId: 'r-bert', SpeakerId: 'bert', AudioSpecifications: [{ S3Uri: './calls/bert.wav', ChannelId: 0 }] },
      { RequestId: 'r-wide', SpeakerId: 'wide', AudioSpecifications: [{ S3Uri: 'calls/wideband.wav', ChannelId: 0 }] },
    ]);
    // Act
    const result = await timbre('batch-enrol', '--domain', domain.DomainId, manifest, '--fraud-action', 'IGNORE', '--json');
    // Assess
    expect(result.code, result.stderr).toBe(0);
    const { job, output } = JSON.parse(result.stdout) as { job: Record<string, any>; output: Record<string, any> };
    expect(job).toMatchObject({ DomainId: domain.DomainId, JobStatus: 'COMPLETED_WITH_ERRORS', JobProgress: { PercentComplete: 100 } });
    expect(job.InputDataConfig.S3Uri).toMatch(new RegExp(`^s3://${env.resources.batchBucket}/cli/[0-9a-f-]+/enrol\\.json$`));
    expect(output.SuccessfulEnrollments.map((s: Record<string, unknown>) => [s.RequestId, s.CustomerSpeakerId, s.EnrollmentStatus])).toEqual([
      ['r-anna', 'anna', 'NEW_ENROLLMENT'],
      ['r-bert', 'bert', 'NEW_ENROLLMENT'],
    ]);
    expect(output.Errors).toEqual([{ RequestId: 'r-wide', ErrorCode: 400, ErrorMessage: expect.stringMatching(/8000|8 kHz|rate/i) }]);
    expect(result.stderr).toMatch(/uploaded 3 audio file\(s\) and the manifest/);
    expect(result.stderr).toMatch(/COMPLETED_WITH_ERRORS: 3\/3 records done \(100%\), [\d.]+ records\/min/);
  });

  it('registers fraudsters as new and prints the output file\'s summary', { timeout: 180_000 }, async () => {
    // Prepare
    const domain = await createTestDomain(client, `batch-cli-fraud-${Date.now()}`);
    const manifest = writeManifest('fraud.json', 'FraudsterRegistrationRequests', [
      { RequestId: 'f-anna', AudioSpecifications: [{ S3Uri: 'calls/anna.wav', ChannelId: 0 }] },
      { RequestId: 'f-bert', AudioSpecifications: [{ S3Uri: 'calls/bert.wav', ChannelId: 0 }] },
    ]);
    // Act
    const result = await timbre('register-fraudsters', '--domain', domain.DomainId, '--duplicates', 'REGISTER_AS_NEW', manifest, '--bucket', CALLS_BUCKET);
    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/job\s+\S+ COMPLETED\n/);
    expect(result.stdout).toMatch(/records\s+2 succeeded, 0 failed/);
    expect(result.stdout).toMatch(/NEW_REGISTRATION\s+2/);
    const { FraudsterSummaries = [] } = await client.send(new ListFraudstersCommand({ DomainId: domain.DomainId }));
    expect(FraudsterSummaries).toHaveLength(2);
  });

  it('refuses bad usage with exit 2 and local paths outside the manifest\'s folder with exit 1, uploading nothing', async () => {
    const domain = 'a'.repeat(22);
    const bad = await timbre('batch-enrol', '--domain', domain, join(dir, 'enrol.json'), '--existing', 'MAYBE');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--existing must be SKIP or OVERWRITE');
    const threshold = await timbre('register-fraudsters', '--domain', domain, '--similarity-threshold', '101', join(dir, 'fraud.json'));
    expect(threshold.code).toBe(2);
    const outside = writeManifest('outside.json', 'FraudsterRegistrationRequests', [{ RequestId: 'x', AudioSpecifications: [{ S3Uri: '../elsewhere.wav', ChannelId: 0 }] }]);
    const escaped = await timbre('register-fraudsters', '--domain', domain, outside);
    expect(escaped.code).toBe(1);
    expect(escaped.stderr).toContain('inside it');
    expect(escaped.stderr).not.toContain('uploaded');
  }, 60_000);
});
