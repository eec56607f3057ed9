import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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
