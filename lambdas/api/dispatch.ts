import {
  OperationNotYetAvailableException,
  SerializationException,
  UnknownOperationException,
  toWireError,
  type VoiceIdError,
} from './errors.js';
import { TARGET_PREFIX, isNotYetAvailableOperation, isServedOperation, type ServedOperation } from './operation-names.js';

/** The content type of every awsJson1_0 request and response. */
export const CONTENT_TYPE = 'application/x-amz-json-1.0';

/** One Voice ID call as the transport delivered it. */
export interface ApiRequest {
  /** The `X-Amz-Target` header, e.g. `VoiceID.CreateDomain`. */
  readonly target: string | undefined;
  /** The raw request body (JSON text); empty or absent means `{}`. */
  readonly body: string | undefined | null;
  /** The ID echoed in `x-amzn-RequestId`. */
  readonly requestId: string;
}

/** The HTTP answer, in API Gateway proxy form. */
export interface ApiResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Runs one validated operation: takes the parsed JSON body, returns the output object,
 * or `undefined` for operations whose success is an empty body.
 */
export type OperationHandler = (input: Record<string, unknown>) => Promise<object | undefined>;

/** The operations a dispatcher can serve, by name. */
export type OperationTable = Readonly<Record<ServedOperation, OperationHandler>>;

/** Where the dispatcher reports errors it turns into `InternalServerException`. */
export interface ErrorReporter {
  error(message: string, details: Record<string, unknown>): void;
}

/** Admits or refuses a request of an operation before it runs (see throttle.ts). */
export interface Admission {
  admit(operation: string): Promise<void>;
}

/**
 * Routes one awsJson1_0 request to its operation and turns the outcome into Voice ID's wire form:
 * 200 with the output (or an empty body), or the error status with `__type` in the body and
 * `x-amzn-ErrorType` in the headers. With `admission`, a served operation is counted against its rate before its
 * body is parsed. Never throws.
 */
export async function dispatch(request: ApiRequest, operations: OperationTable, reporter: ErrorReporter, admission?: Admission): Promise<ApiResponse> {
  const headers = { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': request.requestId };
  const operation = operationName(request.target);
  try {
    const handler = resolve(operation, request.target, operations);
    if (admission !== undefined) await admission.admit(operation!);
    const output = await handler(parseBody(request.body));
    return { statusCode: 200, headers, body: output === undefined ? '' : JSON.stringify(output) };
  } catch (thrown) {
    const wire = toWireError(thrown);
    if (wire.statusCode >= 500 && wire.statusCode !== 501) {
      reporter.error('Request failed with an unexpected error', { operation, requestId: request.requestId, error: thrown });
    }
    return errorResponse(wire, headers);
  }
}

function operationName(target: string | undefined): string | undefined {
  return target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
}

function resolve(operation: string | undefined, target: string | undefined, operations: OperationTable): OperationHandler {
  if (operation !== undefined && isServedOperation(operation)) return operations[operation];
  if (operation !== undefined && isNotYetAvailableOperation(operation)) {
    throw new OperationNotYetAvailableException(
      `${operation} is not yet available in this version of Timbre; it arrives with batch jobs and sessions.`,
    );
  }
  throw new UnknownOperationException(
    target === undefined ? 'Missing X-Amz-Target header' : `Unknown operation ${JSON.stringify(shownTarget(target))}`,
  );
}

/** How much of an unknown target the message echoes: a header can be kilobytes long (found by the fuzzer). */
const SHOWN_TARGET_LENGTH = 100;

function shownTarget(target: string): string {
  return target.length > SHOWN_TARGET_LENGTH ? `${target.slice(0, SHOWN_TARGET_LENGTH)}...` : target;
}

function parseBody(body: string | undefined | null): Record<string, unknown> {
  if (body === undefined || body === null || body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new SerializationException('The request body is not valid JSON', { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SerializationException('The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** The response for a request that failed before it could be dispatched (e.g. broken configuration). */
export function failureResponse(error: unknown, requestId: string): ApiResponse {
  return errorResponse(toWireError(error), { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': requestId });
}

function errorResponse(error: VoiceIdError, headers: Record<string, string>): ApiResponse {
  return {
    statusCode: error.statusCode,
    headers: { ...headers, 'x-amzn-ErrorType': error.name },
    body: JSON.stringify(error.toJSON()),
  };
}
