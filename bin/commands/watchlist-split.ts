import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from './cli-support.js';

/** The two halves of a watchlist split: one to fit the watchlist calibration on, one to report with. */
export type WatchlistHalf = 'calibration' | 'evaluation';

/** One speaker of a split list. */
export interface SplitSpeaker {
  readonly speaker: string;
  readonly half: WatchlistHalf;
  /** Kept out of model-v2 training (only in the evaluation half). */
  readonly v2HeldOut: boolean;
  readonly clips: number;
}

/** One clip of a speaker-labelled corpus index (Common Voice's index.tsv). */
export interface IndexedClip {
  readonly speaker: string;
  /** Relative to the corpus root. */
  readonly file: string;
  readonly seconds: number;
}

/** How a split is drawn. */
export interface SplitOptions {
  readonly seed: string;
  /** How many evaluation-half speakers with at least `v2MinClips` clips to mark as the model-v2 held-out set. */
  readonly v2HeldOut: number;
  readonly v2MinClips: number;
}

/** The split committed as training/lists/common-voice-watchlist.tsv. */
export const DEFAULT_SPLIT_OPTIONS: SplitOptions = { seed: 'timbre-watchlist-1', v2HeldOut: 100, v2MinClips: 3 };

/** A uniform number in [0, 1) from sha256(`seed:key`): the same for a speaker whatever else is in the corpus. */
export function hashUnit(seed: string, key: string): number {
  return createHash('sha256').update(`${seed}:${key}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Splits speakers into halves by a seeded hash of the speaker ID alone, so adding or removing a speaker moves no
 * other; then marks the `v2HeldOut` evaluation speakers with at least `v2MinClips` clips whose second hash is
 * lowest as the model-v2 held-out set. Sorted by speaker ID.
 */
export function splitSpeakers(clips: readonly IndexedClip[], options: SplitOptions = DEFAULT_SPLIT_OPTIONS): SplitSpeaker[] {
  const counts = new Map<string, number>();
  for (const { speaker } of clips) counts.set(speaker, (counts.get(speaker) ?? 0) + 1);
  const speakers = [...counts.keys()].sort();
  const half = (s: string): WatchlistHalf => (hashUnit(options.seed, s) < 0.5 ? 'calibration' : 'evaluation');
  const v2 = new Set(
    speakers
      .filter((s) => half(s) === 'evaluation' && counts.get(s)! >= options.v2MinClips)
      .sort((x, y) => hashUnit(`${options.seed}:v2`, x) - hashUnit(`${options.seed}:v2`, y))
      .slice(0, options.v2HeldOut),
  );
  return speakers.map((speaker) => ({ speaker, half: half(speaker), v2HeldOut: v2.has(speaker), clips: counts.get(speaker)! }));
}

/** The split as the committed TSV: a `#` header saying what it is, then `speaker<TAB>half<TAB>v2-heldout|-<TAB>clips`. */
export function formatSplit(split: readonly SplitSpeaker[], options: SplitOptions = DEFAULT_SPLIT_OPTIONS): string {
  const count = (f: (s: SplitSpeaker) => boolean): number => split.filter(f).length;
  const header = [
    `# Common Voice watchlist split (timbre eval-watchlist --write-split), seed "${options.seed}".`,
    '# half = calibration when the first 4 bytes of sha256("<seed>:<speaker>") / 2^32 < 0.5, else evaluation.',
    `# calibration: fit scoring.watchlistCalibration (${count((s) => s.half === 'calibration')} speakers); evaluation: report with it (${count((s) => s.half === 'evaluation')}).`,
    `# v2-heldout: ${count((s) => s.v2HeldOut)} evaluation speakers with >= ${options.v2MinClips} clips (lowest sha256("<seed>:v2:<speaker>")),`,
    '# the model-v2 held-out set: model v2 must not train on them.',
    '# speaker\thalf\tv2\tclips',
  ];
  return `${[...header, ...split.map((s) => `${s.speaker}\t${s.half}\t${s.v2HeldOut ? 'v2-heldout' : '-'}\t${s.clips}`)].join('\n')}\n`;
}

/** Reads a split list written by formatSplit. */
export function readSplit(path: string): SplitSpeaker[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the split list ${path}`);
  }
  const rows = text.split(/\r?\n/).map((raw, i) => ({ line: i + 1, raw })).filter(({ raw }) => raw.trim() !== '' && !raw.startsWith('#'));
  return rows.map(({ line, raw }) => {
    const [speaker, half, v2, clips] = raw.split('\t');
    if (!speaker || (half !== 'calibration' && half !== 'evaluation') || (v2 !== 'v2-heldout' && v2 !== '-') || !/^\d+$/.test(clips ?? '')) {
      throw new UsageError(`${path}:${line}: expected speaker<TAB>calibration|evaluation<TAB>v2-heldout|-<TAB>clips`);
    }
    return { speaker, half, v2HeldOut: v2 === 'v2-heldout', clips: Number(clips) };
  });
}

/** Reads a corpus index.tsv (`speaker<TAB>language<TAB>file<TAB>seconds...`, first line a header). */
export function readCorpusIndex(path: string): IndexedClip[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the corpus index ${path}`);
  }
  const [head, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const columns = (head ?? '').split('\t');
  const [si, fi, di] = ['speaker', 'file', 'seconds'].map((c) => columns.indexOf(c));
  if (si! < 0 || fi! < 0 || di! < 0) throw new UsageError(`${path}: the first line must name the columns speaker, file and seconds`);
  return lines.map((line, i) => {
    const fields = line.split('\t');
    const seconds = Number(fields[di!]);
    if (!fields[si!] || !fields[fi!] || !(seconds > 0)) throw new UsageError(`${path}:${i + 2}: expected a speaker, a file and seconds > 0`);
    return { speaker: fields[si!]!, file: fields[fi!]!, seconds };
  });
}
