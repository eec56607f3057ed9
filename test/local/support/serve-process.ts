/** Runs `timbre serve` as a child process, as `npm start` does, for tests of the CLI and of crashes. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

/** A running (or exited) `timbre serve`. */
export interface ServeProcess {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr together. */
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `timbre serve --port 0 --data-dir dataDir` in its own process, with `env` added to this one's. */
export function startServe(dataDir: string, env: Record<string, string> = {}): ServeProcess {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, join(REPO_ROOT, 'bin', 'timbre.ts'), 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => { if (code === null) out += `\n[exited on ${signal}]\n`; resolve(code); }));
  return { child, output: () => out, exited };
}

/** Pids of processes whose command line mentions `text` (the data dir identifies this run's java). */
export function pidsMentioning(text: string): number[] {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  return lines.filter((l) => l.includes(text) && !l.includes('ps -eo')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

/** Polls `condition` every 100 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
