/**
 * `npm run fuzz [-- --seed N --requests N --concurrency N --json]`: starts its own local Timbre on a temporary data
 * directory (quotas raised as the test suite raises them), fuzzes it, prints the report (or JSON with --json), and
 * exits 1 when an invariant broke.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalTimbre } from '../../lambdas/local/index.js';
import { DEFAULT_SEED, fuzz } from './fuzz.js';
import { formatSummary } from './report.js';

const QUOTAS = JSON.stringify({ domainsPerRegion: 100_000, requestsPerSecond: { '*': 1_000_000 } });

function positiveInteger(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${flag} must be a non-negative integer, got ${text}`);
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { seed: { type: 'string' }, requests: { type: 'string' }, concurrency: { type: 'string' }, json: { type: 'boolean' } },
  });
  const seed = positiveInteger(values.seed, DEFAULT_SEED, '--seed');
  const requests = positiveInteger(values.requests, 10_000, '--requests');
  const concurrency = Math.max(1, positiveInteger(values.concurrency, 8, '--concurrency'));
  const dataDir = mkdtempSync(join(tmpdir(), 'timbre-fuzz-'));
  const errors: unknown[] = [];
  const local = await startLocalTimbre({ port: 0, dataDir, quotas: QUOTAS, schedules: false, onError: (e) => errors.push(e) });
  try {
    const startedMs = Date.now();
    const summary = await fuzz(local, { seed, requests, concurrency });
    const elapsedS = (Date.now() - startedMs) / 1000;
    if (values.json === true) process.stdout.write(`${JSON.stringify({ seed, elapsedS, handlerCrashes: errors.length, ...summary }, null, 2)}\n`);
    else process.stdout.write(`${formatSummary(summary, seed)}handler crashes reported by the local server: ${errors.length}\nelapsed: ${elapsedS.toFixed(1)} s\n`);
    return summary.failureCount === 0 && errors.length === 0 ? 0 : 1;
  } finally {
    await local.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
