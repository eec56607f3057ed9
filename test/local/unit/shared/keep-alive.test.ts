/**
 * The local services keep an idle keep-alive connection open past Node's 5-s default, so an SDK client that pauses
 * between calls (a test waiting on a Lambda, a poll after a slow step) reuses its pooled socket instead of racing the
 * server's close and failing with "socket hang up".
 */
import { Agent, createServer, request } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { closeServer, listenLocal } from '../../../../lambdas/local/shared/http-util.js';

const server = createServer((_req, res) => res.end('ok'));
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
afterAll(async () => {
  agent.destroy();
  await closeServer(server);
});

function get(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, agent, path: '/' }, (res) => {
      res.resume();
      res.on('end', () => resolve(req.socket as Socket));
    });
    req.on('error', reject).end();
  });
}

describe('listenLocal', () => {
  it('keeps an idle keep-alive connection open for longer than 5 s and serves the next request on it', async () => {
    const port = await listenLocal(server, 0);
    const first = await get(port);
    let closed = false;
    first.once('close', () => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(closed).toBe(false);
    expect(await get(port)).toBe(first);
  }, 15_000);
});
