/** Recordings, buckets and polling shared by the batch-job tests: real speech (espeak-ng) in the real local S3. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeFraudsterRegistrationJobCommand,
  DescribeSpeakerEnrollmentJobCommand,
  type FraudsterRegistrationJob,
  type SpeakerEnrollmentJob,
  type VoiceIDClient,
} from '@aws-sdk/client-voice-id';
import { localServiceConfig, timbreTestEnv } from '../../support/voiceid-client.js';

/** The bucket the jobs' role stands for in the suite (test/global-setup.ts). */
export const CALLS_BUCKET = 'timbre-test-calls';
/** A bucket of the local S3 the role does not stand for. */
export const OTHER_BUCKET = 'timbre-test-elsewhere';
/** The role ARN the tests name (validated and recorded locally). */
export const ROLE_ARN = 'arn:aws:iam::000000000000:role/timbre-batch-test';

export const TEXT =
  'The quick brown fox jumps over the lazy dog while the careful banker counts every coin in the old wooden drawer. ' +
  'Yesterday we travelled along the river to the market, where farmers sold apples, pears, bread and cheese to families from the nearby villages. ' +
  'My account number is not something I share on the telephone, but I am happy to confirm my address and the date of my last payment. ' +
  'Please remember that the meeting starts at nine o clock on Thursday morning in the large room on the second floor. ';

/**
 * EnrollmentConfig that turns the enrolment fraud check off explicitly. The callers here are espeak-ng voices, which
 * the spoofing countermeasure rightly flags, so jobs that test something other than the fraud check enrol them with
 * FraudDetectionAction IGNORE (registration-jobs.test.ts tests the check itself).
 */
export const NO_FRAUD_CHECK = { FraudDetectionConfig: { FraudDetectionAction: 'IGNORE' } } as const;

/** The local S3, as the tests reach it. */
export function localS3(): S3Client {
  return new S3Client(localServiceConfig('s3'));
}

/** ~60 s of one espeak-ng voice as 16-bit PCM WAV, 8 kHz unless `rate` says otherwise (with 2 channels, both carry it). */
export function speechWav(voice: string, options: { channels?: 1 | 2; text?: string; rate?: number } = {}): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'timbre-batch-audio-'));
  const raw = join(dir, 'raw.wav');
  const out = join(dir, 'out.wav');
  execFileSync('espeak-ng', ['-v', voice, '-s', '150', '-w', raw, options.text ?? TEXT + TEXT]);
  execFileSync('sox', ['-q', raw, '-r', String(options.rate ?? 8000), '-b', '16', '-e', 'signed-integer', '-c', String(options.channels ?? 1), out]);
  return readFileSync(out);
}

let bucketsMade: Promise<void> | undefined;

/** Creates the customer buckets once per test file. */
export function ensureBuckets(s3: S3Client): Promise<void> {
  bucketsMade ??= (async () => {
    for (const Bucket of [CALLS_BUCKET, OTHER_BUCKET]) {
      try {
        await s3.send(new CreateBucketCommand({ Bucket }));
      } catch (error) {
        if (!/BucketAlready/.test((error as Error).name)) throw error;
      }
    }
  })();
  return bucketsMade;
}

/** Puts an object and returns its s3:// URI. */
export async function put(s3: S3Client, bucket: string, key: string, body: Uint8Array | string): Promise<string> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return `s3://${bucket}/${key}`;
}

/** Reads a JSON object from the local S3. */
export async function getJson(s3: S3Client, uri: string): Promise<Record<string, unknown>> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri)!;
  const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await result.Body!.transformToString()) as Record<string, unknown>;
}

const FINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED'];

/** Polls a job until it ends. */
export async function waitForEnrollmentJob(client: VoiceIDClient, DomainId: string, JobId: string): Promise<SpeakerEnrollmentJob> {
  for (;;) {
    const { Job } = await client.send(new DescribeSpeakerEnrollmentJobCommand({ DomainId, JobId }));
    if (FINAL.includes(Job!.JobStatus!)) return Job!;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls a job until it ends. */
export async function waitForRegistrationJob(client: VoiceIDClient, DomainId: string, JobId: string): Promise<FraudsterRegistrationJob> {
  for (;;) {
    const { Job } = await client.send(new DescribeFraudsterRegistrationJobCommand({ DomainId, JobId }));
    if (FINAL.includes(Job!.JobStatus!)) return Job!;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The batch bucket of the suite's stack. */
export function batchBucket(): string {
  return timbreTestEnv().resources.batchBucket;
}
