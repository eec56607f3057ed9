import { knownFraudsterRisk, toScore100, type WatchlistCalibration } from '../../lambdas/scoring/index.js';
import { hashUnit, type IndexedClip } from './watchlist-split.js';

/** Which clips of one speaker enrol the fraudster voiceprint and which make the probe call. */
export interface SpeakerRecordings {
  readonly speaker: string;
  readonly enrol: readonly IndexedClip[];
  readonly probe: readonly IndexedClip[];
}

/**
 * Splits a speaker's clips (in file-name order) into a probe of about `probeSeconds` taken from the end, never
 * more than half the clips, and an enrolment of the clips before it, up to about `enrolSeconds`. Speakers with
 * fewer than two clips cannot do both and are left out (undefined).
 */
export function planRecordings(speaker: string, clips: readonly IndexedClip[], enrolSeconds: number, probeSeconds: number): SpeakerRecordings | undefined {
  const ordered = [...clips].sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
  if (ordered.length < 2) return undefined;
  const probe: IndexedClip[] = [];
  let probed = 0;
  while (probed < probeSeconds && probe.length < Math.floor(ordered.length / 2)) {
    const clip = ordered.pop()!;
    probe.unshift(clip);
    probed += clip.seconds;
  }
  const enrol: IndexedClip[] = [];
  let enrolled = 0;
  for (const clip of ordered) {
    if (enrolled >= enrolSeconds) break;
    enrol.push(clip);
    enrolled += clip.seconds;
  }
  return { speaker, enrol, probe };
}

/** `count` watchlists of `size` distinct indices in [0, population), drawn by a seeded shuffle. */
export function drawWatchlists(population: number, size: number, count: number, seed: string): number[][] {
  if (size < 1 || size >= population) throw new RangeError(`a watchlist of ${size} needs more than ${size} speakers (have ${population})`);
  return Array.from({ length: count }, (_, draw) => {
    const keys = Array.from({ length: population }, (_, i) => hashUnit(`${seed}:${size}:${draw}`, String(i)));
    return keys.map((_, i) => i).sort((x, y) => keys[x]! - keys[y]!).slice(0, size);
  });
}

/** The watchlist LLRs (identity calibration) of every call against every drawn list of one size. */
export interface WatchlistTrials {
  readonly size: number;
  readonly lists: number;
  /** Callers on the list, calling with held-out clips: should be flagged. */
  readonly fraudster: number[];
  /** Callers not on the list: should not be flagged. */
  readonly genuine: number[];
  /** The closest single comparison's LLR of each genuine call: what max-score flagging would see. */
  readonly genuineMax: number[];
  readonly fraudsterMax: number[];
}

/**
 * Every probe against every list: `llr[p][e]` is probe p's calibrated LLR against speaker e's enrolment (the same
 * index is the same speaker), so probe p is a fraudster call when p is on the list and a genuine one otherwise.
 */
export function watchlistTrials(llr: readonly (readonly number[])[], lists: readonly (readonly number[])[], size: number): WatchlistTrials {
  const out: WatchlistTrials = { size, lists: lists.length, fraudster: [], genuine: [], genuineMax: [], fraudsterMax: [] };
  for (const list of lists) {
    const listed = new Set(list);
    llr.forEach((row, p) => {
      const scores = list.map((e) => row[e]!);
      const risk = knownFraudsterRisk(scores).llr;
      const max = Math.max(...scores);
      if (listed.has(p)) {
        out.fraudster.push(risk);
        out.fraudsterMax.push(max);
      } else {
        out.genuine.push(risk);
        out.genuineMax.push(max);
      }
    });
  }
  return out;
}

/** Flagged share and counts at one threshold. */
export interface FlagRate {
  readonly flagged: number;
  readonly trials: number;
  readonly rate: number;
}

/** How many of `llrs`, recalibrated by `calibration`, reach `threshold` on the 0–100 risk scale. */
export function flagRate(llrs: readonly number[], calibration: WatchlistCalibration, threshold: number): FlagRate {
  const flagged = llrs.filter((l) => toScore100(calibration.a * l + calibration.b) >= threshold).length;
  return { flagged, trials: llrs.length, rate: llrs.length === 0 ? 0 : flagged / llrs.length };
}

/** One row of the report: a watchlist size under one calibration. */
export interface WatchlistRow {
  readonly size: number;
  readonly lists: number;
  readonly falseAlarm: FlagRate;
  readonly caught: FlagRate;
  /**
   * The share of fraudster calls caught at the strictest threshold that still flags at most 1 % of genuine calls:
   * what any monotone recalibration of this risk could reach at that false-alarm goal (the discrimination limit).
   */
  readonly caughtAtFalseAlarm1: number;
}

/** The share of `targets` above the (1 − `falseAlarm`) quantile of `nontargets` (strictly above, so ties do not flag). */
export function caughtAtFalseAlarm(targets: readonly number[], nontargets: readonly number[], falseAlarm: number): number {
  if (targets.length === 0 || nontargets.length === 0) return 0;
  const sorted = [...nontargets].sort((x, y) => y - x);
  const allowed = Math.floor(falseAlarm * sorted.length);
  const bar = allowed >= sorted.length ? Number.NEGATIVE_INFINITY : sorted[allowed]!;
  return targets.filter((t) => t > bar).length / targets.length;
}

/** The report row of `trials` under `calibration` (or, with `max`, flagging on the closest single comparison). */
export function watchlistRow(trials: WatchlistTrials, calibration: WatchlistCalibration, threshold: number, max = false): WatchlistRow {
  const genuine = max ? trials.genuineMax : trials.genuine;
  const fraudster = max ? trials.fraudsterMax : trials.fraudster;
  return {
    size: trials.size,
    lists: trials.lists,
    falseAlarm: flagRate(genuine, calibration, threshold),
    caught: flagRate(fraudster, calibration, threshold),
    caughtAtFalseAlarm1: caughtAtFalseAlarm(fraudster, genuine, 0.01),
  };
}
