/** What a session is and what evaluating it answers (docs/sessions.md). */

/** Voice ID's `StreamingStatus`. */
export type StreamingStatus = 'PENDING_CONFIGURATION' | 'ONGOING' | 'ENDED';

/** Voice ID's `AuthenticationDecision`, in the order the rules are tried (see decideAuthentication). */
export type AuthenticationDecision =
  | 'SPEAKER_ID_NOT_PROVIDED'
  | 'SPEAKER_NOT_ENROLLED'
  | 'SPEAKER_OPTED_OUT'
  | 'SPEAKER_EXPIRED'
  | 'NOT_ENOUGH_SPEECH'
  | 'ACCEPT'
  | 'REJECT';

/** Voice ID's `FraudDetectionDecision`. */
export type FraudDetectionDecision = 'HIGH_RISK' | 'LOW_RISK' | 'NOT_ENOUGH_SPEECH';

/** Voice ID's `FraudDetectionReason`, in the order results list them. */
export type FraudDetectionReason = 'KNOWN_FRAUDSTER' | 'VOICE_SPOOFING';

/** Status of an EnrollBySession request. */
export type EnrollmentRequestStatus = 'COMPLETED' | 'IN_PROGRESS' | 'NOT_ENOUGH_SPEECH' | 'FAILED';

/** EnrollBySession's `ExistingEnrollmentAction`. */
export type ExistingEnrollmentAction = 'SKIP' | 'OVERWRITE';

export interface AuthenticationConfig {
  readonly acceptanceThreshold: number;
}

export interface FraudDetectionConfig {
  readonly riskThreshold: number;
  readonly watchlistId: string;
}

/** Where a Connect call's audio is (Kinesis Video). */
export interface StreamConfig {
  readonly streamArn: string;
  readonly startFragmentNumber: string;
  /** The last fragment whose audio the session took. */
  readonly lastFragmentNumber?: string;
}

export interface EnrollmentRequest {
  readonly status: EnrollmentRequestStatus;
  readonly message?: string;
  readonly action?: ExistingEnrollmentAction;
}

/** An authentication result as EvaluateSession answers it. */
export interface AuthenticationResult {
  readonly resultId: string;
  readonly decision: AuthenticationDecision;
  /** Only for ACCEPT and REJECT. */
  readonly score?: number;
  readonly customerSpeakerId?: string;
  readonly generatedSpeakerId?: string;
  readonly configuration: AuthenticationConfig;
  readonly audioStartedAtMs?: number;
  readonly audioEndedAtMs?: number;
}

/** A fraud detection result as EvaluateSession answers it. */
export interface FraudDetectionResult {
  readonly resultId: string;
  readonly decision: FraudDetectionDecision;
  readonly reasons: readonly FraudDetectionReason[];
  /** Absent with NOT_ENOUGH_SPEECH. */
  readonly knownFraudsterRisk?: { readonly riskScore: number; readonly generatedFraudsterId?: string };
  /** The countermeasure's 0–100 spoof risk of the session's speech; absent with NOT_ENOUGH_SPEECH or without a countermeasure. */
  readonly voiceSpoofingRisk?: { readonly riskScore: number };
  readonly configuration: FraudDetectionConfig;
  readonly audioStartedAtMs?: number;
  readonly audioEndedAtMs?: number;
}

/** Results cached with the inputs they were computed from (see SessionRecord.audioVersion / configVersion). */
export interface CachedEvaluation {
  readonly audioVersion: number;
  readonly configVersion: number;
  readonly authentication?: AuthenticationResult;
  readonly fraudDetection?: FraudDetectionResult;
}

/** A session as stored (the encrypted voice state is kept beside it by the repository). */
export interface SessionRecord {
  readonly domainId: string;
  readonly sessionId: string;
  readonly sessionName: string;
  readonly streamingStatus: StreamingStatus;
  /** The speaker as given: a customer ID or a generated ID. */
  readonly speakerId?: string;
  readonly authentication?: AuthenticationConfig;
  readonly fraudDetection?: FraudDetectionConfig;
  readonly minSpeechSeconds: number;
  readonly stream?: StreamConfig;
  readonly netSpeechSeconds: number;
  readonly enrollmentRequest?: EnrollmentRequest;
  /** The generated ID of the speaker this session enrolled; the speaker can no longer change. */
  readonly enrolledSpeakerId?: string;
  /** Counts the audio taken; results are recomputed when it moves. */
  readonly audioVersion: number;
  /** Counts speaker and configuration changes; results are recomputed when it moves. */
  readonly configVersion: number;
  readonly audioStartedAtMs?: number;
  readonly audioEndedAtMs?: number;
  readonly cachedEvaluation?: CachedEvaluation;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** Last audio or call: the idle timeout counts from here. */
  readonly lastActivityAtMs: number;
  readonly endedAtMs?: number;
  /** Optimistic-locking version, one more on every write. */
  readonly version: number;
}

/** A session as the operations answer it. */
export interface SessionView {
  readonly sessionId: string;
  readonly sessionName: string;
  readonly domainId: string;
  readonly streamingStatus: StreamingStatus;
  readonly customerSpeakerId?: string;
  readonly generatedSpeakerId?: string;
  readonly authentication?: AuthenticationConfig;
  readonly fraudDetection?: FraudDetectionConfig;
  readonly minSpeechSeconds: number;
  readonly stream?: StreamConfig;
  readonly netSpeechSeconds: number;
  readonly enrollmentRequest?: { readonly status: EnrollmentRequestStatus; readonly message?: string };
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/** What EvaluateSession answers. */
export interface SessionEvaluation {
  readonly domainId: string;
  readonly sessionId: string;
  readonly sessionName: string;
  readonly streamingStatus: StreamingStatus;
  readonly authentication?: AuthenticationResult;
  readonly fraudDetection?: FraudDetectionResult;
}
