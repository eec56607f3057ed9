export {
  VoiceIdServiceError,
  RequestValidationError,
  ResourceNotFoundError,
  ResourceConflictError,
  QuotaExceededError,
  KeyAccessDeniedError,
  domainNotFound,
  watchlistNotFound,
} from './errors.js';
export type { ConflictType, ResourceType } from './errors.js';
export {
  newUniqueId,
  newGeneratedId,
  isGeneratedId,
  normaliseGeneratedId,
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
export type {
  AudioVault,
  ClientTokenRepository,
  DomainKeyRef,
  DomainRepository,
  FraudsterRepository,
  IdempotencyRecord,
  KeyDescription,
  KeyDirectory,
  DomainReencryption,
  ReencryptionLauncher,
  ReencryptionPage,
  RequestCounter,
  SessionRepository,
  SpeakerRepository,
  SessionReadOptions,
  StoredSession,
  TokenKeySource,
  VoiceIdStorage,
  Voiceprint,
  VoiceprintVault,
  WatchlistRepository,
} from './ports.js';
export { DEFAULT_QUOTAS, resolveQuotas, QuotaConfigError } from './quotas.js';
export type { Quotas } from './quotas.js';
export { encodeNextToken, decodeNextToken, TOKEN_LIFETIME_MS } from './pagination.js';
export type { TokenPayload } from './pagination.js';
export {
  reportedSpeakerStatus,
  biometricsExpireAtMs,
  speakerExpiresAtMs,
  domainPurgeAtMs,
  truncateToHourMs,
  SPEAKER_EXPIRY_YEARS,
  DOMAIN_PURGE_DAYS,
} from './lifecycle.js';
export { decide, DEFAULT_ACCEPT_THRESHOLD } from './decisions.js';
export { requestHash, idempotencyKey, withClientToken, CLIENT_TOKEN_LIFETIME_MS } from './idempotency.js';
export type { ClaimFor, ClientTokenUse } from './idempotency.js';
export { createVoiceIdService } from './service.js';
export type { VoiceIdService } from './service.js';
export type { VoiceIdDependencies, VoiceIdLog, ListInput, ListOutput } from './context.js';
export { keyRef } from './context.js';
export { DomainService, DEFAULT_WATCHLIST_NAME } from './domains.js';
export {
  ReencryptionWorker,
  InProcessReencryptionLauncher,
  isReencryptionRunning,
  isReencryptionStalled,
  ABANDONED_REENCRYPTION_MS,
  REENCRYPTION_PHASES,
} from './reencryption.js';
export type { ReencryptionDependencies, ReencryptionOutcome, ReencryptionPhase, ReencryptionPosition } from './reencryption.js';
export type { CreateDomainInput, UpdateDomainInput } from './domains.js';
export { WatchlistService } from './watchlists.js';
export type { CreateWatchlistInput, UpdateWatchlistInput } from './watchlists.js';
export { SpeakerService } from './speakers.js';
export type { SpeakerView } from './speakers.js';
export { FraudsterService } from './fraudsters.js';
export { TagService } from './tags.js';
export type { SessionRecord } from './sessions/types.js';
