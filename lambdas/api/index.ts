export { dispatch, failureResponse, CONTENT_TYPE } from './dispatch.js';
export type { Admission, ApiRequest, ApiResponse, ErrorReporter, OperationHandler, OperationTable } from './dispatch.js';
export {
  VoiceIdError,
  ValidationException,
  SerializationException,
  UnknownOperationException,
  ServiceQuotaExceededException,
  AccessDeniedException,
  InvalidSignatureException,
  ResourceNotFoundException,
  ConflictException,
  InternalServerException,
  OperationNotYetAvailableException,
  ThrottlingException,
  toWireError,
  ERROR_NAMESPACE,
} from './errors.js';
export {
  SERVED_OPERATIONS,
  NOT_YET_AVAILABLE_OPERATIONS,
  TARGET_PREFIX,
  isServedOperation,
  isNotYetAvailableOperation,
} from './operation-names.js';
export type { ServedOperation } from './operation-names.js';
export { buildOperationTable } from './operations/index.js';
export type { JobServices } from './operations/jobs.js';
export { validateRequest } from './validate.js';
export { REQUIRED_SIGNED_HEADERS, signedHeadersOf, unsignedRequiredHeader } from './signed-headers.js';
export { REQUESTS } from './requests.js';
export type { RequestOf } from './requests.js';
export { str, int, bool, list, struct } from './shapes.js';
export type { Shape, StringShape, IntegerShape, BooleanShape, ListShape, StructureShape, Infer } from './shapes.js';
export {
  domainShape,
  watchlistShape,
  speakerShape,
  fraudsterShape,
  tagsShape,
  wireTimestamp,
  sessionShape,
  evaluationShape,
  authenticationResultShape,
  fraudDetectionResultShape,
} from './responses.js';
export { checkSessionAudioUri, parseSessionAudioBuckets } from './session-audio-uri.js';
export type { SessionOperationOptions } from './operations/sessions.js';
export { Throttle } from './throttle.js';
export type { ThrottleReporter } from './throttle.js';
export { resolveRateLimits, VOICE_ID_RATES, DEFAULT_RATE } from './rate-limits.js';
export type { RateLimits } from './rate-limits.js';
