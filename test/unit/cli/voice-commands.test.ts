import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import wavefile from 'wavefile';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const TINY_CARD = join(REPO, 'test/fixtures/models/tiny-spk.json');

function hasEspeak(): boolean {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const espeak = hasEspeak();
if (!espeak) console.warn('test/unit/cli: espeak-ng is not installed (apt-get install espeak-ng); skipping the voice command tests');

/** Runs `tsx bin/timbre.ts ...args` as a subprocess and returns its exit code and output. */
async function timbre(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return timbreWithCard('', ...args);
}

/** As `timbre`, with TIMBRE_MODEL_CARD set to `card` ('' = unset). */
async function timbreWithCard(card: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, ['bin/timbre.ts', ...args], { cwd: REPO, env: { ...process.env, TIMBRE_MODEL_CARD: card } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const VOICES = { anna: 'en-us+f3', bert: 'en-gb+m3', carl: 'en-us+m7' } as const;
const SENTENCES = [
  'Thank you for calling the bank. I would like to check the balance of my savings account please.',
  'My card was declined at the shop this morning and I do not understand why that happened.',
  'Could you please send me a new statement to my home address before the end of the month.',
];

describe.skipIf(!espeak)('timbre embed, compare, eval and calibrate on the tiny model', () => {
  let dir = '';

  beforeAll(() => {
    // Prepare: three synthetic speakers, three recordings each, enrol on the first, probe with the others.
    dir = mkdtempSync(join(tmpdir(), 'timbre-cli-'));
    for (const [name, voice] of Object.entries(VOICES)) {
      SENTENCES.forEach((text, i) => execFileSync('espeak-ng', ['-v', voice, '-w', join(dir, `${name}${i + 1}.wav`), text]));
    }
    const silence = new wavefile.WaveFile();
    silence.fromScratch(1, 16000, '16', new Int16Array(3 * 16000));
    writeFileSync(join(dir, 'silence.wav'), silence.toBuffer());
    writeFileSync(join(dir, 'enrol.tsv'), Object.keys(VOICES).map((n) => `${n}\t${n}1.wav`).join('\n') + '\n');
    const trials = Object.keys(VOICES).flatMap((claimed) =>
      Object.keys(VOICES).flatMap((actual) => [2, 3].map((i) => `${claimed}\t${actual}${i}.wav\t${claimed === actual ? 'target' : 'nontarget'}`)),
    );
    writeFileSync(join(dir, 'trials.tsv'), `# claimed\tfile\tlabel\n${trials.join('\n')}\n`);
  });

  it('embed --json prints the embedding, the net speech and the model id', async () => {
    const { code, stdout } = await timbre('embed', join(dir, 'anna1.wav'), '--json', '--model', TINY_CARD);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.model).toBe('tiny-spk-test');
    expect(out.embedding).toHaveLength(16);
    expect(Math.hypot(...out.embedding)).toBeCloseTo(1, 4);
    expect(out.netSpeechSeconds).toBeGreaterThan(2);
    expect(out.netSpeechSeconds).toBeLessThanOrEqual(out.totalSeconds);
  });

  it('compare --json decides by the threshold', async () => {
    const args = ['compare', join(dir, 'anna1.wav'), join(dir, 'anna2.wav'), '--probe', join(dir, 'anna3.wav'), '--json', '--model', TINY_CARD];
    const strict = JSON.parse((await timbre(...args, '--threshold', '100')).stdout);
    const lax = JSON.parse((await timbre(...args, '--threshold', '0')).stdout);
    expect(lax.decision).toBe('ACCEPT');
    expect(strict.decision).toBe(strict.score100 >= 100 ? 'ACCEPT' : 'REJECT');
    expect(strict.cosine).toBeCloseTo(lax.cosine, 10);
    expect(strict.score100).toBe(Math.round(100 / (1 + Math.exp(-(10 * strict.cosine - 5)))));
  });

  it('compare enrols on the files with enough speech, leaving out the others with a warning', async () => {
    const withSilence = await timbre('compare', join(dir, 'silence.wav'), join(dir, 'anna1.wav'), '--probe', join(dir, 'anna2.wav'), '--json', '--model', TINY_CARD);
    const alone = await timbre('compare', join(dir, 'anna1.wav'), '--probe', join(dir, 'anna2.wav'), '--json', '--model', TINY_CARD);
    expect(withSilence.code).toBe(0);
    expect(withSilence.stderr).toMatch(/leaving out .*silence\.wav/);
    expect(JSON.parse(withSilence.stdout).cosine).toBeCloseTo(JSON.parse(alone.stdout).cosine, 10);
  });

  it('compare fails when no enrolment file has enough speech', async () => {
    const { code, stderr } = await timbre('compare', join(dir, 'silence.wav'), '--probe', join(dir, 'anna2.wav'), '--model', TINY_CARD);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no enrolment file has enough speech/);
  });

  it('compare applies AS-norm when the card names a cohort', async () => {
    const modelDir = mkdtempSync(join(tmpdir(), 'timbre-cohort-'));
    const card = JSON.parse(readFileSync(TINY_CARD, 'utf8'));
    card.onnx = join(REPO, 'test/fixtures/models/tiny-spk.onnx');
    card.scoring.cohort = join(REPO, 'test/fixtures/models/tiny-spk.cohort.json');
    card.scoring.asNormTopN = 10;
    writeFileSync(join(modelDir, 'card.json'), JSON.stringify(card));
    const args = ['compare', join(dir, 'anna1.wav'), '--probe', join(dir, 'bert2.wav')];
    const plain = JSON.parse((await timbre(...args, '--json', '--model', TINY_CARD)).stdout);
    const normed = await timbre(...args, '--json', '--model', join(modelDir, 'card.json'));
    expect(normed.code).toBe(0);
    const out = JSON.parse(normed.stdout);
    expect(out.cosine).toBeCloseTo(plain.cosine, 10);
    expect(out.score).not.toBeCloseTo(out.cosine, 3);
    expect(out.llr).toBeCloseTo(10 * out.score - 5, 8);
    expect((await timbre(...args, '--model', join(modelDir, 'card.json'))).stdout).toMatch(/AS-norm -?\d+\.\d{4}/);
  });

  it('eval --json prints exactly one object with the documented keys, and --plot a DET SVG', async () => {
    const plot = join(dir, 'det.svg');
    const { code, stdout, stderr } = await timbre('eval', '--enrol', join(dir, 'enrol.tsv'), '--trials', join(dir, 'trials.tsv'), '--root', dir, '--json', '--plot', plot, '--model', TINY_CARD);
    expect(code).toBe(0);
    expect(stderr).toContain(`wrote DET plot to ${plot}\n`);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ targets: 6, nontargets: 12 });
    for (const key of ['eer', 'minDcf01', 'minDcf05', 'farAt90', 'frrAt90', 'farAt50', 'frrAt50']) {
      expect(out[key]).toBeGreaterThanOrEqual(0);
      expect(out[key]).toBeLessThanOrEqual(1);
    }
    expect(out.eer).toBeLessThanOrEqual(0.5);
    expect(out.cllr).toBeGreaterThan(0);
    expect(out.minCllr).toBeGreaterThanOrEqual(0);
    expect(out.minCllr).toBeLessThanOrEqual(out.cllr);
    expect(out.actDcf01).toBeGreaterThanOrEqual(out.minDcf01);
    const svg = readFileSync(plot, 'utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toMatch(/EER \d+\.\d\d %/);
  });

  it('eval --scores writes one row per scored trial with its scores and the net speech of enrolment and probe', async () => {
    const scores = join(dir, 'scores.tsv');
    const { code, stderr } = await timbre('eval', '--enrol', join(dir, 'enrol.tsv'), '--trials', join(dir, 'trials.tsv'), '--root', dir, '--scores', scores, '--model', TINY_CARD);
    expect(code).toBe(0);
    expect(stderr).toContain(`wrote 18 scored trials to ${scores}\n`);
    const [header, ...rows] = readFileSync(scores, 'utf8').trim().split('\n').map((line) => line.split('\t'));
    expect(header).toEqual(['speaker', 'probe', 'target', 'score', 'llr', 'score100', 'enrolSeconds', 'probeSeconds']);
    expect(rows).toHaveLength(18);
    const anna = JSON.parse((await timbre('embed', join(dir, 'anna1.wav'), '--json', '--model', TINY_CARD)).stdout);
    const bert2 = JSON.parse((await timbre('embed', join(dir, 'bert2.wav'), '--json', '--model', TINY_CARD)).stdout);
    const row = rows.find(([speaker, probe]) => speaker === 'anna' && probe === 'bert2.wav')!;
    expect(row[2]).toBe('nontarget');
    expect(Number(row[4])).toBeCloseTo(10 * Number(row[3]) - 5, 3);
    expect(Number(row[6])).toBeCloseTo(anna.netSpeechSeconds, 2);
    expect(Number(row[7])).toBeCloseTo(bert2.netSpeechSeconds, 2);
  });

  it('calibrate writes the fit into the card and keeps its other keys', async () => {
    // Prepare: a copy of the tiny model, so the committed card is not touched
    const modelDir = mkdtempSync(join(tmpdir(), 'timbre-cal-'));
    copyFileSync(join(REPO, 'test/fixtures/models/tiny-spk.onnx'), join(modelDir, 'tiny-spk.onnx'));
    copyFileSync(TINY_CARD, join(modelDir, 'card.json'));

    // Act
    const { code, stdout } = await timbre('calibrate', '--enrol', join(dir, 'enrol.tsv'), '--trials', join(dir, 'trials.tsv'), '--root', dir, '--model', join(modelDir, 'card.json'), '--in-place');

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/fit +llr = /);
    expect(stdout).toMatch(/at 90 +FAR/);
    const card = JSON.parse(readFileSync(join(modelDir, 'card.json'), 'utf8'));
    expect(card.scoring.calibration.kind).toBe('logistic');
    expect(card.scoring.calibration.a).not.toBe(10);
    expect(card.scoring.calibration.fittedOn).toMatch(/^6 target and 12 non-target trials of trials\.tsv/);
    expect(card.licence).toMatch(/Apache/);
    const again = await timbre('eval', '--enrol', join(dir, 'enrol.tsv'), '--trials', join(dir, 'trials.tsv'), '--root', dir, '--json', '--model', join(modelDir, 'card.json'));
    expect(again.code).toBe(0);
  });

  it('calibrate pools lists (each weighing the same) and --duration writes terms that eval applies with each probe net speech', async () => {
    // Prepare: the trials split into two lists of equal size (second and third recordings), and a copy of the tiny model
    const modelDir = mkdtempSync(join(tmpdir(), 'timbre-cal-'));
    copyFileSync(join(REPO, 'test/fixtures/models/tiny-spk.onnx'), join(modelDir, 'tiny-spk.onnx'));
    copyFileSync(TINY_CARD, join(modelDir, 'card.json'));
    const lines = readFileSync(join(dir, 'trials.tsv'), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    writeFileSync(join(dir, 'trials-2.tsv'), lines.filter((l) => l.includes('2.wav')).join('\n') + '\n');
    writeFileSync(join(dir, 'trials-3.tsv'), lines.filter((l) => l.includes('3.wav')).join('\n') + '\n');
    const list = (trials: string): string[] => ['--enrol', join(dir, 'enrol.tsv'), '--trials', join(dir, trials), '--root', dir];
    const card = join(modelDir, 'card.json');
    const fitted = (): Record<string, any> => JSON.parse(readFileSync(card, 'utf8')).scoring.calibration;

    // Act
    const whole = await timbre('calibrate', ...list('trials.tsv'), '--model', TINY_CARD, '--out', card);
    const wholeFit = fitted();
    const pooled = await timbre('calibrate', ...list('trials-2.tsv'), ...list('trials-3.tsv'), '--model', TINY_CARD, '--out', card);
    const pooledFit = fitted();
    const withDuration = await timbre('calibrate', ...list('trials-2.tsv'), ...list('trials-3.tsv'), '--duration', '--model', TINY_CARD, '--out', card);
    const scores = join(dir, 'duration-scores.tsv');
    const evaluated = await timbre('eval', ...list('trials.tsv'), '--scores', scores, '--model', card);
    const unpaired = await timbre('calibrate', ...list('trials-2.tsv'), '--trials', join(dir, 'trials-3.tsv'), '--model', TINY_CARD, '--out', card);

    // Assess: two equal lists pooled fit what one list of all their trials fits
    expect([whole.code, pooled.code, withDuration.code, evaluated.code]).toEqual([0, 0, 0, 0]);
    expect(pooled.stdout).toMatch(/6 target, 12 non-target from 2 lists/);
    expect(pooledFit.a).toBeCloseTo(wholeFit.a, 5);
    expect(pooledFit.fittedOn).toMatch(/trials-2\.tsv .* \+ trials-3\.tsv .*each list weighted equally/);
    expect(withDuration.stdout).toMatch(/duration +slope [−+] \d+\.\d{4}·q/);
    const { a, b, duration } = fitted();
    expect(duration.referenceSeconds).toBe(10);
    expect(duration.minSeconds).toBeLessThanOrEqual(duration.maxSeconds);
    const rows = readFileSync(scores, 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t').map(Number));
    for (const [, , , score, llr, , , probeSeconds] of rows) {
      const q = Math.log(Math.min(duration.maxSeconds, Math.max(duration.minSeconds, probeSeconds!)) / 10);
      expect(llr).toBeCloseTo((a + duration.slope * q) * score! + b + duration.offset * q, 2);
    }
    expect(unpaired.code).toBe(2);
    expect(unpaired.stderr).toContain('give --enrol, --trials and --root once per list (got 1, 2 and 1)');
  });

  it('calibrate --out writes a new card that loads, leaves the card it started from alone, and warns under 100 targets', async () => {
    // Prepare: a copy of the tiny model; the new card goes to another folder
    const modelDir = mkdtempSync(join(tmpdir(), 'timbre-cal-'));
    copyFileSync(join(REPO, 'test/fixtures/models/tiny-spk.onnx'), join(modelDir, 'tiny-spk.onnx'));
    copyFileSync(TINY_CARD, join(modelDir, 'card.json'));
    const before = readFileSync(join(modelDir, 'card.json'));
    const out = join(mkdtempSync(join(tmpdir(), 'timbre-cal-out-')), 'calibrated.json');

    // Act
    const { code, stdout, stderr } = await timbre('calibrate', '--enrol', join(dir, 'enrol.tsv'), '--trials', join(dir, 'trials.tsv'), '--root', dir,
      '--model', join(modelDir, 'card.json'), '--out', out);

    // Assess
    expect(code).toBe(0);
    expect(stderr).toMatch(/^timbre calibrate: warning: only 6 target trials; a fit on fewer than 100 is unreliable$/m);
    expect(stdout).toContain(`wrote        scoring.calibration to ${out}\n`);
    expect(readFileSync(join(modelDir, 'card.json')).equals(before)).toBe(true);
    const card = JSON.parse(readFileSync(out, 'utf8'));
    expect(card.scoring.calibration.fittedOn).toMatch(/^6 target and 12 non-target trials of trials\.tsv/);
    const probe = await timbre('compare', join(dir, 'anna1.wav'), '--probe', join(dir, 'anna2.wav'), '--json', '--model', out);
    expect(probe.code).toBe(0);
    const { llr, score } = JSON.parse(probe.stdout);
    expect(llr).toBeCloseTo(card.scoring.calibration.a * score + card.scoring.calibration.b, 8);
  });

  it('says in one line why it refuses a recording without speech', async () => {
    const { code, stderr } = await timbre('embed', join(dir, 'silence.wav'), '--model', TINY_CARD);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^timbre embed: \S+silence\.wav: 0\.00 s of speech is less than the 0\.5 s the model needs/);
  });
});

describe('timbre voice commands on bad input', () => {
  it('exits 2 with one clear line on a usage error', async () => {
    const missing = await timbre('eval', '--enrol', 'x.tsv', '--model', TINY_CARD);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('timbre eval: --enrol, --trials and --root are required (see timbre eval --help)\n');
    const unknown = await timbre('compare', 'a.wav', '--probe', 'b.wav', '--treshold', '80');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--treshold'/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  it('calibrate without --out or --in-place is a usage error and leaves the card byte-identical', async () => {
    const modelDir = mkdtempSync(join(tmpdir(), 'timbre-cal-'));
    copyFileSync(join(REPO, 'test/fixtures/models/tiny-spk.onnx'), join(modelDir, 'tiny-spk.onnx'));
    copyFileSync(TINY_CARD, join(modelDir, 'card.json'));
    const before = readFileSync(join(modelDir, 'card.json'));

    const neither = await timbreWithCard(join(modelDir, 'card.json'), 'calibrate', '--enrol', 'e.tsv', '--trials', 't.tsv', '--root', modelDir);
    const both = await timbre('calibrate', '--enrol', 'e.tsv', '--trials', 't.tsv', '--root', modelDir, '--model', join(modelDir, 'card.json'), '--in-place', '--out', 'x.json');
    const itself = await timbre('calibrate', '--enrol', 'e.tsv', '--trials', 't.tsv', '--root', modelDir, '--model', join(modelDir, 'card.json'), '--out', join(modelDir, 'card.json'));

    expect(neither.code).toBe(2);
    expect(neither.stderr).toBe(`timbre calibrate: give --out FILE for a new card, or --in-place to rewrite ${join(modelDir, 'card.json')} (see timbre calibrate --help)\n`);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --out FILE or --in-place, not both/);
    expect(itself.code).toBe(2);
    expect(itself.stderr).toMatch(/--out names the card itself; give --in-place to rewrite it/);
    expect(readFileSync(join(modelDir, 'card.json')).equals(before)).toBe(true);
  });

  it('names the --raw-rate flag for a headerless file, and reads the file with it', async () => {
    const raw = join(REPO, 'test/fixtures/audio/speech-8k-s16le.raw');
    const refused = await timbre('embed', raw, '--model', TINY_CARD);
    const read = await timbre('embed', raw, '--raw-rate', '8000', '--json', '--model', TINY_CARD);
    const badRate = await timbre('embed', raw, '--raw-rate', '6000', '--model', TINY_CARD);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`timbre embed: ${raw}: audio matches no supported format (WAV, FLAC, Ogg Vorbis); for headerless 16-bit PCM pass --raw-rate HZ\n`);
    expect(read.code).toBe(0);
    expect(JSON.parse(read.stdout).netSpeechSeconds).toBeGreaterThan(0.5);
    expect(badRate.code).toBe(2);
    expect(badRate.stderr).toMatch(/--raw-rate must be a whole number from 8000 to 48000, not "6000"/);
  });

  it('prints the command list for help, -h and --help, and the package version for --version and version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    for (const ask of ['help', '-h', '--help']) {
      const { code, stdout } = await timbre(ask);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^usage: timbre <command> \[options\]\n/);
      expect(stdout).toMatch(/^ {2}calibrate +fit a model card's score calibration/m);
    }
    for (const ask of ['--version', 'version']) expect(await timbre(ask)).toMatchObject({ code: 0, stdout: `timbre ${version}\n` });
    const helpOn = await timbre('help', 'calibrate');
    expect(helpOn.code).toBe(0);
    expect(helpOn.stdout).toMatch(/^usage: timbre calibrate /);
    const unknown = await timbre('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^unknown command: frobnicate\n/);
  });

  it('exits 1 naming the file it cannot read', async () => {
    const { code, stderr } = await timbre('embed', '/nonexistent/call.wav', '--model', TINY_CARD);
    expect(code).toBe(1);
    expect(stderr).toBe('timbre embed: cannot read /nonexistent/call.wav\n');
  });

  it('names the bad key of a bad model card', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timbre-badcard-'));
    const card = JSON.parse(readFileSync(TINY_CARD, 'utf8'));
    card.features.window = 'blackman';
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card));
    const { code, stderr } = await timbre('embed', join(REPO, 'test/fixtures/fbank/speech-16k.wav'), '--model', join(dir, 'card.json'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/features\.window is "blackman"; use one of "hamming", "povey", "hanning", "rectangular"/);
  });

  it('takes the model from TIMBRE_MODEL_CARD when --model is not given', async () => {
    const { code, stdout } = await timbreWithCard(TINY_CARD, 'embed', join(REPO, 'test/fixtures/fbank/speech-16k.wav'), '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).model).toBe('tiny-spk-test');
  });

  it('falls back to models/timbre-default.json, and says so when it is not there', async () => {
    const { code, stdout, stderr } = await timbre('embed', join(REPO, 'test/fixtures/fbank/speech-16k.wav'), '--json');
    const card = join(REPO, 'models/timbre-default.json');
    if (existsSync(card)) {
      expect(code).toBe(0);
      const out = JSON.parse(stdout);
      const expected = JSON.parse(readFileSync(card, 'utf8'));
      expect(out.model).toBe(expected.id);
      expect(out.embedding).toHaveLength(expected.io.embeddingDim);
    } else {
      expect(code).toBe(2);
      expect(stderr).toMatch(/no model: models\/timbre-default\.json is not there yet; pass --model CARD or set TIMBRE_MODEL_CARD/);
    }
  });

  it('bench --json reports the whole pipeline and each stage per 10 s', async () => {
    const { code, stdout } = await timbre('bench', '--json', '--repetitions', '1', '--model', TINY_CARD);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    for (const key of ['msPer10s', 'decodeMs', 'resampleMs', 'vadMs', 'fbankMs', 'modelMs', 'modelLoadMs', 'peakRssMb']) expect(out[key]).toBeGreaterThan(0);
    expect(out.modelId).toBe('tiny-spk-test');
    expect(existsSync(join(REPO, 'test/fixtures/fbank/bench-8k-10s.wav'))).toBe(true);
  });
});
