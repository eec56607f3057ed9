/**
 * Voice ID's wire errors. This is the only place that knows HTTP statuses and the `__type` form;
 * `toWireError` maps Timbre's domain errors onto them.
 */
import {
  KeyAccessDeniedError,
  QuotaExceededError,
  RequestValidationError,
  ResourceConflictError,
  ResourceNotFoundError,
  type ConflictType,
  type ResourceType,
} from '../voiceid/index.js';

/** The Smithy namespace Voice ID's `__type` values carry. */
export const ERROR_NAMESPACE = 'com.amazonaws.voiceid';

/** The JSON body of an error: `__type`, `Message` and the shape's extra members. */
export type WireErrorBody = { readonly __type: string; readonly Message: string } & Record<string, string>;

/** Base class of every error Timbre answers on the wire; each names itself after its Voice ID error. */
export abstract class VoiceIdError extends Error {
  /** HTTP status of the response. */
  abstract readonly statusCode: number;
  /** The Voice ID error, e.g. `ValidationException`; sent in `__type` and `x-amzn-ErrorType`. */
  abstract override readonly name: string;

  /** Members besides `Message` (e.g. `ResourceType`). */
  protected extraMembers(): Record<string, string> {
    return {};
  }

  /** The response body Voice ID sends for this error. */
  toJSON(): WireErrorBody {
    return { __type: `${ERROR_NAMESPACE}#${this.name}`, Message: this.message, ...this.extraMembers() };
  }
}

/** 400: a request member breaks the model's constraints, or the request breaks a rule. */
export class ValidationException extends VoiceIdError {
  readonly statusCode = 400;
  override readonly name = 'ValidationException';
}

/** 400: the body is not a JSON object of the right member types. */
export class SerializationException extends VoiceIdError {
  readonly statusCode = 400;
  override readonly name = 'SerializationException';
}

/** 400: `X-Amz-Target` names no Voice ID operation. */
export class UnknownOperationException extends VoiceIdError {
  readonly statusCode = 400;
  override readonly name = 'UnknownOperationException';
}

/** 402: a Voice ID quota would be exceeded. */
export class ServiceQuotaExceededException extends VoiceIdError {
  readonly statusCode = 402;
  override readonly name = 'ServiceQuotaExceededException';
}

/** 403: access to a resource or key is denied. */
export class AccessDeniedException extends VoiceIdError {
  readonly statusCode = 403;
  override readonly name = 'AccessDeniedException';
}

/** 403: the request's SigV4 signature does not cover the headers it must (see signed-headers.ts). */
export class InvalidSignatureException extends VoiceIdError {
  readonly statusCode = 403;
  override readonly name = 'InvalidSignatureException';
}

/** 404: the named resource does not exist. */
export class ResourceNotFoundException extends VoiceIdError {
  readonly statusCode = 404;
  override readonly name = 'ResourceNotFoundException';
  constructor(
    readonly resourceType: ResourceType,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
  protected override extraMembers(): Record<string, string> {
    return { ResourceType: this.resourceType };
  }
}

/** 409: the request conflicts with the resource's state. */
export class ConflictException extends VoiceIdError {
  readonly statusCode = 409;
  override readonly name = 'ConflictException';
  constructor(
    readonly conflictType: ConflictType,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
  protected override extraMembers(): Record<string, string> {
    return { ConflictType: this.conflictType };
  }
}

/** 429: the operation's rate is used up for now; the SDKs retry it with backoff. */
export class ThrottlingException extends VoiceIdError {
  readonly statusCode = 429;
  override readonly name = 'ThrottlingException';
}

/** 500: anything unexpected; the details go to the log, never to the client. */
export class InternalServerException extends VoiceIdError {
  readonly statusCode = 500;
  override readonly name = 'InternalServerException';
}

/**
 * 501: a Voice ID operation that this Timbre version does not serve yet (batch jobs, EvaluateSession).
 * Distinct from `UnknownOperationException`, which means the operation does not exist in Voice ID at all.
 */
export class OperationNotYetAvailableException extends VoiceIdError {
  readonly statusCode = 501;
  override readonly name = 'OperationNotYetAvailableException';
}

/**
 * The wire error for anything thrown while serving a request: wire errors pass through, Timbre's domain
 * errors map to their Voice ID counterparts, and anything else becomes `InternalServerException`
 * (the caller logs the original).
 */
export function toWireError(error: unknown): VoiceIdError {
  if (error instanceof VoiceIdError) return error;
  if (error instanceof RequestValidationError) return new ValidationException(error.message, { cause: error });
  if (error instanceof ResourceNotFoundError) {
    return new ResourceNotFoundException(error.resourceType, error.message, { cause: error });
  }
  if (error instanceof ResourceConflictError) {
    return new ConflictException(error.conflictType, error.message, { cause: error });
  }
  if (error instanceof QuotaExceededError) return new ServiceQuotaExceededException(error.message, { cause: error });
  if (error instanceof KeyAccessDeniedError) return new AccessDeniedException(error.message, { cause: error });
  return new InternalServerException('An internal error occurred. Please retry.', { cause: error });
}
