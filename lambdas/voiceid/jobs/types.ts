/** Batch jobs as Voice ID describes them: enrolment and fraudster registration, their settings and outcomes. */

/** Which of Voice ID's two batch jobs. */
export type JobType = 'ENROLLMENT' | 'REGISTRATION';

/** `SpeakerEnrollmentJobStatus` and `FraudsterRegistrationJobStatus` (the same values). */
export type JobStatus = 'SUBMITTED' | 'IN_PROGRESS' | 'COMPLETED' | 'COMPLETED_WITH_ERRORS' | 'FAILED';

/** Statuses after which a job never changes again. */
export const FINAL_STATUSES: readonly JobStatus[] = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED'];

/** Voice ID's `EnrollmentConfig`, in its member names (it is echoed back as given). */
export interface EnrollmentConfig {
  readonly ExistingEnrollmentAction?: 'SKIP' | 'OVERWRITE';
  readonly FraudDetectionConfig?: {
    readonly FraudDetectionAction?: 'IGNORE' | 'FAIL';
    readonly RiskThreshold?: number;
    readonly WatchlistIds?: readonly string[];
  };
}

/** Voice ID's `RegistrationConfig`, in its member names. */
export interface RegistrationConfig {
  readonly DuplicateRegistrationAction?: 'SKIP' | 'REGISTER_AS_NEW';
  readonly FraudsterSimilarityThreshold?: number;
  readonly WatchlistIds?: readonly string[];
}

/** Why a whole job failed (`FailureDetails`). */
export interface JobFailure {
  readonly statusCode: number;
  readonly message: string;
}

/** One batch job. */
export interface JobRecord {
  readonly domainId: string;
  readonly jobId: string;
  readonly type: JobType;
  readonly name?: string;
  readonly status: JobStatus;
  readonly dataAccessRoleArn: string;
  readonly inputS3Uri: string;
  readonly outputS3Uri: string;
  readonly outputKmsKeyId?: string;
  /** EnrollmentConfig for enrolment jobs, RegistrationConfig for registration jobs. */
  readonly config: EnrollmentConfig | RegistrationConfig;
  readonly createdAtMs: number;
  readonly endedAtMs?: number;
  readonly failure?: JobFailure;
  /** Records in the manifest, once it was read. */
  readonly totalRecords?: number;
  /** Records with a recorded outcome. */
  readonly doneRecords: number;
}

/** One audio file of a manifest record. */
export interface AudioSpecification {
  readonly s3Uri: string;
  readonly channelId: number;
}

/** One request of a manifest: a speaker to enrol (with its customer ID) or a fraudster to register. */
export interface ManifestRecord {
  /** Position in the manifest (outcomes are kept and written in this order). */
  readonly index: number;
  readonly requestId: string;
  /** The CustomerSpeakerId (enrolment only). */
  readonly speakerId?: string;
  readonly audio: readonly AudioSpecification[];
}

/** `EnrollmentStatus` and `RegistrationStatus` of a successful record. */
export type SuccessStatus = 'NEW_ENROLLMENT' | 'ENROLLMENT_OVERWRITE' | 'DUPLICATE_SKIPPED' | 'NEW_REGISTRATION';

/**
 * A record's side effect, decided and claimed before any write: a retried or resumed iteration finds it and repeats
 * the same write under the same generated ID, so it reports the same outcome and never creates a second speaker or
 * fraudster.
 */
export interface RecordClaim {
  readonly index: number;
  readonly requestId: string;
  readonly status: 'NEW_ENROLLMENT' | 'ENROLLMENT_OVERWRITE' | 'NEW_REGISTRATION';
  /** The fraudster's GeneratedFraudsterId chosen up front; for a speaker, the customer's speaker ID it enrols. */
  readonly generatedId: string;
}

/** What became of one manifest record. */
export type RecordOutcome =
  | {
      readonly index: number;
      readonly requestId: string;
      readonly ok: true;
      readonly status: SuccessStatus;
      /** GeneratedSpeakerId or GeneratedFraudsterId (the closest existing one for a skipped duplicate). */
      readonly generatedId: string;
      readonly customerSpeakerId?: string;
      readonly similarityScore?: number;
    }
  | {
      readonly index: number;
      readonly requestId: string;
      readonly ok: false;
      /** HTTP-like code: 400 bad input, 402 quota, 409 opted out, 500 unexpected. */
      readonly errorCode: number;
      readonly errorMessage: string;
    };
