/**
 * What `timbre batch-enrol` and `timbre register-fraudsters` share: read a local manifest, upload it and the local
 * audio files it names by relative path to S3 (rewriting those entries to s3:// URIs), start the job through the
 * official client, poll Describe with a progress line on stderr, and read the output file at the end.
 *
 * S3: for a local Timbre, the S3 endpoint and the batch bucket come from `<data dir>/endpoints.json` (the local S3's
 * fixed key pair signs); for a deployed stack, `--bucket` names the batch bucket (or one the job's role stands for)
 * and the standard AWS credential chain signs.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { readEndpointsFile } from '../../lambdas/local/endpoints-file.js';
import { LOCAL_ACCOUNT_ID } from '../../lambdas/local/local-services.js';
import { S3RVER_CREDENTIALS } from '../../lambdas/local/s3/s3rver-process.js';
import { CommandError, UsageError } from './cli-support.js';
import { DEFAULT_DATA_DIR, type ServiceSettings } from './service-connection.js';

/** The manifest's list member for each command. */
export type RequestsMember = 'SpeakerEnrollmentRequests' | 'FraudsterRegistrationRequests';

/** Where a job's files go in S3, and the client that puts them there. */
export interface BatchTarget {
  s3: S3Client;
  bucket: string;
  /** The data-access role a local job names when --role is not given (validated and recorded locally). */
  defaultRoleArn: string | undefined;
}

/** Usage lines shared by both commands. */
export const BATCH_USAGE = `  --output S3URI        where the output file goes (default s3://BUCKET/cli/<run>/output)
  --role ARN            the job's DataAccessRoleArn (required for a deployed stack; locally any role ARN, recorded)
  --kms-key ID          OutputDataConfig.KmsKeyId (default: the bucket's SSE-KMS key)
  --bucket NAME         where the manifest and local audio go (default: the local batch bucket of endpoints.json;
                        required for a deployed stack: its batch bucket, or a bucket the role may read)
  --job-name NAME       the job's JobName (default: none)
  --poll-ms N           how often to poll Describe (default 1000; Describe allows 2 calls a second)`;

/** parseArgs options shared by both commands. */
export const BATCH_OPTIONS = {
  output: { type: 'string' },
  role: { type: 'string' },
  'kms-key': { type: 'string' },
  bucket: { type: 'string' },
  'job-name': { type: 'string' },
  'poll-ms': { type: 'string' },
} as const;

/** The local S3 of a local Timbre, or the deployed account's S3 in `--bucket`. */
export function resolveBatchTarget(settings: ServiceSettings, values: { bucket?: string | undefined; 'data-dir'?: string | undefined }): BatchTarget {
  if (!settings.loopback) {
    if (values.bucket === undefined) throw new UsageError('--bucket NAME is required for a deployed stack (its batch bucket, or a bucket the role may read)');
    return { s3: new S3Client({ region: settings.region }), bucket: values.bucket, defaultRoleArn: undefined };
  }
  const dataDir = resolve(values['data-dir'] ?? DEFAULT_DATA_DIR);
  let endpoints;
  try {
    endpoints = readEndpointsFile(dataDir);
  } catch (error) {
    throw new CommandError((error as Error).message, { cause: error });
  }
  if (endpoints === undefined) throw new CommandError(`no timbre serve is running on ${dataDir} (no endpoints.json there): start one with npm start, or pass --data-dir`);
  const config: S3ClientConfig = { endpoint: endpoints.s3, region: endpoints.region, credentials: { ...S3RVER_CREDENTIALS }, forcePathStyle: true };
  return { s3: new S3Client(config), bucket: values.bucket ?? endpoints.buckets.batch, defaultRoleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/timbre-cli-batch` };
}

/** A manifest read from disk, its local audio files, and where they will be in S3. */
export interface PlannedUpload {
  manifestName: string;
  /** The manifest with every relative audio path rewritten to its s3:// URI. */
  manifest: Record<string, unknown>;
  records: number;
  files: Array<{ path: string; key: string }>;
  manifestKey: string;
  prefix: string;
}

/**
 * Reads the manifest and plans the upload under `cli/<run>/` of the bucket. Audio entries that are s3:// URIs are
 * left as they are; any other is a path relative to the manifest's folder, which must stay inside it.
 */
export function planUpload(manifestPath: string, member: RequestsMember, bucket: string, run = randomUUID()): PlannedUpload {
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${manifestPath}`);
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CommandError(`${manifestPath} is not valid JSON`);
  }
  const requests = manifest?.[member];
  if (!Array.isArray(requests)) throw new CommandError(`${manifestPath} has no ${member} list`);
  const root = dirname(resolve(manifestPath));
  const prefix = `cli/${run}/`;
  const files = new Map<string, string>();
  for (const request of requests as Array<{ AudioSpecifications?: Array<Record<string, unknown>> }>) {
    for (const spec of request?.AudioSpecifications ?? []) {
      const field = 'S3Uri' in spec ? 'S3Uri' : 'S3URI';
      const uri = spec[field];
      if (typeof uri !== 'string' || uri.startsWith('s3://')) continue;
      const path = resolve(root, uri);
      const inside = relative(root, path);
      if (isAbsolute(uri) || inside.startsWith('..') || inside === '') throw new CommandError(`${uri}: a local audio path must be relative to the manifest's folder and inside it`);
      const key = `${prefix}audio/${inside.split(sep).join('/')}`;
      files.set(path, key);
      spec[field] = `s3://${bucket}/${key}`;
    }
  }
  const manifestName = basename(manifestPath);
  return { manifestName, manifest, records: requests.length, files: [...files].map(([path, key]) => ({ path, key })), manifestKey: `${prefix}${manifestName}`, prefix };
}

/** Uploads the audio files and the rewritten manifest; returns the manifest's s3:// URI. */
export async function upload(target: BatchTarget, plan: PlannedUpload): Promise<string> {
  for (const file of plan.files) {
    let body: Uint8Array;
    try {
      body = readFileSync(file.path);
    } catch {
      throw new CommandError(`cannot read the audio file ${file.path}`);
    }
    await target.s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: file.key, Body: body, ContentType: 'audio/wav' }));
  }
  await target.s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: plan.manifestKey, Body: JSON.stringify(plan.manifest), ContentType: 'application/json' }));
  return `s3://${target.bucket}/${plan.manifestKey}`;
}

/** A job as Describe answers it (the fields the commands read). */
export interface DescribedJob {
  JobId?: string | undefined;
  JobStatus?: string | undefined;
  JobProgress?: { PercentComplete?: number | undefined } | undefined;
  OutputDataConfig?: { S3Uri?: string | undefined } | undefined;
  InputDataConfig?: { S3Uri?: string | undefined } | undefined;
  FailureDetails?: { StatusCode?: number | undefined; Message?: string | undefined } | undefined;
}

const FINAL = new Set(['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED']);

/** One progress line: records done of the manifest's, and the rate since the job started. */
export function progressLine(job: DescribedJob, records: number, elapsedMs: number): string {
  const percent = job.JobProgress?.PercentComplete ?? 0;
  const done = Math.floor((percent * records) / 100);
  const perMinute = elapsedMs > 0 ? (done * 60_000) / elapsedMs : 0;
  return `${job.JobStatus ?? '?'}: ${done}/${records} records done (${percent}%), ${perMinute.toFixed(1)} records/min\n`;
}

/** Polls Describe until the job ends, writing a progress line whenever it changes. */
export async function waitForJob(describe: () => Promise<DescribedJob>, records: number, pollMs: number): Promise<DescribedJob> {
  const started = Date.now();
  let last = '';
  for (;;) {
    const job = await describe();
    const line = progressLine(job, records, Date.now() - started);
    if (line !== last) process.stderr.write(line);
    last = line;
    if (FINAL.has(job.JobStatus ?? '')) return job;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The output file of a job: `<OutputDataConfig.S3Uri>/<JobId>/<input file name>.out`. */
export async function readOutput(target: BatchTarget, job: DescribedJob): Promise<Record<string, unknown> | undefined> {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(job.OutputDataConfig?.S3Uri ?? '');
  const input = job.InputDataConfig?.S3Uri ?? '';
  if (match === null || job.JobId === undefined) return undefined;
  const [, bucket, folder] = match;
  const key = `${folder!.replace(/\/+$/, '')}${folder === '' ? '' : '/'}${job.JobId}/${input.slice(input.lastIndexOf('/') + 1)}.out`;
  try {
    const result = await target.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await result.Body!.transformToString()) as Record<string, unknown>;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** The output file's summary: one line per status and one per error. */
export function summarise(job: DescribedJob, output: Record<string, unknown> | undefined, member: 'SuccessfulEnrollments' | 'SuccessfulRegistrations'): string {
  const lines = [`job         ${job.JobId} ${job.JobStatus}`];
  if (job.FailureDetails !== undefined) lines.push(`failure     ${job.FailureDetails.StatusCode}: ${job.FailureDetails.Message}`);
  if (output !== undefined) {
    const successes = (output[member] ?? []) as Array<Record<string, unknown>>;
    const errors = (output.Errors ?? []) as Array<Record<string, unknown>>;
    const byStatus = new Map<string, number>();
    for (const s of successes) {
      const status = String(s.EnrollmentStatus ?? s.RegistrationStatus);
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    }
    lines.push(`records     ${successes.length} succeeded, ${errors.length} failed`);
    for (const [status, n] of byStatus) lines.push(`  ${status.padEnd(22)} ${n}`);
    for (const e of errors) lines.push(`  error ${e.RequestId}: ${e.ErrorCode} ${e.ErrorMessage}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A number option within [min, max]; undefined when absent. */
export function numberOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, not "${value}"`);
  return n;
}

/** One of the values an option allows; undefined when absent. */
export function choiceOption<T extends string>(name: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`--${name} must be ${choices.join(' or ')}, not "${value}"`);
  return value as T;
}

/** What both commands do once their job-specific request is built. */
export interface RunBatchJob {
  target: BatchTarget;
  plan: PlannedUpload;
  start: (input: { inputS3Uri: string; outputS3Uri: string; roleArn: string; jobName: string | undefined }) => Promise<string>;
  describe: (jobId: string) => Promise<DescribedJob>;
  values: { output?: string | undefined; role?: string | undefined; 'job-name'?: string | undefined; 'poll-ms'?: string | undefined; json?: boolean | undefined };
  successMember: 'SuccessfulEnrollments' | 'SuccessfulRegistrations';
}

/**
 * Uploads, starts, waits and prints. Exit 0 when the job ran (whatever its records' outcomes), 1 when it FAILED.
 */
export async function runBatchJob({ target, plan, start, describe, values, successMember }: RunBatchJob): Promise<number> {
  const roleArn = values.role ?? target.defaultRoleArn;
  if (roleArn === undefined) throw new UsageError('--role ARN is required for a deployed stack: the job reads and writes S3 as that role');
  const pollMs = numberOption('poll-ms', values['poll-ms'], 500, 60_000) ?? 1000;
  const inputS3Uri = await upload(target, plan);
  process.stderr.write(`uploaded ${plan.files.length} audio file(s) and the manifest to ${inputS3Uri}\n`);
  const jobName = values['job-name'];
  const jobId = await start({ inputS3Uri, outputS3Uri: values.output ?? `s3://${target.bucket}/${plan.prefix}output`, roleArn, jobName });
  const job = await waitForJob(() => describe(jobId), plan.records, pollMs);
  const output = job.JobStatus === 'FAILED' ? undefined : await readOutput(target, job);
  if (values.json) process.stdout.write(`${JSON.stringify({ job, output: output ?? null })}\n`);
  else process.stdout.write(summarise(job, output, successMember));
  return job.JobStatus === 'FAILED' ? 1 : 0;
}
