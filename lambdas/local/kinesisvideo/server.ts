/**
 * Timbre's local Kinesis Video Streams endpoint: the control plane (GetDataEndpoint, DescribeStream, ListStreams)
 * and the data plane's GetMedia on one HTTP server on 127.0.0.1, for the official `@aws-sdk/client-kinesis-video`
 * and `@aws-sdk/client-kinesis-video-media` clients. Requests must be SigV4-signed for `kinesisvideo` with the
 * local services' credentials; errors come in KVS's REST-JSON form (`x-amzn-errortype` plus `{ Message }`), so the
 * SDK raises its typed exceptions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { LocalCredentials } from '../gateway/credentials.js';
import { SigV4Verifier } from '../gateway/sigv4-verifier.js';
import { closeServer, listenLocal, readBody, RequestTooLargeError, sendJson } from '../shared/http-util.js';
import { KvsStreamRegistry, StartSelectorError, type LocalStream, type StartSelector } from './stream-registry.js';

/** A KVS error: the SDK picks the exception class from `errorType`. */
class KvsApiError extends Error {
  constructor(readonly status: number, readonly errorType: string, message: string) {
    super(message);
    this.name = 'KvsApiError';
  }
}

type Input = Record<string, unknown>;

/**
 * Timbre's own route, not a KVS operation: registers a stream from the MKV in the body (`?StreamName=…&pace=fast|realtime`),
 * so a process other than the one running the local services (`timbre call-sim`) can play a call. Signed like the rest.
 */
export const PUT_STREAM_PATH = '/timbre/putStream';

/** The largest MKV the route takes (a long call at 8 kHz is about 1 MB a minute). */
const MAX_PUT_STREAM_BYTES = 64 << 20;

/** The control-plane operations, by path. */
const CONTROL_PLANE: Record<string, (registry: KvsStreamRegistry, input: Input, endpoint: string) => unknown> = {
  '/getDataEndpoint': (registry, input, endpoint) => {
    const apiName = input.APIName;
    if (typeof apiName !== 'string' || apiName.length === 0) throw new KvsApiError(400, 'InvalidArgumentException', 'APIName is required');
    findStream(registry, input);
    return { DataEndpoint: endpoint };
  },
  '/describeStream': (registry, input) => ({ StreamInfo: streamInfo(findStream(registry, input)) }),
  '/listStreams': (registry) => ({ StreamInfoList: registry.all().map(streamInfo) }),
};

function putStream(registry: KvsStreamRegistry, query: URLSearchParams, mkv: Uint8Array): { StreamARN: string; Fragments: number } {
  const name = query.get('StreamName') ?? '';
  const pace = query.get('pace') ?? 'fast';
  if (!/^[a-zA-Z0-9_.-]{1,256}$/.test(name)) throw new KvsApiError(400, 'InvalidArgumentException', 'StreamName must be 1-256 letters, digits, _ . or -');
  if (pace !== 'fast' && pace !== 'realtime') throw new KvsApiError(400, 'InvalidArgumentException', 'pace must be fast or realtime');
  let arn: string;
  try {
    arn = registry.putStream(name, mkv, { pace });
  } catch (error) {
    throw new KvsApiError(400, 'InvalidArgumentException', `The body is not a Kinesis Video MKV: ${(error as Error).message}`);
  }
  return { StreamARN: arn, Fragments: registry.find({ name })?.fragments.length ?? 0 };
}

function streamInfo(stream: LocalStream): Record<string, unknown> {
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    MediaType: 'audio/L16',
    Status: 'ACTIVE',
    Version: '1',
    CreationTime: stream.createdAt.getTime() / 1000,
    DataRetentionInHours: 24,
  };
}

function findStream(registry: KvsStreamRegistry, input: Input): LocalStream {
  const name = typeof input.StreamName === 'string' ? input.StreamName : undefined;
  const arn = typeof input.StreamARN === 'string' ? input.StreamARN : undefined;
  if ((name === undefined) === (arn === undefined)) throw new KvsApiError(400, 'InvalidArgumentException', 'Exactly one of StreamName and StreamARN is required');
  const stream = registry.find({ name, arn });
  if (stream === undefined) throw new KvsApiError(404, 'ResourceNotFoundException', `The requested stream is not found or not active: ${arn ?? name}`);
  return stream;
}

function startSelector(input: Input): StartSelector {
  const selector = input.StartSelector as Input | undefined;
  const type = selector?.StartSelectorType;
  if (type === 'EARLIEST' || type === 'NOW') return { type };
  if (type === 'FRAGMENT_NUMBER') {
    if (typeof selector?.AfterFragmentNumber !== 'string') throw new KvsApiError(400, 'InvalidArgumentException', 'AfterFragmentNumber is required for FRAGMENT_NUMBER');
    return { type, afterFragmentNumber: selector.AfterFragmentNumber };
  }
  throw new KvsApiError(400, 'InvalidArgumentException', `StartSelectorType ${String(type)} is not supported locally (EARLIEST, NOW or FRAGMENT_NUMBER)`);
}

/** Options of {@link startKinesisVideoServer}. */
export interface KinesisVideoServerOptions {
  credentials: LocalCredentials;
  region: string;
  port?: number;
  /** Waits between realtime fragments; tests pass one that records the waits. @default node's timer */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Reports a GetMedia stream that failed after its headers were sent. @default console.error */
  onError?: (error: unknown) => void;
}

/** A running local Kinesis Video endpoint. */
export interface LocalKinesisVideo {
  endpoint: string;
  streams: KvsStreamRegistry;
  stop(): Promise<void>;
}

/** Starts the endpoint over `streams` on 127.0.0.1 (a free port unless `port` is given). */
export async function startKinesisVideoServer(streams: KvsStreamRegistry, options: KinesisVideoServerOptions): Promise<LocalKinesisVideo> {
  const verifier = new SigV4Verifier({ credentials: options.credentials, region: options.region, services: ['kinesisvideo'], requiredSignedHeaders: ['host'] });
  const sleep = options.sleep ?? ((ms, signal) => sleepFor(ms, undefined, { signal }));
  const onError = options.onError ?? ((error: unknown) => console.error('timbre local kinesisvideo:', error));
  let endpoint = '';
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(req, url.pathname === PUT_STREAM_PATH ? MAX_PUT_STREAM_BYTES : 1 << 20);
      const failure = await verifier.verify({ method: req.method ?? 'POST', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
      if (failure !== undefined) throw new KvsApiError(403, failure.errorType, failure.message);
      if (req.method !== 'POST') throw new KvsApiError(405, 'InvalidArgumentException', `${req.method} is not supported`);
      if (url.pathname === PUT_STREAM_PATH) return sendJson(res, 200, 'application/json', putStream(streams, url.searchParams, body));
      const input = (body.length === 0 ? {} : JSON.parse(body.toString('utf8'))) as Input;
      if (url.pathname === '/getMedia') return await getMedia(req, res, findStream(streams, input), startSelector(input));
      const operation = Object.hasOwn(CONTROL_PLANE, url.pathname) ? CONTROL_PLANE[url.pathname] : undefined;
      if (operation === undefined) throw new KvsApiError(404, 'InvalidArgumentException', `Unknown operation ${url.pathname}`);
      sendJson(res, 200, 'application/json', operation(streams, input, endpoint));
    } catch (error) {
      const known = error instanceof KvsApiError ? error
        : error instanceof StartSelectorError ? new KvsApiError(error.errorType === 'ResourceNotFoundException' ? 404 : 400, error.errorType, error.message)
        : error instanceof SyntaxError ? new KvsApiError(400, 'InvalidArgumentException', `Request body is not JSON: ${error.message}`)
        : error instanceof RequestTooLargeError ? new KvsApiError(400, 'InvalidArgumentException', error.message)
        : undefined;
      if (res.headersSent) return onError(error);
      if (known === undefined) return sendJson(res, 500, 'application/json', { Message: String(error) }, { 'x-amzn-errortype': 'ClientLimitExceededException' });
      sendJson(res, known.status, 'application/json', { Message: known.message }, { 'x-amzn-errortype': known.errorType });
    }
  };

  /** Writes the selected fragments as they fall due; stops as soon as the reader goes away. */
  const getMedia = async (req: IncomingMessage, res: ServerResponse, stream: LocalStream, selector: StartSelector): Promise<void> => {
    const fragments = streams.select(stream, selector);
    const release = streams.trackRead(stream.name);
    const gone = new AbortController();
    res.once('close', () => {
      gone.abort();
      release();
    });
    res.writeHead(200, { 'content-type': 'video/webm' });
    let previousMs = fragments[0]?.timecodeMs ?? 0;
    try {
      for (const fragment of fragments) {
        // Each fragment waits for the audio time since the one before: a fragment's worth, as Connect produces it.
        if (stream.pace === 'realtime' && fragment.timecodeMs > previousMs) await sleep(fragment.timecodeMs - previousMs, gone.signal);
        previousMs = fragment.timecodeMs;
        if (gone.signal.aborted) return;
        if (!res.write(fragment.bytes)) await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          gone.signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      res.end();
    } catch (error) {
      if (!gone.signal.aborted) throw error;
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  const port = await listenLocal(server, options.port ?? 0);
  endpoint = `http://127.0.0.1:${port}`;
  return { endpoint, streams, stop: () => closeServer(server) };
}
