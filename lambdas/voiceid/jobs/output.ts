/** The job output file in Voice ID's format (spec §5.6), and where it goes. */
import type { JobRecord, RecordOutcome } from './types.js';

/**
 * `<OutputDataConfig.S3Uri>/<JobId>/<input file name>.out`, as bucket and key.
 * @example outputLocation(job) // { bucket: 'out', key: 'results/<JobId>/manifest.json.out' }
 */
export function outputLocation(job: Pick<JobRecord, 'jobId' | 'inputS3Uri' | 'outputS3Uri'>): { bucket: string; key: string } {
  const rest = job.outputS3Uri.replace(/^s3:\/\//, '');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const folder = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  const inputName = job.inputS3Uri.slice(job.inputS3Uri.lastIndexOf('/') + 1);
  return { bucket, key: `${folder === '' ? '' : `${folder}/`}${job.jobId}/${inputName}.out` };
}

/**
 * The output file's JSON: Version, Errors, and SuccessfulEnrollments or SuccessfulRegistrations, in manifest order.
 */
export function jobOutput(job: Pick<JobRecord, 'type'>, outcomes: readonly RecordOutcome[]): Record<string, unknown> {
  const ordered = [...outcomes].sort((a, b) => a.index - b.index);
  const errors = ordered.flatMap((o) => (o.ok ? [] : [{ RequestId: o.requestId, ErrorCode: o.errorCode, ErrorMessage: o.errorMessage }]));
  const successes = ordered.flatMap((o) => (o.ok ? [o] : []));
  if (job.type === 'ENROLLMENT') {
    return {
      Version: '1.0',
      Errors: errors,
      SuccessfulEnrollments: successes.map((o) => ({
        RequestId: o.requestId,
        GeneratedSpeakerId: o.generatedId,
        CustomerSpeakerId: o.customerSpeakerId,
        EnrollmentStatus: o.status,
      })),
    };
  }
  return {
    Version: '1.0',
    Errors: errors,
    SuccessfulRegistrations: successes.map((o) => ({
      RequestId: o.requestId,
      GeneratedFraudsterId: o.generatedId,
      RegistrationStatus: o.status,
      ...(o.similarityScore === undefined ? {} : { FraudsterSimilarityScore: o.similarityScore }),
    })),
  };
}

/** The final status: COMPLETED when every record succeeded, else COMPLETED_WITH_ERRORS. */
export function finalStatus(outcomes: readonly RecordOutcome[]): 'COMPLETED' | 'COMPLETED_WITH_ERRORS' {
  return outcomes.every((o) => o.ok) ? 'COMPLETED' : 'COMPLETED_WITH_ERRORS';
}

/** `JobProgress.PercentComplete`: records done over records in the manifest (0 until it is read). */
export function percentComplete(job: Pick<JobRecord, 'status' | 'totalRecords' | 'doneRecords'>): number {
  if (job.status === 'COMPLETED' || job.status === 'COMPLETED_WITH_ERRORS' || job.status === 'FAILED') return 100;
  if (job.totalRecords === undefined || job.totalRecords === 0) return 0;
  return Math.min(99, Math.floor((100 * job.doneRecords) / job.totalRecords));
}
