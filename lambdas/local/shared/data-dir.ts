import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirError } from './errors.js';

/** Everything in a data directory is its owner's alone: tables, objects, key material, credentials. */
const OWNER_ONLY_UMASK = 0o077;

/** Removes group and other bits from `path` and, for a directory, from everything below it. */
function tightenTree(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if ((stat.mode & 0o077) !== 0) chmodSync(path, stat.mode & 0o700);
  if (stat.isDirectory()) for (const name of readdirSync(path)) tightenTree(join(path, name));
}

/**
 * Creates `path` with mode 0700, or makes an existing one and what it already holds owner-only
 * (a directory made before this rule, or by a mkdir with the default umask).
 */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  tightenTree(path);
}

/**
 * Runs `spawn` with the process umask set to 077, so the child (DynamoDB Local, s3rver) inherits
 * it and creates owner-only files; spawning is synchronous, so nothing else runs under it.
 */
export function withPrivateUmask<T>(spawn: () => T): T {
  const previous = process.umask(OWNER_ONLY_UMASK);
  try {
    return spawn();
  } finally {
    process.umask(previous);
  }
}

/** The file naming the process that holds a data directory. */
export const LOCK_FILE = 'timbre.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockOwner(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes `<dir>/timbre.lock` for this process, so that two runs never open the same DynamoDB Local
 * files; a lock left by a process that is gone is taken over. Returns the release function.
 * @throws DataDirError when a live process holds the directory
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (;;) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = lockOwner(path);
    if (owner !== undefined && isAlive(owner)) {
      throw new DataDirError(dir, `is in use by process ${owner} (another timbre serve or test run); stop it or choose another data directory`);
    }
    rmSync(path, { force: true });
  }
  return () => {
    if (lockOwner(path) === process.pid) rmSync(path, { force: true });
  };
}
