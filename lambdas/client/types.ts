/**
 * The shapes of the session operations Timbre adds to the Voice ID API (docs/sessions.md), and of
 * EvaluateSession as Voice ID answers it. Members Voice ID leaves out when they have no value are optional.
 */

/** Where a session's audio stands. */
export type StreamingStatus = 'PENDING_CONFIGURATION' | 'ONGOING' | 'ENDED';

/** Authenticate the session's speaker: ACCEPT at or above the threshold. */
export interface AuthenticationConfiguration {
  /** 0–100. */
  AcceptanceThreshold: number;
}

/** Compare the caller with every fraudster of a watchlist. `{}` switches it on with both defaults. */
export interface FraudDetectionConfiguration {
  /** 0–100. @default 50 */
  RiskThreshold?: number;
  /** @default the domain's default watchlist */
  WatchlistId?: string;
}

/** How much net speech authentication and fraud detection wait for. */
export interface StreamingConfiguration {
  /** 5–10 seconds. @default 10 */
  AuthenticationMinimumSpeechInSeconds?: number;
}

/** Where an enrolment requested with EnrollBySession stands. */
export type EnrollmentStatus = 'COMPLETED' | 'IN_PROGRESS' | 'NOT_ENOUGH_SPEECH' | 'FAILED';

/** A session as every session operation answers it. Timestamps are epoch seconds, as on the wire. */
export interface Session {
  SessionId: string;
  SessionName: string;
  DomainId: string;
  StreamingStatus: StreamingStatus;
  CustomerSpeakerId?: string;
  GeneratedSpeakerId?: string;
  AuthenticationConfiguration?: AuthenticationConfiguration;
  FraudDetectionConfiguration?: FraudDetectionConfiguration;
  StreamingConfiguration?: StreamingConfiguration;
  StreamArn?: string;
  /** Net speech heard so far, in seconds. */
  NetSpeechSeconds?: number;
  EnrollmentRequestDetails?: { Status: EnrollmentStatus; Message?: string };
  CreatedAt?: number;
  UpdatedAt?: number;
}

/** What StartSession, UpdateSession, PutSessionAudio, DescribeSession and EndSession answer. */
export interface SessionOutput {
  Session: Session;
}

/** Names a session of a domain, by its SessionName or its SessionId (`id#…` or `id_…`). */
export interface SessionRef {
  DomainId: string;
  SessionNameOrId: string;
}

export interface StartSessionInput {
  DomainId: string;
  /** 1–36 characters of `[a-zA-Z0-9][a-zA-Z0-9_-]*` (Connect's InitialContactId). */
  SessionName: string;
  /** Who the caller claims to be: a customer speaker ID or a generated one. */
  SpeakerId?: string;
  AuthenticationConfiguration?: AuthenticationConfiguration;
  FraudDetectionConfiguration?: FraudDetectionConfiguration;
  StreamingConfiguration?: StreamingConfiguration;
  /** With StartFragmentNumber: where a Connect call's audio is. */
  StreamArn?: string;
  StartFragmentNumber?: string;
  ClientToken?: string;
}

export interface UpdateSessionInput extends SessionRef {
  SpeakerId?: string;
  AuthenticationConfiguration?: AuthenticationConfiguration;
  FraudDetectionConfiguration?: FraudDetectionConfiguration;
  StreamingConfiguration?: StreamingConfiguration;
}

/** `FILE`: a whole file in any format the voice engine decodes; `PCM_S16LE`: a piece of raw 16-bit mono PCM. */
export type AudioEncoding = 'FILE' | 'PCM_S16LE';

export interface PutSessionAudioInput extends SessionRef {
  /** At most 4 MB of audio (the client base64-encodes it). Exactly one of Audio and S3Uri. */
  Audio?: Uint8Array;
  /** @default 'FILE' */
  Encoding?: AudioEncoding;
  /** Rate of PCM_S16LE audio. @default 8000 */
  SampleRateHz?: number;
  /** `s3://bucket/key` of a file in a bucket the stack allows. */
  S3Uri?: string;
  /** 0 or 1: the channel of a stereo file. */
  ChannelId?: number;
  /** Ends the session's streaming after this audio. */
  EndOfStream?: boolean;
}

export interface EnrollBySessionInput extends SessionRef {
  /** @default 'SKIP' (an enrolled speaker answers ConflictException ENROLLMENT_ALREADY_EXISTS) */
  ExistingEnrollmentAction?: 'SKIP' | 'OVERWRITE';
}

export interface EnrollBySessionOutput {
  Status: EnrollmentStatus;
}

/** The authentication decision of EvaluateSession. */
export type AuthenticationDecision =
  | 'ACCEPT'
  | 'REJECT'
  | 'NOT_ENOUGH_SPEECH'
  | 'SPEAKER_NOT_ENROLLED'
  | 'SPEAKER_OPTED_OUT'
  | 'SPEAKER_ID_NOT_PROVIDED'
  | 'SPEAKER_EXPIRED';

export interface AuthenticationResult {
  AuthenticationResultId?: string;
  AudioAggregationStartedAt?: number;
  AudioAggregationEndedAt?: number;
  CustomerSpeakerId?: string;
  GeneratedSpeakerId?: string;
  Decision?: AuthenticationDecision;
  /** 0–100, only with ACCEPT or REJECT. */
  Score?: number;
  Configuration?: AuthenticationConfiguration;
}

export interface FraudDetectionResult {
  FraudDetectionResultId?: string;
  AudioAggregationStartedAt?: number;
  AudioAggregationEndedAt?: number;
  Decision?: 'HIGH_RISK' | 'LOW_RISK' | 'NOT_ENOUGH_SPEECH';
  Reasons?: string[];
  RiskDetails?: {
    KnownFraudsterRisk?: { RiskScore?: number; GeneratedFraudsterId?: string };
    VoiceSpoofingRisk?: { RiskScore?: number };
  };
  Configuration?: FraudDetectionConfiguration;
}

/** EvaluateSession's answer, exactly as Voice ID gives it. */
export interface EvaluateSessionOutput {
  DomainId?: string;
  SessionId?: string;
  SessionName?: string;
  StreamingStatus?: StreamingStatus;
  AuthenticationResult?: AuthenticationResult;
  FraudDetectionResult?: FraudDetectionResult;
}
