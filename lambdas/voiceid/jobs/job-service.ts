/**
 * Voice ID's batch-job operations: Start (validated, idempotent on ClientToken, one active job per type and
 * domain), Describe and List. The work itself runs in the workflow (job-runner.ts, record-processor.ts).
 */
import { createHash } from 'node:crypto';
import { type ListInput, type ListOutput, type VoiceIdDependencies, listPage, nowMs, requireActiveDomain, requireDomain } from '../context.js';
import { ResourceNotFoundError } from '../errors.js';
import { withClientToken } from '../idempotency.js';
import { newUniqueId } from '../ids.js';
import { requireWatchlist } from '../watchlists.js';
import type { JobLauncher, JobRepository } from './ports.js';
import type { EnrollmentConfig, JobRecord, JobStatus, JobType, RegistrationConfig } from './types.js';

/** What the job services run on: Voice ID's ports plus the job port and the workflow starter. */
export interface JobDependencies extends VoiceIdDependencies {
  readonly jobs: JobRepository;
  readonly launcher: JobLauncher;
}

/** StartSpeakerEnrollmentJob's and StartFraudsterRegistrationJob's input, validated against the model. */
export interface StartJobInput {
  readonly domainId: string;
  readonly clientToken?: string;
  readonly name?: string;
  readonly dataAccessRoleArn: string;
  readonly inputS3Uri: string;
  readonly outputS3Uri: string;
  readonly outputKmsKeyId?: string;
  readonly config?: EnrollmentConfig | RegistrationConfig;
}

const OPERATION: Readonly<Record<JobType, string>> = { ENROLLMENT: 'StartSpeakerEnrollmentJob', REGISTRATION: 'StartFraudsterRegistrationJob' };

/** Batch-job operations of one type. */
export class JobService {
  constructor(private readonly deps: JobDependencies, private readonly type: JobType) {}

  /**
   * Records a SUBMITTED job and starts its workflow.
   * @throws ResourceNotFoundError(DOMAIN, WATCHLIST), ResourceConflictError(DOMAIN_NOT_ACTIVE),
   *   QuotaExceededError when the domain already runs a job of this type
   */
  async start(input: StartJobInput): Promise<JobRecord> {
    await requireActiveDomain(this.deps, input.domainId);
    const config = input.config ?? {};
    for (const id of watchlistIdsOf(config)) await requireWatchlist(this.deps, input.domainId, id);
    const { clientToken, ...parameters } = input;
    return withClientToken(
      this.deps,
      {
        operation: OPERATION[this.type],
        scope: input.domainId,
        clientToken,
        parameters: { ...parameters },
        find: (jobId) => this.deps.jobs.getJob(input.domainId, this.type, jobId),
      },
      async (claim) => {
        const job = this.newJob(newUniqueId(), input, config);
        const idempotency = claim(job.jobId);
        await this.deps.jobs.createJob(job, idempotency === undefined ? {} : { idempotency });
        await this.deps.launcher.launch(job, 0);
        return job;
      },
    );
  }

  /**
   * The job a manifest upload starts, created inside the workflow that upload started. The same object
   * (bucket, key, ETag) always names the same job, so an event delivered twice makes one job.
   * @returns the job, and whether this call created it (false: another run owns it)
   */
  async startFromUpload(input: Omit<StartJobInput, 'clientToken'> & { readonly etag: string }): Promise<{ job: JobRecord; created: boolean }> {
    const jobId = uploadJobId(input.inputS3Uri, input.etag);
    const existing = await this.deps.jobs.getJob(input.domainId, this.type, jobId);
    if (existing !== undefined) return { job: existing, created: false };
    await requireActiveDomain(this.deps, input.domainId);
    const config = input.config ?? {};
    const job = this.newJob(jobId, input, config);
    await this.deps.jobs.createJob(job, {});
    return { job, created: true };
  }

  /** The job. @throws ResourceNotFoundError(BATCH_JOB) */
  async describe(domainId: string, jobId: string): Promise<JobRecord> {
    await requireDomain(this.deps, domainId);
    const job = await this.deps.jobs.getJob(domainId, this.type, jobId);
    if (job === undefined) throw new ResourceNotFoundError('BATCH_JOB', `The job ${jobId} does not exist in domain ${domainId}`);
    return job;
  }

  /** Jobs of the domain, optionally only those of one status. */
  async list(domainId: string, status: JobStatus | undefined, input: ListInput): Promise<ListOutput<JobRecord>> {
    await requireDomain(this.deps, domainId);
    return listPage(this.deps, `${OPERATION[this.type]}/List/${domainId}/${status ?? '*'}`, input, 100, (page) =>
      this.deps.jobs.listJobs(domainId, this.type, status, page),
    );
  }

  private newJob(jobId: string, input: Omit<StartJobInput, 'clientToken'>, config: EnrollmentConfig | RegistrationConfig): JobRecord {
    return {
      domainId: input.domainId,
      jobId,
      type: this.type,
      ...(input.name === undefined ? {} : { name: input.name }),
      status: 'SUBMITTED',
      dataAccessRoleArn: input.dataAccessRoleArn,
      inputS3Uri: input.inputS3Uri,
      outputS3Uri: input.outputS3Uri,
      ...(input.outputKmsKeyId === undefined ? {} : { outputKmsKeyId: input.outputKmsKeyId }),
      config,
      createdAtMs: nowMs(this.deps),
      doneRecords: 0,
    };
  }
}

/** The watchlists a job's configuration names. */
export function watchlistIdsOf(config: EnrollmentConfig | RegistrationConfig): readonly string[] {
  if ('FraudDetectionConfig' in config) return config.FraudDetectionConfig?.WatchlistIds ?? [];
  return (config as RegistrationConfig).WatchlistIds ?? [];
}

/** A job ID (22 alphanumerics) derived from an uploaded manifest's location and ETag. */
export function uploadJobId(inputS3Uri: string, etag: string): string {
  const digest = createHash('sha256').update(`${inputS3Uri}\u0000${etag}`).digest('base64').replace(/[^a-zA-Z0-9]/g, '');
  return digest.slice(0, 22).padEnd(22, '0');
}
