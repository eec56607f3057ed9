import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** API Gateway's payload quota: a larger request never reaches the Lambda. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** Thrown by {@link readBody} as soon as a body grows past its cap (the rest is not buffered). */
export class RequestTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`Request body exceeds ${maxBytes} bytes`);
    this.name = 'RequestTooLargeError';
  }
}

/** Reads a whole request body of at most `maxBytes`. @throws RequestTooLargeError past the cap */
export async function readBody(req: IncomingMessage, maxBytes: number = MAX_REQUEST_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    length += (chunk as Buffer).length;
    if (length > maxBytes) throw new RequestTooLargeError(maxBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Writes an AWS JSON-protocol response. */
export function sendJson(res: ServerResponse, status: number, contentType: string, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * How long an idle keep-alive connection stays open. Node's default (5 s) races the SDK clients, which reuse a pooled
 * socket without knowing the server is closing it: after a pause of about 5 s a call fails with "socket hang up".
 * AWS endpoints keep idle connections for minutes, so the local services do too.
 */
export const IDLE_CONNECTION_MS = 10 * 60_000;

/** Starts `server` on 127.0.0.1:`port` (0 = any), keeping idle connections as AWS does, and returns the port it got. */
export async function listenLocal(server: Server, port: number): Promise<number> {
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : port;
}

/** Closes `server`, dropping idle keep-alive connections so close does not wait for them. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
