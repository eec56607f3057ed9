import { describe, expect, it } from 'vitest';
import { caughtAtFalseAlarm, drawWatchlists, planRecordings, watchlistTrials } from '../../../bin/commands/watchlist-trials.js';

const clip = (file: string, seconds: number) => ({ speaker: 's', file, seconds });

describe('planRecordings', () => {
  it('probes with about 10 s of the last clips, at most half of them, and enrols up to 30 s of the first', () => {
    // Act
    const twelve = planRecordings('s', Array.from({ length: 12 }, (_, i) => clip(`c${String(i).padStart(2, '0')}`, 4)), 30, 10)!;
    const two = planRecordings('s', [clip('b', 3), clip('a', 5)], 30, 10)!;
    const one = planRecordings('s', [clip('a', 9)], 30, 10);

    // Assess
    expect(twelve.probe.map((c) => c.file)).toEqual(['c09', 'c10', 'c11']);
    expect(twelve.enrol.map((c) => c.file)).toEqual(['c00', 'c01', 'c02', 'c03', 'c04', 'c05', 'c06', 'c07']);
    expect([two.enrol.map((c) => c.file), two.probe.map((c) => c.file)]).toEqual([['a'], ['b']]);
    expect(one).toBeUndefined();
  });
});

describe('drawWatchlists and watchlistTrials', () => {
  it('draws the same distinct lists for a seed, and calls each speaker a fraudster exactly when listed', () => {
    // Prepare: 5 speakers; each probe scores 3 against its own enrolment and −3 against the others
    const llr = Array.from({ length: 5 }, (_, p) => Array.from({ length: 5 }, (_, e) => (p === e ? 3 : -3)));

    // Act
    const lists = drawWatchlists(5, 2, 6, 'seed');
    const trials = watchlistTrials(llr, lists, 2);

    // Assess
    expect(drawWatchlists(5, 2, 6, 'seed')).toEqual(lists);
    expect(lists.every((l) => l.length === 2 && l[0] !== l[1])).toBe(true);
    expect(trials.fraudster).toHaveLength(12);
    expect(trials.genuine).toHaveLength(18);
    expect(trials.fraudster.every((l) => Math.abs(l - Math.log((Math.exp(3) + Math.exp(-3)) / 2)) < 1e-12)).toBe(true);
    expect(trials.genuine.every((l) => Math.abs(l + 3) < 1e-12)).toBe(true);
    expect(() => drawWatchlists(5, 5, 1, 'seed')).toThrow(RangeError);
  });
});

describe('caughtAtFalseAlarm', () => {
  it('counts the targets strictly above the score that only the allowed share of non-targets reach', () => {
    // Act: 100 non-targets 0..99; 1 % allowed puts the bar at 98 (only 99 is above it)
    const nontargets = Array.from({ length: 100 }, (_, i) => i);

    // Assess
    expect(caughtAtFalseAlarm([98, 98.5, 99.5, 200], nontargets, 0.01)).toBe(0.75);
    expect(caughtAtFalseAlarm([50], nontargets, 0)).toBe(0);
  });
});
