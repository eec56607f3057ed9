import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { WatchlistReport } from '../../../bin/commands/eval-watchlist.js';
import { loadModelCard } from '../../../lambdas/voiceprint/index.js';
import { sharedDataDir } from '../../support/shared-data.js';

const REPO = resolve(import.meta.dirname, '../../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const TINY_CARD = join(REPO, 'test/fixtures/models/tiny-spk.json');
const FIXTURE = join(REPO, 'test/fixtures/watchlist');
const COMMON_VOICE = sharedDataDir('common-voice');
if (COMMON_VOICE === undefined) console.warn('test/unit/cli: shared/data/common-voice is absent; skipping timbre eval-watchlist on its fixture list');

/** Runs `timbre eval-watchlist` on the fixture's 10 speakers with the tiny model, plus `extra` options. */
async function evalWatchlist(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['bin/timbre.ts', 'eval-watchlist', '--data', COMMON_VOICE!, '--index', join(FIXTURE, 'index.tsv'), '--split', join(FIXTURE, 'split.tsv'), ...extra];
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, args, { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.skipIf(COMMON_VOICE === undefined)('timbre eval-watchlist on a tiny fixture list', () => {
  it('counts every listed speaker as a fraudster call and every other as a genuine call, the same on every run', async () => {
    // Act: 8 evaluation speakers; a list of 100 cannot be drawn from them
    const first = await evalWatchlist('--sizes', '1,3,100', '--fraudster-trials', '12', '--model', TINY_CARD, '--json');
    const second = await evalWatchlist('--sizes', '1,3,100', '--fraudster-trials', '12', '--model', TINY_CARD, '--json');

    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    expect(first.stderr).toContain('size 100 left out');
    const report = JSON.parse(first.stdout) as WatchlistReport;
    expect(report.speakers).toBe(8);
    expect(report.calibrated).toBeUndefined();
    expect(report.identity.map((r) => [r.size, r.lists, r.caught.trials, r.falseAlarm.trials])).toEqual([
      [1, 12, 12, 12 * 7],
      [3, 4, 12, 4 * 5],
    ]);
    for (const row of [...report.identity, ...report.maxScore]) {
      expect(row.falseAlarm.rate).toBeCloseTo(row.falseAlarm.flagged / row.falseAlarm.trials, 12);
      expect(row.caught.rate).toBeCloseTo(row.caught.flagged / row.caught.trials, 12);
    }
    // One fraudster: the mean of one likelihood ratio is that ratio, so the risk flags exactly what the score does
    expect(report.identity[0]).toEqual(report.maxScore[0]);
  });

  it('fits the watchlist calibration into a new card that the next run reports with', async () => {
    // Prepare
    const out = join(mkdtempSync(join(tmpdir(), 'timbre-watchlist-')), 'card.json');

    // Act
    const fit = await evalWatchlist('--sizes', '1,3', '--fraudster-trials', '12', '--model', TINY_CARD, '--fit', '--out', out);
    const next = await evalWatchlist('--sizes', '1,3', '--fraudster-trials', '12', '--model', out, '--json');

    // Assess
    expect(fit.code).toBe(0);
    const card = loadModelCard(out);
    expect(card.scoring.watchlistCalibration?.a).toBeGreaterThan(0);
    expect(card.scoring.watchlistCalibration?.fittedOn).toContain('evaluation half of split.tsv');
    expect(card.onnxPath).toBe(loadModelCard(TINY_CARD).onnxPath);
    const report = JSON.parse(next.stdout) as WatchlistReport;
    expect(report.calibrated?.calibration.a).toBe(card.scoring.watchlistCalibration?.a);
    expect(report.calibrated?.rows).toHaveLength(2);
  });

  it('refuses a bad half, and --fit without --out, writing nothing', async () => {
    // Prepare
    const out = join(mkdtempSync(join(tmpdir(), 'timbre-watchlist-')), 'card.json');

    // Act
    const badHalf = await evalWatchlist('--half', 'training', '--model', TINY_CARD);
    const noOut = await evalWatchlist('--fit', '--model', TINY_CARD);
    const outWithoutFit = await evalWatchlist('--out', out, '--model', TINY_CARD);

    // Assess
    expect([badHalf.code, noOut.code, outWithoutFit.code]).toEqual([2, 2, 2]);
    expect(badHalf.stderr).toContain('--half must be calibration or evaluation');
    expect(noOut.stderr).toContain('--fit needs --out');
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(TINY_CARD, 'utf8')).not.toContain('watchlistCalibration');
  });
});
