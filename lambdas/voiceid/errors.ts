/**
 * Errors raised by Voice ID's domain logic. Each one names the Voice ID error the API layer answers with;
 * `lambdas/api` alone knows the HTTP status and the `__type` wire form.
 */

/** Voice ID's `ResourceType` values (the enum of `ResourceNotFoundException`). */
export type ResourceType =
  | 'BATCH_JOB'
  | 'COMPLIANCE_CONSENT'
  | 'DOMAIN'
  | 'FRAUDSTER'
  | 'SESSION'
  | 'SPEAKER'
  | 'WATCHLIST';

/** Voice ID's `ConflictType` values (the enum of `ConflictException`). */
export type ConflictType =
  | 'ANOTHER_ACTIVE_STREAM'
  | 'DOMAIN_NOT_ACTIVE'
  | 'CANNOT_CHANGE_SPEAKER_AFTER_ENROLLMENT'
  | 'ENROLLMENT_ALREADY_EXISTS'
  | 'SPEAKER_NOT_SET'
  | 'SPEAKER_OPTED_OUT'
  | 'CONCURRENT_CHANGES'
  | 'DOMAIN_LOCKED_FROM_ENCRYPTION_UPDATES'
  | 'CANNOT_DELETE_NON_EMPTY_WATCHLIST'
  | 'FRAUDSTER_MUST_BELONG_TO_AT_LEAST_ONE_WATCHLIST';

/** Base class of every error Voice ID's semantics raise on purpose. */
export class VoiceIdServiceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VoiceIdServiceError';
  }
}

/** A request that breaks a rule of the API (bad value, bad token, reused ClientToken). */
export class RequestValidationError extends VoiceIdServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RequestValidationError';
  }
}

/** The named resource does not exist (or is soft-deleted). */
export class ResourceNotFoundError extends VoiceIdServiceError {
  constructor(
    readonly resourceType: ResourceType,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ResourceNotFoundError';
  }
}

/** The error for a domain that does not exist or is soft-deleted (Voice ID hides deleted domains). */
export function domainNotFound(domainId: string): ResourceNotFoundError {
  return new ResourceNotFoundError('DOMAIN', `Domain ${domainId} does not exist`);
}

/** The error for a watchlist that does not exist in the domain. */
export function watchlistNotFound(domainId: string, watchlistId: string): ResourceNotFoundError {
  return new ResourceNotFoundError('WATCHLIST', `Watchlist ${watchlistId} does not exist in domain ${domainId}`);
}

/** The request conflicts with the resource's current state. */
export class ResourceConflictError extends VoiceIdServiceError {
  constructor(
    readonly conflictType: ConflictType,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ResourceConflictError';
  }
}

/** A Voice ID quota (domains, watchlists, speakers, fraudsters per watchlist) would be exceeded. */
export class QuotaExceededError extends VoiceIdServiceError {
  constructor(
    readonly quotaName: string,
    readonly limit: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'QuotaExceededError';
  }
}

/** A KMS key refused an operation (disabled, pending deletion, or no permission). */
export class KeyAccessDeniedError extends VoiceIdServiceError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KeyAccessDeniedError';
  }
}
