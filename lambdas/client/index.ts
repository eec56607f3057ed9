/**
 * `timbre/client`: the typed client of Timbre's session operations (docs/sessions.md, "Typed client").
 */
export { TimbreSessionClient, MAX_SESSION_AUDIO_BYTES } from './session-client.js';
export type { TimbreSessionClientConfig, PutPcmOptions } from './session-client.js';
export { errorTypeOf } from './transport.js';
export type { TimbreCredentials, TimbreCredentialsProvider, TransportSettings } from './transport.js';
export { TimbreClientError, TimbreServiceError, TimbreNetworkError, TimbreResponseError, AudioTooLargeError } from './errors.js';
export type { ResponseMetadata } from './errors.js';
export type {
  AudioEncoding,
  AuthenticationConfiguration,
  AuthenticationDecision,
  AuthenticationResult,
  EnrollBySessionInput,
  EnrollBySessionOutput,
  EnrollmentStatus,
  EvaluateSessionOutput,
  FraudDetectionConfiguration,
  FraudDetectionResult,
  PutSessionAudioInput,
  Session,
  SessionOutput,
  SessionRef,
  StartSessionInput,
  StreamingConfiguration,
  StreamingStatus,
  UpdateSessionInput,
} from './types.js';
