import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { unsignedRequiredHeader } from '../../api/signed-headers.js';
import type { LocalCredentials } from './credentials.js';

/** Why a request was refused: the `__type` AWS services answer with HTTP 403. */
export type AuthFailureType = 'MissingAuthenticationTokenException' | 'UnrecognizedClientException' | 'InvalidSignatureException';

export interface AuthFailure {
  errorType: AuthFailureType;
  message: string;
}

/** The parts of an HTTP request a SigV4 check needs. */
export interface SignedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request before its body is read. */
export type RequestHead = Omit<SignedRequest, 'body'>;

/** What {@link SigV4Verifier.checkHead} read from an acceptable head. */
interface CheckedHead {
  region: string;
  service: string;
  signedNames: string[];
  signature: string;
  signingDate: Date;
  headers: Record<string, string>;
}

export interface SigV4VerifierOptions {
  credentials: LocalCredentials;
  region: string;
  /** Signing names accepted in the credential scope. @default ['voiceid', 'execute-api'] */
  services?: readonly string[];
  /**
   * Lower-case headers the signature must cover. @default host, x-amz-target and content-type (JSON-protocol
   * services, where the target header names the operation); REST services name it in the signed path, so `['host']`.
   */
  requiredSignedHeaders?: readonly string[];
  /** Largest accepted difference between X-Amz-Date and now. @default 15 minutes */
  maxClockSkewMs?: number;
  now?: () => Date;
}

/** SHA-256 / HMAC-SHA-256 from node:crypto in the shape @smithy/signature-v4 expects. */
export class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : Buffer.from(this.secret as ArrayBuffer);
    return createHmac('sha256', ArrayBuffer.isView(this.secret) ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength) : key);
  }
}

const AUTH_PATTERN = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;._-]+), ?Signature=([0-9a-f]{64})$/;

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m === null ? undefined : new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Checks AWS Signature Version 4 (header form) the way AWS services do: recomputes the signature
 * with @smithy/signature-v4 over the headers the client signed and compares. Returns undefined when
 * the request is authentic, else the error AWS would send.
 */
export class SigV4Verifier {
  private readonly services: readonly string[];
  private readonly maxClockSkewMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: SigV4VerifierOptions) {
    this.services = options.services ?? ['voiceid', 'execute-api'];
    this.maxClockSkewMs = options.maxClockSkewMs ?? 15 * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Everything that can be checked without the body: the Authorization header's form, the access key,
   * the date, the credential scope and which headers are signed. Lets a server refuse before it reads a body.
   */
  checkHead(request: RequestHead): AuthFailure | undefined {
    const checked = this.readHead(request);
    return 'errorType' in checked ? checked : undefined;
  }

  async verify(request: SignedRequest): Promise<AuthFailure | undefined> {
    const checked = this.readHead(request);
    if ('errorType' in checked) return checked;
    const { region, service, signedNames, signature, signingDate, headers } = checked;
    // A client-declared payload hash is only trusted when it matches the body.
    const declaredHash = headerValue(request.headers, 'x-amz-content-sha256');
    if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(request.body).digest('hex')) {
      return { errorType: 'InvalidSignatureException', message: 'The provided x-amz-content-sha256 does not match the request body' };
    }
    const signer = new SignatureV4({
      credentials: this.options.credentials,
      region,
      service,
      sha256: NodeSha256,
      applyChecksum: false,
    });
    const toSign = {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: request.path,
      query: request.query,
      headers,
      body: request.body,
    };
    const signed = await signer.sign(toSign, {
      signingDate,
      signableHeaders: new Set(signedNames),
      signingRegion: region,
      signingService: service,
    });
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
    const same = expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
    if (!same) {
      return {
        errorType: 'InvalidSignatureException',
        message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      };
    }
    return undefined;
  }

  private readHead(request: RequestHead): CheckedHead | AuthFailure {
    const authorization = headerValue(request.headers, 'authorization');
    if (authorization === undefined) {
      return { errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
    }
    const match = AUTH_PATTERN.exec(authorization.trim());
    if (match === null) {
      return { errorType: 'InvalidSignatureException', message: 'Authorization header is not a valid AWS4-HMAC-SHA256 signature' };
    }
    const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = match as unknown as string[];
    if (accessKeyId !== this.options.credentials.accessKeyId) {
      return { errorType: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
    }
    const amzDate = headerValue(request.headers, 'x-amz-date');
    const signingDate = amzDate === undefined ? undefined : parseAmzDate(amzDate);
    if (signingDate === undefined || !amzDate!.startsWith(scopeDate!)) {
      return { errorType: 'InvalidSignatureException', message: 'X-Amz-Date is missing or does not match the credential scope' };
    }
    if (Math.abs(this.now().getTime() - signingDate.getTime()) > this.maxClockSkewMs) {
      return { errorType: 'InvalidSignatureException', message: `Signature expired: ${amzDate} is outside the allowed clock skew` };
    }
    if (region !== this.options.region) {
      return { errorType: 'InvalidSignatureException', message: `Credential should be scoped to a valid region, not '${region}'` };
    }
    if (!this.services.includes(service!)) {
      return { errorType: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${this.services.join("' or '")}'` };
    }
    const signedNames = signedHeaderList!.split(';');
    const required = this.options.requiredSignedHeaders;
    const unsigned = required === undefined
      ? unsignedRequiredHeader(signedNames)
      : required.filter((name) => !signedNames.includes(name)).map((name) => `'${name}' must be a signed header`)[0];
    if (unsigned !== undefined) return { errorType: 'InvalidSignatureException', message: unsigned };
    const headers: Record<string, string> = {};
    for (const name of signedNames) {
      const value = headerValue(request.headers, name);
      if (value === undefined) return { errorType: 'InvalidSignatureException', message: `Signed header ${name} is missing` };
      headers[name] = value;
    }
    return { region: region!, service: service!, signedNames, signature: signature!, signingDate, headers };
  }
}
