import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { buildProxyEvent, type ApiGatewayProxyEvent, type ApiGatewayProxyResult } from './proxy-event.js';
import { closeServer, listenLocal, MAX_REQUEST_BYTES, readBody, RequestTooLargeError, sendJson } from '../shared/http-util.js';
import { ServiceStartError } from '../shared/errors.js';
import type { SigV4Verifier } from './sigv4-verifier.js';

/** Invokes the API's Lambda with a proxy event (the request id becomes the Lambda request id). */
export type ProxyInvoker = (event: ApiGatewayProxyEvent, requestId: string) => Promise<ApiGatewayProxyResult>;

export interface ApiServerOptions {
  port: number;
  accountId: string;
  verifier: SigV4Verifier;
  invoke: ProxyInvoker;
  /** Where handler crashes are reported. */
  onError: (error: unknown) => void;
}

export interface LocalApiServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const JSON_10 = 'application/x-amz-json-1.0';

function sendError(res: ServerResponse, status: number, errorType: string, message: string, requestId: string): void {
  sendJson(res, status, JSON_10, { __type: errorType, message }, { 'x-amzn-ErrorType': errorType, 'x-amzn-RequestId': requestId });
}

/**
 * Lets the rest of a refused request's body flow past without keeping it, so the client can finish sending
 * and read the answer; a connection that sends more than the payload quota is dropped.
 */
function discardBody(req: IncomingMessage): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_REQUEST_BYTES) req.socket.destroy();
  });
}

/** API Gateway's REQUEST_TOO_LARGE gateway response. */
function sendTooLarge(res: ServerResponse, requestId: string, headers: Record<string, string> = {}): void {
  sendJson(res, 413, 'application/json', { message: 'Request Too Long' }, { 'x-amzn-ErrorType': 'RequestEntityTooLargeException', 'x-amzn-RequestId': requestId, ...headers });
}

function writeResult(res: ServerResponse, result: ApiGatewayProxyResult, requestId: string): void {
  const headers: Record<string, string | string[]> = { 'x-amzn-RequestId': requestId };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded === true ? 'base64' : 'utf8');
  headers['content-length'] = String(body.length);
  res.writeHead(result.statusCode, headers);
  res.end(body);
}

/**
 * Serves the Voice ID API the way API Gateway with IAM authorisation would: `POST /` only, a
 * valid SigV4 signature required (403 with AWS's error otherwise; what the headers alone show is
 * refused before the body is read), then the Lambda handler is invoked in-process with a proxy event.
 */
export async function startApiServer(options: ApiServerOptions): Promise<LocalApiServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    // Like API Gateway, a declared oversized payload is refused before anything else.
    if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
      discardBody(req);
      sendTooLarge(res, requestId);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const head = { method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers };
    // Refused before the body is read, so unauthenticated bodies are never buffered.
    const early = options.verifier.checkHead(head);
    if (early !== undefined) {
      discardBody(req);
      sendError(res, 403, early.errorType, early.message, requestId);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (!(error instanceof RequestTooLargeError)) throw error;
      // The rest of the stream is unread, so the connection cannot carry another request.
      sendTooLarge(res, requestId, { connection: 'close' });
      return;
    }
    const failure = await options.verifier.verify({ ...head, body });
    if (failure !== undefined) {
      sendError(res, 403, failure.errorType, failure.message, requestId);
      return;
    }
    // API Gateway answers any route it does not have with this 403.
    if (req.method !== 'POST' || url.pathname !== '/') {
      sendError(res, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token', requestId);
      return;
    }
    const accessKey = /Credential=([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? null;
    const event = buildProxyEvent(req, body, url, options.accountId, accessKey, requestId);
    try {
      writeResult(res, await options.invoke(event, requestId), requestId);
    } catch (error) {
      options.onError(error);
      // What API Gateway returns when the integration Lambda fails.
      sendJson(res, 502, 'application/json', { message: 'Internal server error' }, { 'x-amzn-ErrorType': 'InternalServerErrorException', 'x-amzn-RequestId': requestId });
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError(error);
      if (!res.headersSent) sendJson(res, 500, 'application/json', { message: 'Internal server error' });
    });
  });
  let port: number;
  try {
    port = await listenLocal(server, options.port);
  } catch (error) {
    const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new ServiceStartError('Voice ID API', busy ? `port ${options.port} on 127.0.0.1 is in use (choose another with --port)` : String(error), { cause: error });
  }
  return { endpoint: `http://127.0.0.1:${port}`, port, stop: () => closeServer(server) };
}
