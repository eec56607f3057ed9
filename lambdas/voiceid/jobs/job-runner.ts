/**
 * The workflow's first and last steps: `prepare` reads and checks the manifest as the job's role (a whole-job
 * failure changes nothing else) and lists the records still to do; `finish` writes the output file and sets the
 * final status. Both are safe to repeat, so a stopped job resumes by running the workflow again.
 */
import { type VoiceIdDependencies, nowMs } from '../context.js';
import { parseAudioUri } from './audio-rules.js';
import { ManifestError, parseManifest } from './manifest.js';
import { finalStatus, jobOutput, outputLocation } from './output.js';
import { ObjectTooLargeError, dataAccessOf, type BatchObjects, type JobRepository } from './ports.js';
import { FINAL_STATUSES, type JobRecord, type JobType, type ManifestRecord, type RecordOutcome } from './types.js';

/** Largest manifest read: 10,000 records of 10 files each fit in a few MB. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Names one job in the workflow's state. */
export interface JobRef {
  readonly domainId: string;
  readonly type: JobType;
  readonly jobId: string;
}

/** One item of the workflow's Map: a record still to do. */
export interface WorkItem extends JobRef {
  readonly record: ManifestRecord;
}

/** What the job steps run on. */
export interface JobRunnerDependencies extends Pick<VoiceIdDependencies, 'clock'> {
  readonly jobs: JobRepository;
  readonly objects: BatchObjects;
  /** The buckets the job's role may read and write (locally a setting; in AWS the role's own policy decides). */
  readonly roleBuckets: ReadonlySet<string>;
}

/** The workflow's first and last steps. */
export class JobRunner {
  constructor(private readonly deps: JobRunnerDependencies) {}

  /**
   * Reads the manifest, records the outcome of records malformed on their own, and writes the list of the records
   * still to do where the Map reads them. A manifest that cannot be used fails the whole job.
   * @returns where the work list is, or undefined when there is nothing to run (job failed or already final)
   */
  async prepare(ref: JobRef): Promise<{ bucket: string; key: string } | undefined> {
    const job = await this.requireJob(ref);
    if (FINAL_STATUSES.includes(job.status)) return undefined;
    let records;
    try {
      records = parseManifest(await this.readManifest(job), job.type);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      await this.deps.jobs.updateJob({ ...job, status: 'FAILED', failure: { statusCode: 400, message: error.message }, endedAtMs: nowMs(this.deps) });
      return undefined;
    }
    await this.deps.jobs.updateJob({ ...job, status: 'IN_PROGRESS', totalRecords: records.length });
    const done = new Set((await this.deps.jobs.listOutcomes(job.jobId)).map((o) => o.index));
    const work: WorkItem[] = [];
    for (const record of records) {
      if (done.has(record.index)) continue;
      if (record.invalid !== undefined) {
        await this.deps.jobs.recordOutcome(job, { index: record.index, requestId: record.requestId, ok: false, errorCode: 400, errorMessage: record.invalid });
      } else {
        work.push({ domainId: job.domainId, type: job.type, jobId: job.jobId, record });
      }
    }
    return this.deps.objects.putWorkList(job.jobId, work);
  }

  /**
   * Writes the output file (every record, those the workflow lost reported as 500) and sets the final status.
   * @returns the job as it ended
   */
  async finish(ref: JobRef): Promise<JobRecord> {
    const job = await this.requireJob(ref);
    if (FINAL_STATUSES.includes(job.status)) return job;
    const outcomes = await this.deps.jobs.listOutcomes(job.jobId);
    const seen = new Set(outcomes.map((o) => o.index));
    if (job.totalRecords !== undefined && seen.size < job.totalRecords) {
      // A record whose iteration failed outright: reported, never lost.
      const records = parseManifest(await this.readManifest(job), job.type);
      for (const record of records.filter((r) => !seen.has(r.index))) {
        const lost: RecordOutcome = { index: record.index, requestId: record.requestId, ok: false, errorCode: 500, errorMessage: 'An internal error occurred while processing this request' };
        await this.deps.jobs.recordOutcome(job, lost);
        outcomes.push(lost);
      }
    }
    const { bucket, key } = outputLocation(job);
    await this.deps.objects.putOutput(dataAccessOf(job), bucket, key, JSON.stringify(jobOutput(job, outcomes)), job.outputKmsKeyId);
    const ended: JobRecord = { ...job, status: finalStatus(outcomes), doneRecords: outcomes.length, endedAtMs: nowMs(this.deps) };
    await this.deps.jobs.updateJob(ended);
    return ended;
  }

  private async readManifest(job: JobRecord): Promise<string> {
    const location = parseAudioUri(job.inputS3Uri, this.deps.roleBuckets);
    if ('refused' in location) throw new ManifestError(`The input manifest file cannot be read: ${location.refused}`);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.deps.objects.getObject(dataAccessOf(job), location.bucket, location.key, MAX_MANIFEST_BYTES);
    } catch (error) {
      if (error instanceof ObjectTooLargeError) throw new ManifestError(`The input manifest file is larger than ${MAX_MANIFEST_BYTES} bytes`);
      throw error;
    }
    if (bytes === undefined) throw new ManifestError(`The input manifest file ${job.inputS3Uri} does not exist`);
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  }

  private async requireJob(ref: JobRef): Promise<JobRecord> {
    const job = await this.deps.jobs.getJob(ref.domainId, ref.type, ref.jobId);
    if (job === undefined) throw new Error(`Job ${ref.jobId} of domain ${ref.domainId} does not exist`);
    return job;
  }
}
