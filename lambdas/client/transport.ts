/**
 * One awsJson1_0 call to Voice ID's endpoint: `POST <endpoint path>/` with `X-Amz-Target: VoiceID.<Operation>`,
 * SigV4-signed for each attempt, with throttling, 5xx answers and unreachable endpoints retried with capped,
 * jittered exponential backoff.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { TimbreNetworkError, TimbreResponseError, TimbreServiceError } from './errors.js';
import { NodeSha256 } from './sha256.js';

/** An access key pair, with the session token of temporary credentials. */
export interface TimbreCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A source of credentials, e.g. `fromNodeProviderChain()` or any AWS SDK credential provider. */
export type TimbreCredentialsProvider = () => Promise<TimbreCredentials>;

/** Where and how requests go. */
export interface TransportSettings {
  /** The API endpoint: `http://127.0.0.1:8787` locally, the stack's `ApiUrl` output when deployed. */
  endpoint: string;
  region: string;
  credentials: TimbreCredentials | TimbreCredentialsProvider;
  /** SigV4 service name: `voiceid` locally, `execute-api` for a deployed stack behind API Gateway. @default 'voiceid' */
  signingName?: string;
  /** Requests per call, the first included. @default 3 */
  maxAttempts?: number;
  /** Backoff before retry n is a random delay up to `retryBaseDelayMs × 2^(n-1)`, capped at 5 s. @default 100 */
  retryBaseDelayMs?: number;
}

const TARGET_PREFIX = 'VoiceID.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const MAX_RETRY_DELAY_MS = 5_000;
/** Error types worth trying again: the SDK's throttling codes Voice ID can answer. */
const THROTTLING_ERRORS = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded']);

/** The error type in the form the AWS SDK reads it: text before `,` and `:`, after `#`. */
export function errorTypeOf(raw: string): string {
  const head = raw.split(',')[0]!.split(':')[0]!;
  return head.slice(head.lastIndexOf('#') + 1).trim();
}

/** Sends signed awsJson1_0 requests to one endpoint. */
export class AwsJsonTransport {
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private readonly maxAttempts: number;
  private readonly retryBaseDelayMs: number;

  constructor(settings: TransportSettings) {
    this.url = new URL(settings.endpoint);
    const { credentials } = settings;
    this.signer = new SignatureV4({
      service: settings.signingName ?? 'voiceid',
      region: settings.region,
      credentials: typeof credentials === 'function' ? credentials : async () => credentials,
      sha256: NodeSha256,
    });
    this.maxAttempts = Math.max(1, settings.maxAttempts ?? 3);
    this.retryBaseDelayMs = settings.retryBaseDelayMs ?? 100;
  }

  /** The endpoint requests go to. */
  get endpoint(): string {
    return this.url.href;
  }

  /** Calls `operation` with `input` as its JSON body; resolves to the parsed answer, or throws a TimbreClientError. */
  async call(operation: string, input: object): Promise<Record<string, unknown>> {
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.post(operation, body);
      } catch (error) {
        if (attempt < this.maxAttempts) {
          await this.backoff(attempt);
          continue;
        }
        throw new TimbreNetworkError(this.url.origin, attempt, { cause: error });
      }
      const answer = await this.readAnswer(response, attempt);
      if (!(answer instanceof TimbreServiceError)) return answer;
      const retryable = answer.$fault === 'server' || answer.$metadata.httpStatusCode === 429 || THROTTLING_ERRORS.has(answer.name);
      if (!retryable || attempt >= this.maxAttempts) throw answer;
      await this.backoff(attempt);
    }
  }

  private async post(operation: string, body: string): Promise<Response> {
    // `…/prod` and `…/prod/` both mean `POST /prod/`, as the SDK sends it.
    const path = this.url.pathname.endsWith('/') ? this.url.pathname : `${this.url.pathname}/`;
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      ...(this.url.port === '' ? {} : { port: Number(this.url.port) }),
      path,
      headers: { host: this.url.host, 'content-type': CONTENT_TYPE, 'x-amz-target': `${TARGET_PREFIX}${operation}` },
      body,
    });
    return fetch(new URL(path, this.url), { method: 'POST', headers: signed.headers as Record<string, string>, body });
  }

  /** The parsed success body, or the TimbreServiceError an error answer stands for. */
  private async readAnswer(response: Response, attempts: number): Promise<Record<string, unknown> | TimbreServiceError> {
    const text = await response.text();
    let parsed: unknown = {};
    if (text.trim() !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new TimbreResponseError(response.status, `a body that is not JSON (${text.slice(0, 80)})`);
      }
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TimbreResponseError(response.status, 'a body that is not a JSON object');
    const body = parsed as Record<string, unknown>;
    if (response.ok) return body;
    const requestId = response.headers.get('x-amzn-requestid') ?? undefined;
    const metadata = { httpStatusCode: response.status, attempts, ...(requestId === undefined ? {} : { requestId }) };
    const rawType = response.headers.get('x-amzn-errortype') ?? (typeof body.__type === 'string' ? body.__type : undefined);
    const name = rawType === undefined ? `Http${response.status}Error` : errorTypeOf(rawType);
    const message = [body.Message, body.message].find((m): m is string => typeof m === 'string') ?? `HTTP ${response.status}`;
    const members: { ConflictType?: string; ResourceType?: string } = {};
    if (typeof body.ConflictType === 'string') members.ConflictType = body.ConflictType;
    if (typeof body.ResourceType === 'string') members.ResourceType = body.ResourceType;
    return new TimbreServiceError(name, message, metadata, members);
  }

  private async backoff(attempt: number): Promise<void> {
    const ceiling = Math.min(MAX_RETRY_DELAY_MS, this.retryBaseDelayMs * 2 ** (attempt - 1));
    await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
  }
}
