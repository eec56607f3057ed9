/**
 * timbre-spk-v2's held-out sets and training split (training/lists/v2-*.tsv, written by
 * `python3 -m training.timbre_train.v2_sets`): no held-out person is in v2's training split, calibration speakers
 * are in no evaluation set, v1's held-out speakers stay out of training, and the committed lists are exactly what the
 * seeded generator writes from ../shared/data (that last check is skipped, saying so, without the data or python3).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../support/shared-data.js';

const REPO = resolve(import.meta.dirname, '../../..');
const LISTS = resolve(REPO, 'training/lists');
const SETS = ['v2-mismatch', 'v2-short', 'v2-common-voice', 'v2-cross-session'] as const;

const rows = (name: string): string[][] =>
  readFileSync(resolve(LISTS, name), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t'));

/** The person behind an enrolment id: `ls-460@tc5` is `ls-460`. */
const person = (id: string): string => id.split('@')[0]!;
/** The person whose audio a listed file is: its first folder. */
const owner = (file: string): string => file.split('/')[0]!;

const v2Split = rows('v2-split.tsv').map(([role, speaker, source]) => ({ role: role!, speaker: speaker!, source: source! }));
const rolesOf = (speaker: string): Set<string> => new Set(v2Split.filter((r) => r.speaker === speaker).map((r) => r.role));
const training = new Set(v2Split.filter((r) => r.role === 'train').map((r) => r.speaker));

interface HeldOutSet {
  enrolments: Map<string, string[]>;
  trials: { enrolment: string; probe: string; target: boolean }[];
}
const sets: Record<string, HeldOutSet> = Object.fromEntries(
  SETS.map((name) => [
    name,
    {
      enrolments: new Map(rows(`${name}.enrol.tsv`).map(([id, ...files]) => [id!, files])),
      trials: rows(`${name}.trials.tsv`).map(([enrolment, probe, label]) => ({ enrolment: enrolment!, probe: probe!, target: label === 'target' })),
    },
  ]),
);
const people = (set: HeldOutSet): Set<string> =>
  new Set([...set.enrolments.keys()].map(person).concat(set.trials.map((t) => owner(t.probe))));

describe('timbre-spk-v2 held-out sets and training split (training/lists/v2-*)', () => {
  it('gives every person one role, whatever the corpus they appear in', () => {
    const mixed = [...new Set(v2Split.map((r) => r.speaker))].filter((s) => rolesOf(s).size > 1);
    expect(mixed).toEqual([]);
    expect(training.size).toBeGreaterThan(1000);
  });

  it.each(SETS)('%s: every person is a v2 held-out speaker, none is in v2 training', (name) => {
    const inSet = [...people(sets[name]!)];
    expect(inSet.length).toBeGreaterThanOrEqual(10);
    expect(inSet.filter((s) => training.has(s))).toEqual([]);
    expect(inSet.filter((s) => !rolesOf(s).has('v2-eval'))).toEqual([]);
  });

  it.each(SETS)('%s: labels follow the people, every enrolment exists, no probe is scored against its own enrolment audio', (name) => {
    const set = sets[name]!;
    for (const t of set.trials) {
      expect(set.enrolments.has(t.enrolment), t.enrolment).toBe(true);
      expect(t.target, `${t.enrolment} ${t.probe}`).toBe(person(t.enrolment) === owner(t.probe));
      expect(set.enrolments.get(t.enrolment)).not.toContain(t.probe);
    }
    const probes = new Set(set.trials.map((t) => t.probe));
    for (const p of probes) expect(set.trials.filter((t) => t.probe === p && t.target).length, p).toBeGreaterThanOrEqual(1);
    expect(new Set(set.trials.map((t) => `${t.enrolment}\t${t.probe}`)).size).toBe(set.trials.length);
  });

  it('v2-cross-session pairs an enrolment only with a probe of another recording session', () => {
    const chapterOf = (file: string): string => (file.endsWith('/tc100.wav') ? 'tc100' : 'tc5');
    const targets = sets['v2-cross-session']!.trials.filter((t) => t.target);
    expect(targets.length).toBeGreaterThanOrEqual(50);
    for (const t of targets) expect(t.enrolment.split('@')[1], t.probe).not.toBe(chapterOf(t.probe));
  });

  it('v2-common-voice is the watchlist list\'s 100 v2-heldout speakers, and v2 calibrates on no one it evaluates or trains on', () => {
    const heldOut = rows('common-voice-watchlist.tsv').filter((r) => r[2] === 'v2-heldout').map((r) => `cv-${r[0]}`);
    expect(heldOut).toHaveLength(100);
    expect([...people(sets['v2-common-voice']!)].sort()).toEqual(heldOut.sort());
    const evaluated = new Set(SETS.flatMap((name) => [...people(sets[name]!)]));
    const calibration = v2Split.filter((r) => r.role === 'v2-calib').map((r) => r.speaker);
    expect(calibration.length).toBeGreaterThanOrEqual(80);
    expect(calibration.filter((s) => evaluated.has(s))).toEqual([]);
    // the calibration list (ids <speaker>@16k|@8k, files under 16k/ and 8k/) holds v2-calib speakers only
    const calibList = rows('v2-calib.enrol.tsv').map(([id]) => person(id!));
    expect(calibList.length).toBeGreaterThanOrEqual(160);
    expect(calibList.filter((s) => !rolesOf(s).has('v2-calib'))).toEqual([]);
    for (const [id, probe, label] of rows('v2-calib.trials.tsv')) {
      const [who, channel] = id!.split('@');
      expect(probe!.startsWith(`${channel}/`), probe).toBe(true);
      expect(label === 'target', `${id} ${probe}`).toBe(probe!.split('/')[1] === who);
    }
    // v2's watchlist split: calibration on v2-calib Common Voice speakers, evaluation on the 100 held-out ones
    const watchlist = rows('v2-watchlist.tsv');
    expect(watchlist.filter((r) => r[1] === 'evaluation').map((r) => `cv-${r[0]}`).sort()).toEqual(heldOut.sort());
    expect(watchlist.filter((r) => r[1] === 'calibration').map((r) => `cv-${r[0]}`).filter((s) => !rolesOf(s).has('v2-calib'))).toEqual([]);
    // v1's calibration list as v2 pools it: every person in it is a calibration speaker, and it lost only v2's evaluated ones
    const v1Calib = rows('v2-calib-v1.trials.tsv');
    const v1People = new Set(v1Calib.flatMap(([id, probe]) => [person(id!), probe!.split('/')[1]!]));
    expect([...v1People].filter((s) => !rolesOf(s).has('v2-calib') || evaluated.has(s))).toEqual([]);
    const dropped = rows('calib.trials.tsv').filter(([id, probe]) => !v1People.has(person(id!)) || !v1People.has(probe!.split('/')[1]!));
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.every(([id, probe]) => evaluated.has(person(id!)) || evaluated.has(probe!.split('/')[1]!))).toBe(true);
  });

  it('keeps v1\'s held-out and calibration speakers out of v2 training, so v1\'s sets stay valid', () => {
    const v1HeldOut = rows('split.tsv').filter((r) => r[0] !== 'train').map((r) => r[1]!);
    expect(v1HeldOut.length).toBeGreaterThan(100);
    expect(v1HeldOut.filter((s) => training.has(s))).toEqual([]);
  });

  const data = sharedDataDir();
  const python = ['/usr/bin/python3', 'python3'].find((p) => {
    try {
      execFileSync(p, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  const why = data === undefined ? 'no ../shared/data' : python === undefined ? 'no python3' : '';
  it.skipIf(why !== '')(`are what the seeded generator writes from the shared data${why ? ` (skipped: ${why})` : ''}`, () => {
    const out = mkdtempSync(join(tmpdir(), 'v2-sets-'));
    try {
      execFileSync(python!, ['-m', 'training.timbre_train.v2_sets', '--data-root', data!, '--out', out], { cwd: REPO, stdio: 'ignore' });
      const written = readdirSync(out).sort();
      expect(written).toEqual(readdirSync(LISTS).filter((f) => f.startsWith('v2-')).sort());
      expect(written.length).toBe(2 * SETS.length + 7); // + channels, split, the two calibration pairs and the watchlist split
      for (const f of written) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(LISTS, f), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
