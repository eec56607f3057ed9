/**
 * What a fuzz run saw: counts by operation, HTTP status and error type, the largest answer to a bad request,
 * the slowest request, and every broken invariant with the request that broke it:
 * - no 5xx except 501 OperationNotYetAvailableException (a 500 or a 502 is a failure);
 * - every error answered by the API carries `__type` and `Message` (errors of the gateway in front, the 403s of
 *   SigV4 and the 413 of an oversized payload, carry `x-amzn-ErrorType` and `message` as API Gateway's do);
 * - no answer to a bad request over MAX_ERROR_BODY_BYTES;
 * - every request answered within the runner's timeout.
 */
import type { FuzzRequest } from './requests.js';
import type { RawResponse } from './runner.js';

/** The largest body a 4xx answer may have. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** One request and what came of it. */
export interface FuzzOutcome {
  readonly request: FuzzRequest;
  readonly response?: RawResponse;
  /** Set when no answer came (timeout, reset connection). */
  readonly error?: Error;
  readonly elapsedMs: number;
}

/** A broken invariant. */
export interface Failure {
  readonly invariant: string;
  readonly detail: string;
  /** The request, shortened for printing. */
  readonly request: { operation: string; mutation: string; target: string | undefined; contentType: string | undefined; signing: string; body: string };
}

/** Serialisable summary of a run. */
export interface FuzzSummary {
  requests: number;
  byStatus: Record<string, number>;
  byOperation: Record<string, Record<string, number>>;
  byMutation: Record<string, number>;
  largestErrorBody: { bytes: number; status: number; operation: string; mutation: string };
  slowest: { ms: number; operation: string; mutation: string; status: number | string };
  failures: Failure[];
  failureCount: number;
}

const SHOWN_BODY_CHARS = 300;
/** Failures kept in full; the rest are counted. */
const KEPT_FAILURES = 50;

function shown(request: FuzzRequest): Failure['request'] {
  const text = request.body.toString('utf8');
  return {
    operation: request.operation,
    mutation: request.mutation,
    target: request.target === undefined ? undefined : request.target.slice(0, 80),
    contentType: request.contentType,
    signing: request.signing,
    body: text.length > SHOWN_BODY_CHARS ? `${text.slice(0, SHOWN_BODY_CHARS)}… (${request.body.length} bytes)` : text,
  };
}

function errorTypeOf(response: RawResponse): string {
  const header = response.headers.get('x-amzn-errortype');
  if (header !== null) return header.split(':')[0]!;
  try {
    const type = (JSON.parse(response.body.toString('utf8')) as { __type?: string }).__type;
    return type?.split('#').pop() ?? 'none';
  } catch {
    return 'unparsable';
  }
}

/** Gateway-level answers (SigV4 403s, 413) that mimic API Gateway's own error bodies. */
const GATEWAY_ERRORS = new Set(['MissingAuthenticationTokenException', 'UnrecognizedClientException', 'InvalidSignatureException', 'IncompleteSignatureException', 'RequestEntityTooLargeException', 'AccessDeniedException']);

/** Accumulates outcomes and checks each against the invariants. */
export class FuzzReport {
  private readonly summary: FuzzSummary = {
    requests: 0,
    byStatus: {},
    byOperation: {},
    byMutation: {},
    largestErrorBody: { bytes: 0, status: 0, operation: '', mutation: '' },
    slowest: { ms: 0, operation: '', mutation: '', status: 0 },
    failures: [],
    failureCount: 0,
  };

  /** Counts one outcome and checks it. */
  record(outcome: FuzzOutcome): void {
    const { request, response, error, elapsedMs } = outcome;
    const s = this.summary;
    s.requests += 1;
    s.byMutation[request.mutation] = (s.byMutation[request.mutation] ?? 0) + 1;
    const status = response === undefined ? `no answer (${error?.name})` : String(response.status);
    s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
    const key = response === undefined || response.status < 400 ? status : `${status} ${errorTypeOf(response)}`;
    const perOp = (s.byOperation[request.operation] ??= {});
    perOp[key] = (perOp[key] ?? 0) + 1;
    if (elapsedMs > s.slowest.ms) s.slowest = { ms: elapsedMs, operation: request.operation, mutation: request.mutation, status };
    if (response === undefined) {
      const cause = (error?.cause as { code?: string; message?: string } | undefined) ?? {};
      this.fail('every request is answered in time', `${error?.name}: ${error?.message} (${cause.code ?? ''} ${cause.message ?? ''})`, request);
      return;
    }
    this.check(request, response);
  }

  private check(request: FuzzRequest, response: RawResponse): void {
    const { status, body } = response;
    if (status >= 500 && status !== 501) this.fail('no 5xx but 501', `${status} ${body.toString('utf8').slice(0, 300)}`, request);
    if (status === 501 && errorTypeOf(response) !== 'OperationNotYetAvailableException') this.fail('501 only for OperationNotYetAvailable', body.toString('utf8').slice(0, 300), request);
    if (status < 400) return;
    if (body.length > this.summary.largestErrorBody.bytes) {
      this.summary.largestErrorBody = { bytes: body.length, status, operation: request.operation, mutation: request.mutation };
    }
    if (body.length > MAX_ERROR_BODY_BYTES) this.fail(`error bodies stay under ${MAX_ERROR_BODY_BYTES} bytes`, `${body.length} bytes`, request);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      this.fail('error bodies are JSON', body.toString('utf8').slice(0, 200), request);
      return;
    }
    const type = errorTypeOf(response);
    const fromGateway = GATEWAY_ERRORS.has(type) && typeof parsed.message === 'string' && parsed.Message === undefined;
    if (fromGateway) return;
    if (typeof parsed.__type !== 'string' || typeof parsed.Message !== 'string') {
      this.fail('error bodies carry __type and Message', body.toString('utf8').slice(0, 200), request);
    }
  }

  /** Records a broken invariant found outside a single request (e.g. the final DescribeDomain). */
  fail(invariant: string, detail: string, request: FuzzRequest): void {
    this.summary.failureCount += 1;
    if (this.summary.failures.length < KEPT_FAILURES) this.summary.failures.push({ invariant, detail, request: shown(request) });
  }

  /** The summary so far. */
  result(): FuzzSummary {
    return this.summary;
  }
}

/** The summary as text for a terminal. */
export function formatSummary(summary: FuzzSummary, seed: number): string {
  const lines = [`fuzz: ${summary.requests} requests, seed ${seed}`, '', 'by status:'];
  for (const [status, n] of Object.entries(summary.byStatus).sort()) lines.push(`  ${status.padEnd(24)} ${n}`);
  lines.push('', 'by operation (status and error type):');
  for (const [operation, counts] of Object.entries(summary.byOperation).sort()) {
    lines.push(`  ${operation}: ${Object.entries(counts).sort().map(([k, n]) => `${k}=${n}`).join(', ')}`);
  }
  lines.push('', 'by mutation:', `  ${Object.entries(summary.byMutation).sort().map(([k, n]) => `${k}=${n}`).join(', ')}`);
  const { largestErrorBody: big, slowest } = summary;
  lines.push('', `largest answer to a bad request: ${big.bytes} bytes (${big.status}, ${big.operation} ${big.mutation})`);
  lines.push(`slowest request: ${slowest.ms} ms (${slowest.operation} ${slowest.mutation}, ${slowest.status})`);
  lines.push('', `invariant failures: ${summary.failureCount}`);
  for (const f of summary.failures) lines.push(`  ✗ ${f.invariant}: ${f.detail}`, `    request: ${JSON.stringify(f.request)}`);
  return `${lines.join('\n')}\n`;
}
