/**
 * Batch enrolment and fraudster registration jobs. record-processor.ts is left out on purpose: it loads
 * onnxruntime-node (the workflow's record step imports it directly).
 */
export { JobService, uploadJobId, watchlistIdsOf } from './job-service.js';
export type { JobDependencies, StartJobInput } from './job-service.js';
export { JobRunner, MAX_MANIFEST_BYTES } from './job-runner.js';
export type { JobRef, JobRunnerDependencies, WorkItem } from './job-runner.js';
export { ManifestError, parseManifest, MANIFEST_VERSION, MAX_RECORDS, MAX_AUDIO_FILES, REQUESTS_MEMBER } from './manifest.js';
export type { ParsedRecord } from './manifest.js';
export { parseAudioUri, checkBatchAudio, readWavFormat, MAX_AUDIO_BYTES, BATCH_SAMPLE_RATE_HZ } from './audio-rules.js';
export type { S3Location, WavFormat } from './audio-rules.js';
export { jobOutput, outputLocation, finalStatus, percentComplete } from './output.js';
export { ObjectTooLargeError } from './ports.js';
export type { BatchObjects, DataAccess, JobLauncher, JobRepository } from './ports.js';
export { FINAL_STATUSES } from './types.js';
export type {
  AudioSpecification,
  EnrollmentConfig,
  JobFailure,
  JobRecord,
  JobStatus,
  JobType,
  ManifestRecord,
  RecordClaim,
  RecordOutcome,
  RegistrationConfig,
  SuccessStatus,
} from './types.js';
