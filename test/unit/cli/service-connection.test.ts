/** How enrol and verify find the API and sign for it (bin/commands/service-connection.ts), and their usage rules. */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandError, UsageError } from '../../../bin/commands/cli-support.js';
import { connect, isLoopback, resolveServiceSettings } from '../../../bin/commands/service-connection.js';

const REPO = resolve(import.meta.dirname, '../../..');
const root = mkdtempSync(join(tmpdir(), 'timbre-conn-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A data directory with credentials.json and, when given, endpoints.json. */
function dataDir(name: string, endpoints?: Record<string, unknown>): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(join(dir, 'credentials.json'), JSON.stringify({ accessKeyId: 'AKIAFILE', secretAccessKey: 'file-secret' }));
  if (endpoints !== undefined) writeFileSync(join(dir, 'endpoints.json'), JSON.stringify(endpoints));
  return dir;
}

describe('resolveServiceSettings', () => {
  it('defaults to the local API on 8787, signing as voiceid with the data dir credentials', () => {
    const settings = resolveServiceSettings({ 'data-dir': dataDir('plain') }, {});
    expect(settings).toEqual({
      endpoint: 'http://127.0.0.1:8787',
      region: 'us-east-1',
      signingName: 'voiceid',
      loopback: true,
      credentials: { kind: 'static', credentials: { accessKeyId: 'AKIAFILE', secretAccessKey: 'file-secret' }, from: join(root, 'plain', 'credentials.json') },
    });
  });

  it('prefers TIMBRE_ACCESS_KEY_ID / TIMBRE_SECRET_ACCESS_KEY for a loopback endpoint, and wants both', () => {
    const env = { TIMBRE_ACCESS_KEY_ID: 'AKIAENV', TIMBRE_SECRET_ACCESS_KEY: 'env-secret' };
    const settings = resolveServiceSettings({ 'data-dir': dataDir('env') }, env);
    expect(settings.credentials).toMatchObject({ kind: 'static', credentials: { accessKeyId: 'AKIAENV', secretAccessKey: 'env-secret' } });
    expect(() => resolveServiceSettings({ 'data-dir': dataDir('half') }, { TIMBRE_ACCESS_KEY_ID: 'AKIAENV' })).toThrow(UsageError);
  });

  it('finds a running serve through endpoints.json: its api and its region', () => {
    const dir = dataDir('served', { api: 'http://127.0.0.1:40001', region: 'eu-west-1', s3: 'http://127.0.0.1:40002' });
    const settings = resolveServiceSettings({ 'data-dir': dir }, { AWS_REGION: 'ap-south-1' });
    expect(settings).toMatchObject({ endpoint: 'http://127.0.0.1:40001', region: 'eu-west-1', signingName: 'voiceid' });
  });

  it('lets --endpoint, --region and --signing-name override', () => {
    const dir = dataDir('override', { api: 'http://127.0.0.1:40001', region: 'eu-west-1' });
    const settings = resolveServiceSettings({ 'data-dir': dir, endpoint: 'http://localhost:9999', region: 'us-west-2', 'signing-name': 'execute-api' }, {});
    expect(settings).toMatchObject({ endpoint: 'http://localhost:9999', region: 'us-west-2', signingName: 'execute-api', loopback: true });
  });

  it('signs a remote endpoint as execute-api with the AWS chain and AWS_REGION, keeping its stage path', () => {
    const settings = resolveServiceSettings({ 'data-dir': join(root, 'absent'), endpoint: 'https://abc.execute-api.eu-central-1.amazonaws.com/prod/' }, { AWS_REGION: 'eu-central-1', TIMBRE_ACCESS_KEY_ID: 'AKIAENV', TIMBRE_SECRET_ACCESS_KEY: 'x' });
    expect(settings).toEqual({
      endpoint: 'https://abc.execute-api.eu-central-1.amazonaws.com/prod',
      region: 'eu-central-1',
      signingName: 'execute-api',
      loopback: false,
      credentials: { kind: 'aws-chain' },
    });
  });

  it('refuses a bad endpoint, region or signing name as usage, and missing local credentials as an error', () => {
    const dir = dataDir('bad');
    expect(() => resolveServiceSettings({ 'data-dir': dir, endpoint: 'not a url' }, {})).toThrow(UsageError);
    expect(() => resolveServiceSettings({ 'data-dir': dir, endpoint: 'ftp://127.0.0.1/' }, {})).toThrow(UsageError);
    expect(() => resolveServiceSettings({ 'data-dir': dir, region: 'Not A Region' }, {})).toThrow(UsageError);
    expect(() => resolveServiceSettings({ 'data-dir': dir, 'signing-name': 'voice id' }, {})).toThrow(UsageError);
    expect(() => resolveServiceSettings({ 'data-dir': join(root, 'nothing-here') }, {})).toThrow(CommandError);
  });

  it('tells loopback hosts from others', () => {
    for (const url of ['http://127.0.0.1:1', 'http://127.5.6.7', 'http://localhost:8787', 'http://[::1]:8787']) expect(isLoopback(new URL(url)), url).toBe(true);
    for (const url of ['http://10.0.0.1', 'https://example.com', 'http://127.0.0.1.example.com']) expect(isLoopback(new URL(url)), url).toBe(false);
  });
});

describe('connect', () => {
  it('gives the official and the typed client the same endpoint, region and identity', async () => {
    const settings = resolveServiceSettings({ 'data-dir': dataDir('connect'), endpoint: 'http://127.0.0.1:40003', region: 'eu-west-3' }, {});
    const { voiceId, sessions } = connect(settings);
    expect(await voiceId.config.region()).toBe('eu-west-3');
    expect(sessions.endpoint).toBe('http://127.0.0.1:40003/');
    expect(await voiceId.config.credentials()).toMatchObject({ accessKeyId: 'AKIAFILE' });
  });
});

/** Runs the CLI; returns its exit code and output. */
async function timbre(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(join(REPO, 'node_modules/.bin/tsx'), ['bin/timbre.ts', ...args], { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('timbre enrol and verify usage', () => {
  const domain = 'abcdefghijklmnopqrstuv';

  it('exits 2 on bad usage, naming what is wrong', async () => {
    const missingSpeaker = await timbre('enrol', '--domain', domain, 'a.wav');
    expect(missingSpeaker.code).toBe(2);
    expect(missingSpeaker.stderr).toContain('--speaker');
    const noFile = await timbre('verify', '--domain', domain, '--speaker', 'cust-1');
    expect(noFile.code).toBe(2);
    const badThreshold = await timbre('verify', '--domain', domain, '--speaker', 'cust-1', '--threshold', '101', 'a.wav');
    expect(badThreshold.code).toBe(2);
    expect(badThreshold.stderr).toContain('--threshold');
  });

  it('exits 1 before any call for a file over one call\'s 4 MB, and prints nothing on stdout', async () => {
    const big = join(root, 'big.wav');
    writeFileSync(big, '');
    truncateSync(big, 5 * 1024 * 1024);
    const result = await timbre('enrol', '--domain', domain, '--speaker', 'cust-1', big, '--endpoint', 'http://127.0.0.1:9', '--json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('4 MB');
    expect(result.stderr).toContain('split');
    expect(result.stdout).toBe('');
  });

  it('exits 1 with a typed message when the API cannot be reached', async () => {
    const wav = join(REPO, 'test/fixtures/audio/speech-8k-s16.wav');
    const result = await timbre('verify', '--domain', domain, '--speaker', 'cust-1', wav, '--endpoint', 'http://127.0.0.1:9', '--data-dir', dataDir('unreachable'), '--json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('TimbreNetworkError');
    expect(result.stdout).toBe('');
  });

  it('describes both commands with --help', async () => {
    for (const command of ['enrol', 'verify']) {
      const result = await timbre(command, '--help');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('--endpoint URL');
    }
  });
});
