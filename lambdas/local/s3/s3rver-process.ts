import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensurePrivateDir, withPrivateUmask } from '../shared/data-dir.js';
import { captureOutput, stopChild, trackChild } from '../shared/child-process.js';
import { ServiceStartError } from '../shared/errors.js';
import { findFreePort } from '../shared/free-port.js';

/** One S3 notification record as s3rver emits it (the classic `Records[]` shape). */
export interface S3EventRecord {
  eventName: string;
  eventTime: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
}

/** A running s3rver child. Emits `'object'` with each {@link S3EventRecord}. */
export interface LocalS3 {
  endpoint: string;
  pid: number;
  events: EventEmitter;
  stop(): Promise<void>;
}

/** The credentials s3rver checks signatures against (fixed by s3rver). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const READY_TIMEOUT_MS = 30_000;

/**
 * Starts s3rver 3.7.1 in a child Node process (with --openssl-legacy-provider) keeping objects
 * in `directory`, and relays its object events.
 */
export async function startS3Local(directory: string, port?: number): Promise<LocalS3> {
  ensurePrivateDir(directory);
  const actualPort = port ?? (await findFreePort());
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const childPath = fileURLToPath(new URL('./s3rver-child.ts', import.meta.url));
  const child = withPrivateUmask(() => fork(childPath, [JSON.stringify({ port: actualPort, directory })], {
    execArgv: ['--openssl-legacy-provider', '--import', tsxLoader],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, NODE_OPTIONS: '' },
  }));
  trackChild(child);
  const output = captureOutput(child);
  const events = new EventEmitter();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ServiceStartError('s3rver', `not ready after ${READY_TIMEOUT_MS} ms: ${output()}`)), READY_TIMEOUT_MS);
    child.on('message', (message: { type: string; event?: { Records?: S3EventRecord[] } }) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (message.type === 'event') {
        for (const record of message.event?.Records ?? []) events.emit('object', record);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new ServiceStartError('s3rver', `exited with ${code}: ${output()}`));
    });
  });
  return { endpoint: `http://127.0.0.1:${actualPort}`, pid: child.pid ?? -1, events, stop: () => stopChild(child) };
}
