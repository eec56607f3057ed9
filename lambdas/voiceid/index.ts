export {
  VoiceIdServiceError,
  RequestValidationError,
  ResourceNotFoundError,
  ResourceConflictError,
  QuotaExceededError,
  KeyAccessDeniedError,
} from './errors.js';
export type { ConflictType, ResourceType } from './errors.js';
export {
  newUniqueId,
  newGeneratedId,
  isGeneratedId,
  domainArn,
  domainIdFromArn,
  UNIQUE_ID_PATTERN,
  GENERATED_ID_PATTERN,
  DOMAIN_ARN_PATTERN,
  ID_LENGTH,
} from './ids.js';
export type { ArnContext } from './ids.js';
export type {
  DomainRecord,
  DomainStatus,
  EncryptionUpdateDetails,
  EncryptionUpdateStatus,
  FraudsterRecord,
  Page,
  PageRequest,
  SpeakerRecord,
  SpeakerStatus,
  Tag,
  WatchlistRecord,
} from './types.js';
