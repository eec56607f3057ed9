import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GuardedCommand, GuardMessage } from './parent-guard.js';

/** A command running under a parent guard: `guard` is the process to track and stop, `pid` the command's. */
export interface GuardedChild {
  guard: ChildProcess;
  /** Resolves with the command's pid once it runs; rejects when it cannot be started. */
  pid: Promise<number>;
}

/**
 * Runs `command` through `parent-guard.ts`, so that it dies with this process even on SIGKILL.
 * The guard's own command line holds no arguments of the command (they travel in its environment),
 * so a search of the process list for the command's arguments finds the command alone.
 */
export function spawnGuarded(command: GuardedCommand, env: NodeJS.ProcessEnv = process.env): GuardedChild {
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const guardPath = fileURLToPath(new URL('./parent-guard.ts', import.meta.url));
  const guard = fork(guardPath, [], {
    execArgv: ['--import', tsxLoader],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...env, NODE_OPTIONS: '', TIMBRE_GUARDED_COMMAND: JSON.stringify(command) },
  });
  const pid = new Promise<number>((resolve, reject) => {
    guard.on('message', (message: GuardMessage) => {
      if (message.type === 'started') resolve(message.pid);
      else reject(new Error(message.message));
    });
    guard.once('exit', (code) => reject(new Error(`the guard exited with ${code}`)));
    guard.once('error', reject);
  });
  pid.catch(() => undefined);
  return { guard, pid };
}
