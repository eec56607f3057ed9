/**
 * What bad requests cost a running `timbre serve` (its own process, as `npm start` runs it): the answer to signed
 * CreateDomain bodies with millions of empty tags (size and time), and the server's resident memory while 100
 * unsigned ~10 MB bodies arrive at once. Issue 10 found a 190 MB answer, a 500 and 600 MB RSS here; this measures them.
 * Run: npm run bench:abuse -- [--json]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuzzRunner } from '../fuzz/runner.js';
import type { FuzzRequest } from '../fuzz/requests.js';
import { startServe, waitFor } from '../local/support/serve-process.js';

const json = process.argv.includes('--json');
const credentials = { accessKeyId: 'AKIAABUSEBENCH000000', secretAccessKey: 'abuse-bench-secret-key-0000000000000000000' };
const dataDir = mkdtempSync(join(tmpdir(), 'timbre-abuse-bench-'));
const serve = startServe(dataDir, { TIMBRE_ACCESS_KEY_ID: credentials.accessKeyId, TIMBRE_SECRET_ACCESS_KEY: credentials.secretAccessKey });

/** Resident memory of the server process now, in MiB (Linux /proc). */
const rssMiB = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${serve.child.pid}/status`, 'utf8'))![1]) / 1024;

/** A CreateDomain body whose Tags list holds `count` empty structures. */
function manyEmptyTags(count: number): Buffer {
  return Buffer.from(`{"Name":"abuse","ServerSideEncryptionConfiguration":{"KmsKeyId":"alias/x"},"Tags":[${Array(count).fill('{}').join(',')}]}`);
}

const request = (body: Buffer, signing: FuzzRequest['signing']): FuzzRequest => ({
  operation: 'CreateDomain',
  mutation: 'abuse',
  target: 'VoiceID.CreateDomain',
  contentType: 'application/x-amz-json-1.0',
  body,
  signing,
});

try {
  await waitFor(() => serve.output().includes('Press Ctrl-C') || serve.child.exitCode !== null, 200_000);
  const endpoint = /endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(serve.output())?.[1];
  if (endpoint === undefined) throw new Error(`timbre serve did not start:\n${serve.output()}`);
  const runner = new FuzzRunner({ endpoint, region: 'us-east-1', credentials, concurrency: 1, timeoutMs: 120_000 });

  // The flood first, so the server's memory is not already grown by the large signed bodies.
  const floodBody = Buffer.alloc(10 * 2 ** 20 - 1024, 0x20);
  const idleRss = rssMiB();
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB())), 20);
  const floodStarted = performance.now();
  const flood = await Promise.all(Array.from({ length: 100 }, () => runner.send(request(floodBody, 'unsigned')).then((r) => r.status, (e: Error) => e.name)));
  const floodMs = performance.now() - floodStarted;
  clearInterval(sampler);
  const answers = [];
  for (const count of [1_000_000, 3_300_000]) {
    const body = manyEmptyTags(count);
    const started = performance.now();
    const answer = await runner.send(request(body, 'valid'));
    answers.push({ emptyTags: count, bodyMiB: body.length / 2 ** 20, status: answer.status, answerBytes: answer.body.length, ms: performance.now() - started });
  }
  const parallelBody = manyEmptyTags(2_000_000);
  const parallelStarted = performance.now();
  const parallel = await Promise.all(Array.from({ length: 4 }, () => runner.send(request(parallelBody, 'valid'))));
  const parallelMs = performance.now() - parallelStarted;

  const statuses = flood.reduce<Record<string, number>>((counts, s) => ({ ...counts, [s]: (counts[s] ?? 0) + 1 }), {});

  const result = {
    manyTags: answers,
    fourParallel: { bodyMiB: parallelBody.length / 2 ** 20, statuses: parallel.map((a) => a.status), largestAnswerBytes: Math.max(...parallel.map((a) => a.body.length)), ms: parallelMs },
    unsignedFlood: { requests: 100, bodyMiB: floodBody.length / 2 ** 20, statuses, idleRssMiB: idleRss, peakRssMiB: peakRss, ms: floodMs },
  };
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    for (const a of answers) console.log(`CreateDomain with ${a.emptyTags.toLocaleString()} empty tags (${a.bodyMiB.toFixed(1)} MiB): ${a.status}, ${a.answerBytes} bytes answered in ${a.ms.toFixed(0)} ms`);
    console.log(`4 of them at once (${result.fourParallel.bodyMiB.toFixed(1)} MiB each): ${result.fourParallel.statuses.join(', ')}, largest answer ${result.fourParallel.largestAnswerBytes} bytes, ${parallelMs.toFixed(0)} ms`);
    console.log(`100 unsigned ${result.unsignedFlood.bodyMiB.toFixed(1)} MiB bodies at once: ${JSON.stringify(statuses)} in ${floodMs.toFixed(0)} ms; server RSS ${idleRss.toFixed(0)} MiB before, peak ${peakRss.toFixed(0)} MiB`);
  }
} finally {
  serve.child.kill('SIGINT');
  await serve.exited;
  rmSync(dataDir, { recursive: true, force: true });
}
