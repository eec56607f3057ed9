/**
 * Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`) on 127.0.0.1 over the functions the
 * {@link LambdaRegistry} runs in-process, so a handler that invokes another through `@aws-sdk/client-lambda` (the
 * Connect start Lambda starting the audio consumer) works locally as in AWS. `Event` answers 202 and runs the
 * function in the background; `RequestResponse` answers 200 with its result, or with Lambda's error payload and
 * `X-Amz-Function-Error: Unhandled` when it throws; `DryRun` answers 204. Requests must be SigV4-signed for `lambda`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LocalCredentials } from '../gateway/credentials.js';
import { SigV4Verifier } from '../gateway/sigv4-verifier.js';
import { closeServer, listenLocal, readBody, RequestTooLargeError, sendJson } from '../shared/http-util.js';
import type { LambdaRegistry } from './registry.js';

/** Lambda's cap on a synchronous invocation's payload. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

class LambdaApiError extends Error {
  constructor(readonly status: number, readonly errorType: string, message: string) {
    super(message);
    this.name = 'LambdaApiError';
  }
}

/** What the server needs of the registry. */
export type InvokableFunctions = Pick<LambdaRegistry, 'find' | 'invoke'>;

/** Options of {@link startLambdaInvokeServer}. */
export interface LambdaInvokeServerOptions {
  credentials: LocalCredentials;
  region: string;
  accountId: string;
  port?: number;
  /** Reports errors of `Event` invocations, which have no caller to answer. */
  onError: (error: unknown) => void;
}

/** A running local Invoke endpoint. */
export interface LocalLambdaInvoke {
  endpoint: string;
  /** Settles when every `Event` invocation started so far has finished. stop() does not wait: a consumer may run for minutes. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** The error payload Lambda's Node runtime returns for a handler that throws. */
function errorPayload(error: unknown): Record<string, unknown> {
  const err = error instanceof Error ? error : new Error(String(error));
  return { errorType: err.name, errorMessage: err.message, trace: (err.stack ?? '').split('\n') };
}

/** Starts the Invoke API over `functions` on 127.0.0.1. */
export async function startLambdaInvokeServer(functions: InvokableFunctions, options: LambdaInvokeServerOptions): Promise<LocalLambdaInvoke> {
  const verifier = new SigV4Verifier({ credentials: options.credentials, region: options.region, services: ['lambda'], requiredSignedHeaders: ['host'] });
  const background = new Set<Promise<void>>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(req, MAX_PAYLOAD_BYTES);
      const failure = await verifier.verify({ method: req.method ?? 'POST', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
      if (failure !== undefined) throw new LambdaApiError(403, failure.errorType, failure.message);
      const match = INVOKE_PATH.exec(url.pathname);
      if (req.method !== 'POST' || match === null) throw new LambdaApiError(404, 'ResourceNotFoundException', `No local Lambda API at ${req.method} ${url.pathname}`);
      const name = decodeURIComponent(match[1]!);
      const fn = functions.find(name);
      if (fn === undefined) throw new LambdaApiError(404, 'ResourceNotFoundException', `Function not found: ${name}`);
      let event: unknown;
      try {
        event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        throw new LambdaApiError(400, 'InvalidRequestContentException', 'Could not parse request body into json');
      }
      const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      const requestId = randomUUID();
      const headers = { 'x-amzn-requestid': requestId, 'x-amz-executed-version': '$LATEST' };
      if (type === 'DryRun') {
        res.writeHead(204, headers).end();
      } else if (type === 'Event') {
        const run = functions.invoke(fn.name, event, options.region, options.accountId, requestId).then(
          () => undefined,
          (error: unknown) => options.onError(error),
        );
        background.add(run);
        void run.finally(() => background.delete(run));
        res.writeHead(202, headers).end();
      } else if (type === 'RequestResponse') {
        try {
          const result = await functions.invoke(fn.name, event, options.region, options.accountId, requestId);
          sendJson(res, 200, 'application/json', result ?? null, headers);
        } catch (error) {
          sendJson(res, 200, 'application/json', errorPayload(error), { ...headers, 'x-amz-function-error': 'Unhandled' });
        }
      } else {
        throw new LambdaApiError(400, 'InvalidParameterValueException', `Invalid InvocationType ${type}`);
      }
    } catch (error) {
      const known = error instanceof LambdaApiError ? error
        : error instanceof RequestTooLargeError ? new LambdaApiError(413, 'RequestTooLargeException', error.message)
        : new LambdaApiError(500, 'ServiceException', String(error));
      sendJson(res, known.status, 'application/json', { Type: known.status < 500 ? 'User' : 'Service', message: known.message }, { 'x-amzn-errortype': known.errorType });
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  const port = await listenLocal(server, options.port ?? 0);
  const idle = async (): Promise<void> => {
    while (background.size > 0) await Promise.allSettled([...background]);
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    idle,
    stop: () => closeServer(server),
  };
}
