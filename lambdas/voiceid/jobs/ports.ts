/** What batch jobs need from storage, S3 and the workflow engine; `lambdas/store` implements these. */
import type { IdempotencyRecord } from '../ports.js';
import type { Page, PageRequest } from '../types.js';
import type { JobRecord, JobStatus, JobType, RecordClaim, RecordOutcome } from './types.js';

/** Batch jobs, their per-domain active-job lock, and the outcome of each record. */
export interface JobRepository {
  /**
   * Creates a job and takes its domain's active-job lock for its type, with the ClientToken when given, all at once.
   * @throws QuotaExceededError when the domain already has an active job of this type
   * @throws ResourceConflictError(CONCURRENT_CHANGES) when the ClientToken or the job ID was claimed concurrently
   */
  createJob(job: JobRecord, options: { idempotency?: IdempotencyRecord }): Promise<void>;
  getJob(domainId: string, type: JobType, jobId: string): Promise<JobRecord | undefined>;
  /** Jobs of one type in the domain, optionally of one status. */
  listJobs(domainId: string, type: JobType, status: JobStatus | undefined, page: PageRequest): Promise<Page<JobRecord>>;
  /** Sets the job's status, totals, end and failure; a final status also releases the active-job lock. */
  updateJob(job: JobRecord): Promise<void>;
  /**
   * Records a record's outcome once and counts it in the job's progress.
   * @returns false when this record already had an outcome (nothing changed)
   */
  recordOutcome(job: Pick<JobRecord, 'domainId' | 'type' | 'jobId'>, outcome: RecordOutcome): Promise<boolean>;
  /**
   * Claims a record's side effect once per job (conditional on no earlier claim).
   * @returns the claim that holds: this one, or the one an earlier attempt made
   */
  claimRecord(jobId: string, claim: RecordClaim): Promise<RecordClaim>;
  /** The claim of one record, if an attempt made one. */
  getClaim(jobId: string, index: number): Promise<RecordClaim | undefined>;
  /** The outcome of one record, if recorded. */
  getOutcome(jobId: string, index: number): Promise<RecordOutcome | undefined>;
  /** Every recorded outcome of the job. */
  listOutcomes(jobId: string): Promise<RecordOutcome[]>;
  /** Jobs not yet in a final status (the active-job locks), of every domain: what a restart resumes. */
  listActiveJobs(): Promise<Array<Pick<JobRecord, 'domainId' | 'type' | 'jobId'>>>;
}

/** Who an S3 call acts as: a job's DataAccessRoleArn, for that job (the session is named after it). */
export interface DataAccess {
  readonly roleArn: string;
  readonly jobId: string;
}

/** The job's S3 reads and writes, made as its DataAccessRoleArn (`undefined`: with the function's own rights). */
export interface BatchObjects {
  /** The object's bytes; undefined when it does not exist. Refuses (throws) past `maxBytes`. */
  getObject(access: DataAccess | undefined, bucket: string, key: string, maxBytes: number): Promise<Uint8Array | undefined>;
  /** Writes a JSON file, SSE-KMS with `kmsKeyId` when given. */
  putOutput(access: DataAccess, bucket: string, key: string, body: string, kmsKeyId: string | undefined): Promise<void>;
  /** Writes the records still to do where the workflow's Map reads them; returns that location. */
  putWorkList(jobId: string, items: readonly unknown[]): Promise<{ bucket: string; key: string }>;
}

/** Starts a job's workflow; starting the same job twice starts it once. */
export interface JobLauncher {
  /** @param attempt - 0 for the first run, higher when a stopped job resumes */
  launch(job: Pick<JobRecord, 'domainId' | 'type' | 'jobId'>, attempt: number): Promise<void>;
}

/** An S3 object larger than the caller allowed. */
export class ObjectTooLargeError extends Error {
  constructor(readonly bytes: number, readonly maxBytes: number) {
    super(`The object is ${bytes} bytes; at most ${maxBytes} may be read`);
    this.name = 'ObjectTooLargeError';
  }
}

/** What a job's S3 calls act as. */
export function dataAccessOf(job: Pick<JobRecord, 'dataAccessRoleArn' | 'jobId'>): DataAccess {
  return { roleArn: job.dataAccessRoleArn, jobId: job.jobId };
}
