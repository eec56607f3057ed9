/**
 * `timbre enrol` and `timbre verify` end to end: the CLI, in its own process, against the suite's local Timbre,
 * on synthetic speech (espeak-ng).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENROL_TEXT, PROBE_TEXT, SHORT_TEXT, VOICES, hasEspeak, speak } from '../support/synthetic-callers.js';
import { makeVoiceIdClient } from '../support/voiceid-client.js';
import { UNKNOWN_ID, createTestDomain } from './helpers.js';

const REPO = resolve(import.meta.dirname, '../..');
const env = inject('timbre');


/** Runs the CLI against the suite's local Timbre, signed with its keys from the environment. */
async function timbre(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv = { ...process.env, TIMBRE_ACCESS_KEY_ID: env.credentials.accessKeyId, TIMBRE_SECRET_ACCESS_KEY: env.credentials.secretAccessKey };
  const common = ['--endpoint', env.endpoint, '--region', env.region];
  try {
    const { stdout, stderr } = await promisify(execFile)(join(REPO, 'node_modules/.bin/tsx'), ['bin/timbre.ts', ...args, ...common], { cwd: REPO, env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.skipIf(!hasEspeak())('timbre enrol and verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbre-session-cli-'));
  const wav = (name: string): string => join(dir, `${name}.wav`);
  let domainId = '';
  const anna = `anna-${Date.now()}`;

  beforeAll(async () => {
    // Prepare: anna's enrolment (two files, about 40 s of speech together) and a 23 s probe; a probe of another voice.
    ENROL_TEXT.forEach((text, i) => speak(VOICES.anna, text, wav(`anna-enrol-${i}`)));
    speak(VOICES.anna, PROBE_TEXT, wav('anna-probe'));
    speak(VOICES.bert, PROBE_TEXT, wav('bert-probe'));
    speak(VOICES.bert, SHORT_TEXT, wav('bert-short'));
    domainId = (await createTestDomain(makeVoiceIdClient(), `session-cli-${Date.now()}`)).DomainId;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('enrols a speaker from two files through one session, reporting progress on stderr', { timeout: 180_000 }, async () => {
    const result = await timbre('enrol', '--domain', domainId, '--speaker', anna, wav('anna-enrol-0'), wav('anna-enrol-1'), '--json');

    expect(result.code, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stdout) as { speaker: Record<string, unknown>; session: Record<string, unknown>; enrollment: { Status: string } };
    expect(outcome.enrollment.Status).toBe('COMPLETED');
    expect(outcome.speaker).toMatchObject({ CustomerSpeakerId: anna, Status: 'ENROLLED', DomainId: domainId });
    expect(outcome.session).toMatchObject({ DomainId: domainId, StreamingStatus: 'ENDED', CustomerSpeakerId: anna });
    expect(outcome.session.NetSpeechSeconds as number).toBeGreaterThanOrEqual(30);
    expect(result.stderr).toMatch(/sent 1\/2 files: [\d.]+ s of net speech so far/);
    expect(result.stderr).toMatch(/sent 2\/2 files/);
  });

  it('refuses to enrol an enrolled speaker again without --overwrite, and replaces the voiceprint with it', { timeout: 180_000 }, async () => {
    const again = await timbre('enrol', '--domain', domainId, '--speaker', anna, wav('anna-enrol-0'), wav('anna-enrol-1'));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--overwrite');
    const overwritten = await timbre('enrol', '--domain', domainId, '--speaker', anna, wav('anna-enrol-0'), wav('anna-enrol-1'), '--overwrite', '--json');
    expect(overwritten.code, overwritten.stderr).toBe(0);
    expect(JSON.parse(overwritten.stdout)).toMatchObject({ enrollment: { Status: 'COMPLETED' }, speaker: { Status: 'ENROLLED' } });
  });

  it('says so, and exits 0, when there is not enough speech to enrol', { timeout: 120_000 }, async () => {
    const speaker = `bert-${Date.now()}`;
    const result = await timbre('enrol', '--domain', domainId, '--speaker', speaker, wav('bert-short'));

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('NOT_ENOUGH_SPEECH');
    expect(result.stdout).toContain('not enough speech');
    expect(result.stdout).toMatch(/status\s+not enrolled/);
  });

  it('verifies the enrolled voice and scores another voice lower, answering both decisions as EvaluateSession does', { timeout: 180_000 }, async () => {
    const same = await timbre('verify', '--domain', domainId, '--speaker', anna, wav('anna-probe'), '--json');
    const other = await timbre('verify', '--domain', domainId, '--speaker', anna, wav('bert-probe'), '--json');

    expect(same.code, same.stderr).toBe(0);
    expect(other.code, other.stderr).toBe(0);
    const sameResult = JSON.parse(same.stdout) as { AuthenticationResult: Record<string, unknown>; FraudDetectionResult: Record<string, unknown> };
    const otherResult = JSON.parse(other.stdout) as typeof sameResult;
    expect(Object.keys(sameResult).sort()).toEqual(['AuthenticationResult', 'FraudDetectionResult']);
    expect(sameResult.AuthenticationResult).toMatchObject({ CustomerSpeakerId: anna, Configuration: { AcceptanceThreshold: 90 } });
    expect(['ACCEPT', 'REJECT'], same.stderr).toContain(sameResult.AuthenticationResult.Decision);
    expect(sameResult.AuthenticationResult.Score as number).toBeGreaterThan(otherResult.AuthenticationResult.Score as number);
    expect(['LOW_RISK', 'HIGH_RISK']).toContain(sameResult.FraudDetectionResult.Decision);
    // Timestamps stay the wire's epoch seconds.
    expect(typeof sameResult.AuthenticationResult.AudioAggregationStartedAt).toBe('number');
  });

  it('sends headerless PCM with --raw-rate as PCM_S16LE pieces, and scores it like the file', { timeout: 120_000 }, async () => {
    const raw = join(dir, 'anna-probe-8k.raw');
    execFileSync('sox', [wav('anna-probe'), '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'raw', raw]);
    const result = await timbre('verify', '--domain', domainId, '--speaker', anna, raw, '--raw-rate', '8000', '--json');

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/sent 1\/1 file: (1\d|2\d)\.\d s of net speech/);
    const { AuthenticationResult } = JSON.parse(result.stdout) as { AuthenticationResult: { Decision: string; Score: number } };
    expect(['ACCEPT', 'REJECT']).toContain(AuthenticationResult.Decision);
  });

  it('prints decisions in text, and a speaker who never enrolled is a decision too (exit 0)', { timeout: 120_000 }, async () => {
    const result = await timbre('verify', '--domain', domainId, '--speaker', `nobody-${Date.now()}`, wav('anna-probe'));

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/authentication\s+SPEAKER_NOT_ENROLLED/);
    expect(result.stdout).toMatch(/fraud detection\s+(LOW_RISK|HIGH_RISK)/);
  });

  it('exits 1 naming Voice ID\'s error for a watchlist the domain does not have', { timeout: 120_000 }, async () => {
    const result = await timbre('verify', '--domain', domainId, '--speaker', anna, wav('anna-probe'), '--watchlist', UNKNOWN_ID, '--json');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ResourceNotFoundException');
    expect(result.stdout).toBe('');
  });
});
