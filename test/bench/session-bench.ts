/**
 * Live-call costs on the local stack: EvaluateSession latency (p50, p99) and errors at Voice ID's 60 requests per
 * second over 50 concurrent sessions, through the official client with its standard retries, first with no new audio
 * (results cached after one warm-up evaluation each), then while 10 of the sessions receive audio in real time (so
 * their answers are recomputed); and the CPU the Connect call-audio path costs per second of call audio (a 60 s call
 * played through the local Kinesis Video endpoint and the flow Lambdas). One process holds everything (API handler,
 * models, local KMS and Kinesis Video; DynamoDB Local and s3rver are children and not counted), so audio work and
 * evaluations share one event loop, which a deployed stack's Lambdas do not.
 * Run: npm run bench:sessions -- [--json] [--seconds N]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDomainCommand, EvaluateSessionCommand, VoiceIDClient } from '@aws-sdk/client-voice-id';
import { connectMkv, decodeAudio, resample } from '../../lambdas/audio/index.js';
import { TimbreSessionClient } from '../../lambdas/client/index.js';
import { simulateContactFlow } from '../../lambdas/local/connect/contact-flow-simulator.js';
import { startLocalTimbre } from '../../lambdas/local/index.js';
import { ENROL_TEXT, PROBE_TEXT, VOICES, speak } from '../support/synthetic-callers.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const seconds = Number(args[args.indexOf('--seconds') + 1] ?? 20) || 20;
const RATE = 60;
const SESSIONS = 50;
/** Sessions receiving audio in the live phase: 2 s of audio every 2 s each, as a call in progress. */
const LIVE_CALLS = 10;

const dataDir = mkdtempSync(join(tmpdir(), 'timbre-session-bench-'));
const local = await startLocalTimbre({ port: 0, dataDir, schedules: false, onError: () => undefined, quotas: JSON.stringify({ domainsPerRegion: 100 }) });
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

try {
  const voiceId = new VoiceIDClient({ endpoint: local.endpoint, region: local.region, credentials: local.credentials });
  const sessions = new TimbreSessionClient({ endpoint: local.endpoint, region: local.region, credentials: local.credentials, maxAttempts: 1 });
  const { Domain } = await voiceId.send(new CreateDomainCommand({ Name: 'bench', ServerSideEncryptionConfiguration: { KmsKeyId: local.resources.kmsKeyArn } }));
  const DomainId = Domain!.DomainId!;
  const wav = (name: string, voice: string, text: string): Uint8Array => {
    speak(voice, text, join(dataDir, `${name}.wav`));
    return readFileSync(join(dataDir, `${name}.wav`));
  };

  // One enrolled caller; 50 sessions claiming to be her, each with a 20 s probe and fraud detection on.
  const enrol = await sessions.startSession({ DomainId, SessionName: 'enrol', SpeakerId: 'anna' });
  const enrolRef = { DomainId, SessionNameOrId: enrol.Session.SessionId };
  for (const [i, text] of ENROL_TEXT.entries()) await sessions.putSessionAudio({ ...enrolRef, Audio: wav(`enrol-${i}`, VOICES.anna, text) });
  await sessions.enrollBySession(enrolRef);
  await sessions.endSession(enrolRef);
  const probe = wav('probe', VOICES.anna, PROBE_TEXT);
  const names: string[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const name = `bench-${i}`;
    await sessions.startSession({ DomainId, SessionName: name, SpeakerId: 'anna', AuthenticationConfiguration: { AcceptanceThreshold: 90 }, FraudDetectionConfiguration: {} });
    await sessions.putSessionAudio({ DomainId, SessionNameOrId: name, Audio: probe });
    names.push(name);
  }
  // One evaluation each computes and caches the results; the phases measure what follows.
  for (const name of names) await voiceId.send(new EvaluateSessionCommand({ DomainId, SessionNameOrId: name }));
  const pcm = resample(await decodeAudio(probe), 8000);
  const piece = Buffer.from(Int16Array.from(pcm.samples.subarray(0, 2 * 8000), (v) => Math.round(v * 32767)).buffer);

  /** EvaluateSession at RATE per second for `seconds`, round-robin over the sessions; `feed` keeps audio coming. */
  async function phase(feed: boolean) {
    const latencies: number[] = [];
    const errors: Record<string, number> = {};
    let feeding = feed;
    const feeder = (async () => {
      for (let i = 0; feeding; i++) {
        const name = names[i % LIVE_CALLS]!;
        void sessions.putPcm({ DomainId, SessionNameOrId: name }, piece, { sampleRateHz: 8000 }).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 2000 / LIVE_CALLS));
      }
    })();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const calls: Promise<void>[] = [];
    for (let i = 0; i < RATE * seconds; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sent = performance.now();
      calls.push(voiceId.send(new EvaluateSessionCommand({ DomainId, SessionNameOrId: names[i % SESSIONS]! })).then(
        () => void latencies.push(performance.now() - sent),
        (error: Error) => void (errors[error.name] = (errors[error.name] ?? 0) + 1),
      ));
    }
    await Promise.all(calls);
    feeding = false;
    await feeder;
    const used = process.cpuUsage(cpu);
    latencies.sort((a, b) => a - b);
    return {
      requests: RATE * seconds,
      ok: latencies.length,
      errors,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1) ?? NaN,
      cpuSharePercent: ((used.user + used.system) / 1000 / (performance.now() - started)) * 100,
    };
  }
  const cached = await phase(false);
  const live = await phase(true);

  // The Connect path: a 60 s call (the probe three times) through KVS, the start Lambda and the call-audio consumer,
  // once the bench's sessions have ended (they hold the domain's 50 concurrent sessions).
  for (const name of names) await sessions.endSession({ DomainId, SessionNameOrId: name });
  const call = Int16Array.from({ length: 60 * 8000 }, (_, i) => Math.round(pcm.samples[i % pcm.samples.length]! * 32767));
  const cpu = process.cpuUsage();
  const run = await simulateContactFlow(
    { mkv: connectMkv({ contactId: 'c0ffee00-0000-4000-8000-0000000000b1', fromCustomer: call }), customerId: 'anna', parameters: { domainId: DomainId }, pace: 'fast' },
    { region: local.region, credentials: local.serviceCredentials, kinesisVideoEndpoint: local.endpoints.kinesisvideo, lambdaEndpoint: local.endpoints.lambda, functions: { connectStart: local.resources.connectStartFunction, connectEvaluate: local.resources.connectEvaluateFunction }, pollIntervalMs: 200, maxPolls: 600 },
  );
  const used = process.cpuUsage(cpu);
  const consumer = {
    callSeconds: 60,
    decision: run.last.authenticationDecision,
    streamingStatus: run.last.streamingStatus,
    cpuMsPerCallSecond: (used.user + used.system) / 1000 / 60,
  };
  const report = { rate: RATE, sessions: SESSIONS, seconds, cached, live, consumer, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const line = (name: string, p: typeof cached) =>
      `  ${name.padEnd(7)} ${p.ok}/${p.requests} ok, p50 ${p.p50Ms.toFixed(1)} ms, p99 ${p.p99Ms.toFixed(1)} ms, max ${p.maxMs.toFixed(0)} ms, errors ${JSON.stringify(p.errors)}, CPU ${p.cpuSharePercent.toFixed(0)} % of a core`;
    process.stdout.write([
      `EvaluateSession at ${RATE}/s over ${SESSIONS} sessions for ${seconds} s, official client with standard retries (one process: API, models, local KMS):`,
      line('cached', cached),
      line('live', live) + `   (${LIVE_CALLS} sessions receiving 2 s of audio every 2 s alongside)`,
      `Connect call-audio path: ${consumer.cpuMsPerCallSecond.toFixed(1)} ms CPU per second of call audio (60 s call, ${consumer.decision}, ${consumer.streamingStatus})`,
      `peak RSS ${report.peakRssMb.toFixed(0)} MB`,
      '',
    ].join('\n'));
  }
} finally {
  await local.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
