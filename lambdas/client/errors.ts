/**
 * The errors the typed client throws: a Voice ID error the service answered, a request that never got an
 * answer, and input refused before anything was sent.
 */

/** Base class of every error the typed client throws. */
export class TimbreClientError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TimbreClientError';
  }
}

/** What is known about the HTTP exchange behind an answer, as the AWS SDK clients report it. */
export interface ResponseMetadata {
  httpStatusCode: number;
  /** The service's `x-amzn-RequestId`. */
  requestId?: string;
  /** How many requests were sent, retries included. */
  attempts: number;
}

/**
 * An error answer of the service. `name` is Voice ID's error type (`ConflictException`,
 * `ResourceNotFoundException`, `UnknownOperationException`, …), read from `x-amzn-ErrorType` or `__type`
 * the way the AWS SDK reads it; `ConflictType` and `ResourceType` are copied when the answer has them.
 */
export class TimbreServiceError extends TimbreClientError {
  readonly $metadata: ResponseMetadata;
  /** `server` for 5xx answers, else `client`. */
  readonly $fault: 'client' | 'server';
  readonly ConflictType?: string;
  readonly ResourceType?: string;

  constructor(name: string, message: string, metadata: ResponseMetadata, members: { ConflictType?: string; ResourceType?: string } = {}) {
    super(message);
    this.name = name;
    this.$metadata = metadata;
    this.$fault = metadata.httpStatusCode >= 500 ? 'server' : 'client';
    if (members.ConflictType !== undefined) this.ConflictType = members.ConflictType;
    if (members.ResourceType !== undefined) this.ResourceType = members.ResourceType;
  }
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is on its cause. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : 'no answer';
}

/** The service could not be reached (connection refused, reset, DNS), after every retry. */
export class TimbreNetworkError extends TimbreClientError {
  constructor(readonly endpoint: string, readonly attempts: number, options?: ErrorOptions) {
    super(`cannot reach ${endpoint} (${attempts} attempt${attempts === 1 ? '' : 's'}): ${networkReason(options?.cause)}`, options);
    this.name = 'TimbreNetworkError';
  }
}

/** The answer was not the JSON object the protocol promises (a proxy's HTML page, say). */
export class TimbreResponseError extends TimbreClientError {
  constructor(readonly httpStatusCode: number, detail: string) {
    super(`the service answered HTTP ${httpStatusCode} with ${detail}`);
    this.name = 'TimbreResponseError';
  }
}

/** Audio larger than one PutSessionAudio call takes; nothing was sent. */
export class AudioTooLargeError extends TimbreClientError {
  constructor(readonly byteLength: number, readonly maxBytes: number) {
    super(`audio of ${byteLength} bytes is over the ${maxBytes / (1024 * 1024)} MB one PutSessionAudio call takes: split it into smaller files, or send raw PCM in pieces with putPcm`);
    this.name = 'AudioTooLargeError';
  }
}
