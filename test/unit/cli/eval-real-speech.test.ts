import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../../..');
const FSDD = resolve(REPO, '../shared/data/fsdd/recordings');
const present = existsSync(FSDD);
if (!present) console.warn(`test/unit/cli: ${FSDD} is absent; skipping timbre eval on real 8 kHz speech (FSDD)`);

const TINY_CARD = join(REPO, 'test/fixtures/models/tiny-spk.json');
const SPEAKERS = ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler'];

describe.skipIf(!present)('timbre eval on real 8 kHz speech (Free Spoken Digit Dataset)', () => {
  it('enrols several files together and skips only the probes shorter than the card allows', async () => {
    // Prepare: enrol on digits 0–9 (take 0), probe with digits 0–4 (take 1), every speaker against every other
    const dir = mkdtempSync(join(tmpdir(), 'timbre-fsdd-'));
    const enrol = SPEAKERS.map((s) => [s, ...Array.from({ length: 10 }, (_, d) => `${d}_${s}_0.wav`)].join('\t'));
    const trials = SPEAKERS.flatMap((claimed) =>
      SPEAKERS.flatMap((actual) => [0, 1, 2, 3, 4].map((d) => `${claimed}\t${d}_${actual}_1.wav\t${claimed === actual ? 'target' : 'nontarget'}`)),
    );
    writeFileSync(join(dir, 'enrol.tsv'), enrol.join('\n'));
    writeFileSync(join(dir, 'trials.tsv'), trials.join('\n'));
    const run = async (minSeconds: number): Promise<Record<string, number>> => {
      // A copy of the tiny card with another windowing.minSeconds (spoken digits are 0.3–0.8 s long)
      const card = JSON.parse(readFileSync(TINY_CARD, 'utf8'));
      card.onnx = join(REPO, 'test/fixtures/models/tiny-spk.onnx');
      card.windowing.minSeconds = minSeconds;
      writeFileSync(join(dir, `card-${minSeconds}.json`), JSON.stringify(card));
      const { stdout } = await promisify(execFile)(
        join(REPO, 'node_modules/.bin/tsx'),
        ['bin/timbre.ts', 'eval', '--enrol', join(dir, 'enrol.tsv'), '--trials', join(dir, 'trials.tsv'), '--root', FSDD, '--json', '--model', join(dir, `card-${minSeconds}.json`)],
        { cwd: REPO },
      );
      return JSON.parse(stdout);
    };

    // Act
    const strict = await run(0.5);
    const lax = await run(0.2);

    // Assess: 30 targets and 150 non-targets less those whose probe has under 0.5 s of speech
    for (const out of [strict, lax]) {
      expect(out['targets']! + out['nontargets']! + out['skippedTrials']!).toBe(180);
      expect(out['skippedTrials']! % SPEAKERS.length).toBe(0); // a short probe is skipped against every claimed speaker
    }
    expect(strict['skippedTrials']).toBeGreaterThan(lax['skippedTrials']!);
    expect(lax['targets']).toBeGreaterThan(20);
    expect(lax['eer']).toBeGreaterThan(0);
    expect(lax['eer']).toBeLessThanOrEqual(0.5);
  });
});
