import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import wavefile from 'wavefile';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpoofModel, scoreSpoofSpeech, spoofMetrics, type SpoofTrial } from '../../../lambdas/antispoof/index.js';
import { speechOfAudio } from '../../../lambdas/voiceprint/index.js';
import { resolveCmCardPath } from '../../../bin/commands/model-option.js';
import { writeTinyCm } from '../../support/tiny-cm.js';

const REPO = resolve(import.meta.dirname, '../../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const AUDIO = join(REPO, 'test/fixtures/audio');

async function timbre(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, ['bin/timbre.ts', ...args], { cwd: REPO, env: { ...process.env, TIMBRE_CM_MODEL_CARD: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('timbre eval-spoof on the tiny countermeasure', () => {
  let dir = '';
  let card = '';
  const lines = [
    ['speech-16k-s16.wav', 'bonafide', '-'],
    ['speech-8k-mulaw.wav', 'bonafide', 'fixture'],
    ['speech-8k.flac', 'spoof', 'flac-copy'],
    ['speech-with-silences-8k-s16.wav', 'spoof', 'gaps'],
    ['speech-8k-s16.wav', 'spoof', 'gaps'],
    ['silence.wav', 'bonafide', '-'],
  ];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'timbre-eval-spoof-'));
    for (const [file] of lines.slice(0, -1)) copyFileSync(join(AUDIO, file!), join(dir, file!));
    const silence = new wavefile.WaveFile();
    silence.fromScratch(1, 16000, '16', new Int16Array(3 * 16000));
    writeFileSync(join(dir, 'silence.wav'), silence.toBuffer());
    writeFileSync(join(dir, 'list.tsv'), lines.map((l) => l.join('\t')).join('\n') + '\n');
    card = writeTinyCm(8);
  });

  it('prints, as one JSON object, the metrics of the runtime path on every file; silence is skipped', async () => {
    const scoresFile = join(dir, 'scores.tsv');
    const { code, stdout } = await timbre('eval-spoof', '--list', join(dir, 'list.tsv'), '--root', dir, '--model', card, '--json', '--scores', scoresFile);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    // The same files through the library: decode → VAD → 16 kHz speech → windows → model → pooled → risk.
    const model = await loadSpoofModel(card);
    const trials: SpoofTrial[] = [];
    for (const [file, label, attack] of lines.slice(0, -1)) {
      const { speech } = await speechOfAudio(readFileSync(join(dir, file!)), 16000);
      const score = (await scoreSpoofSpeech(model, speech))!;
      trials.push({ label: label as 'bonafide' | 'spoof', attack: attack!, pooledLogit: score.pooledLogit, risk: score.risk });
    }
    expect(printed).toEqual({ ...spoofMetrics(trials), skipped: 1, model: 'tiny-cm-test' });
    expect(printed.counts).toEqual({ bonafide: 2, spoof: 3 });
    expect(Object.keys(printed.apcer)).toEqual(['flac-copy', 'gaps']);
    // --scores: the raw pooled logit of each scored file (the silent one has none), for fitting a calibration.
    const written = readFileSync(scoresFile, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    expect(written.map((l) => l.slice(0, 3))).toEqual(lines.slice(0, -1));
    written.forEach((l, i) => expect(Number(l[3])).toBeCloseTo(trials[i]!.pooledLogit, 6));
  });

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await timbre('eval-spoof', '--list', join(dir, 'list.tsv'), '--root', dir, '--model', card);
    expect(code).toBe(0);
    expect(stdout).toMatch(/countermeasure tiny-cm-test on .*: 2 bona fide, 3 spoof \(1 file\(s\) skipped: too little speech\)/);
    expect(stdout).toMatch(/^EER +\d+\.\d\d %$/m);
    expect(stdout).toMatch(/^ {2}gaps +\d+\.\d\d % +\(2 files\)$/m);
  });

  it('exits 2 naming the line of a bad list entry, and 1 for a file that is not there', async () => {
    writeFileSync(join(dir, 'bad.tsv'), 'speech-16k-s16.wav\tbonafide\t-\nspeech-8k.flac\tfake\tx\n');
    const bad = await timbre('eval-spoof', '--list', join(dir, 'bad.tsv'), '--root', dir, '--model', card);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.tsv:2: the label is "fake"; use bonafide or spoof/);
    writeFileSync(join(dir, 'missing.tsv'), 'nowhere.wav\tspoof\tx\n');
    const missing = await timbre('eval-spoof', '--list', join(dir, 'missing.tsv'), '--root', dir, '--model', card);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nowhere\.wav/);
    expect((await timbre('eval-spoof', '--root', dir)).code).toBe(2);
  });
});

describe('resolveCmCardPath', () => {
  it('prefers the flag, then TIMBRE_CM_MODEL_CARD, and says how to choose when the default is absent', () => {
    const root = mkdtempSync(join(tmpdir(), 'timbre-root-'));
    expect(resolveCmCardPath('a.json', '--model', { TIMBRE_CM_MODEL_CARD: 'b.json' }, root)).toBe(resolve('a.json'));
    expect(resolveCmCardPath(undefined, '--model', { TIMBRE_CM_MODEL_CARD: 'b.json' }, root)).toBe(resolve('b.json'));
    expect(() => resolveCmCardPath(undefined, '--model', {}, root)).toThrow(/models\/timbre-cm.json is not there yet; pass --model CARD or set TIMBRE_CM_MODEL_CARD/);
  });
});
