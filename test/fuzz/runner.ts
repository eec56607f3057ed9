/**
 * Sends fuzz requests to a Voice ID endpoint with bounded concurrency, signed with the official SDK's SigV4 signer
 * (or deliberately not, or badly), and checks every answer against the invariants in report.ts.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../lambdas/local/gateway/sigv4-verifier.js';
import type { LocalCredentials } from '../../lambdas/local/index.js';
import { FuzzReport, type FuzzOutcome } from './report.js';
import type { FuzzRequest } from './requests.js';

/** Where to send and how long to wait. */
export interface RunnerOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: LocalCredentials;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** A request not answered within this is a hang. */
  readonly timeoutMs: number;
}

/** A response read back in full. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

/** Signs and sends fuzz requests. */
export class FuzzRunner {
  private readonly signer: SignatureV4;
  private readonly wrongSigner: SignatureV4;
  private readonly url: URL;

  constructor(private readonly options: RunnerOptions) {
    this.url = new URL(options.endpoint);
    const base = { service: 'voiceid', region: options.region, sha256: NodeSha256 };
    this.signer = new SignatureV4({ ...base, credentials: options.credentials });
    this.wrongSigner = new SignatureV4({ ...base, credentials: { accessKeyId: options.credentials.accessKeyId, secretAccessKey: 'not-the-secret-key-000000000000000000000' } });
  }

  /** Sends `count` requests from `next` and returns the report of what came back. */
  async run(count: number, next: () => FuzzRequest): Promise<FuzzReport> {
    const report = new FuzzReport();
    let issued = 0;
    const worker = async (): Promise<void> => {
      while (issued < count) {
        issued += 1;
        const request = next();
        report.record(await this.outcome(request));
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, worker));
    return report;
  }

  private async outcome(request: FuzzRequest): Promise<FuzzOutcome> {
    const startedMs = Date.now();
    try {
      const response = await this.send(request);
      return { request, response, elapsedMs: Date.now() - startedMs };
    } catch (error) {
      return { request, error: error as Error, elapsedMs: Date.now() - startedMs };
    }
  }

  /** Sends one request and reads the whole answer; throws on a timeout or a broken connection. */
  async send(request: FuzzRequest): Promise<RawResponse> {
    const headers = await this.headers(request);
    const body = request.signing === 'tamperedBody' ? Buffer.concat([request.body, Buffer.from(' ')]) : request.body;
    const response = await fetch(this.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs) });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  private async headers(request: FuzzRequest): Promise<Record<string, string>> {
    const headers: Record<string, string> = { host: this.url.host };
    if (request.contentType !== undefined) headers['content-type'] = request.contentType;
    if (request.target !== undefined) headers['x-amz-target'] = request.target;
    if (request.signing === 'unsigned') return headers;
    const signer = request.signing === 'wrongSecret' ? this.wrongSigner : this.signer;
    const signingDate = request.signing === 'staleDate' ? new Date(Date.now() - 60 * 60 * 1000) : new Date();
    const signed = await signer.sign(
      { method: 'POST', protocol: this.url.protocol, hostname: this.url.hostname, port: Number(this.url.port), path: '/', query: {}, headers, body: request.body },
      { signingDate },
    );
    const out = signed.headers as Record<string, string>;
    delete out.host; // fetch sets it
    return out;
  }
}
