import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './cli-support.js';

/** One speaker's enrolment: the files enrolled together, as absolute paths. */
export interface EnrolmentEntry {
  readonly speakerId: string;
  readonly files: readonly string[];
}

/** One trial: a probe file against a claimed speaker. */
export interface Trial {
  readonly speakerId: string;
  readonly file: string;
  readonly target: boolean;
}

function readLines(path: string, what: string): { line: number; fields: string[] }[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the ${what} list ${path}`);
  }
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ line: i + 1, raw }))
    .filter(({ raw }) => raw.trim() !== '' && !raw.startsWith('#'))
    .map(({ line, raw }) => ({ line, fields: raw.split('\t') }));
}

/**
 * Reads ENROL.tsv: `speakerId<TAB>file[<TAB>file...]` per line (blank lines and `#` comments skipped);
 * files are relative to `root`. A speaker listed twice has all its files enrolled together.
 */
export function readEnrolmentList(path: string, root: string): EnrolmentEntry[] {
  const bySpeaker = new Map<string, string[]>();
  for (const { line, fields } of readLines(path, 'enrolment')) {
    const [speakerId, ...files] = fields.map((f) => f.trim());
    if (!speakerId || files.length === 0 || files.some((f) => f === '')) {
      throw new UsageError(`${path}:${line}: expected speakerId<TAB>file[<TAB>file...]`);
    }
    const list = bySpeaker.get(speakerId) ?? [];
    list.push(...files.map((f) => resolve(root, f)));
    bySpeaker.set(speakerId, list);
  }
  if (bySpeaker.size === 0) throw new UsageError(`${path} lists no enrolments`);
  return [...bySpeaker].map(([speakerId, files]) => ({ speakerId, files }));
}

/** Reads TRIALS.tsv: `speakerId<TAB>file<TAB>target|nontarget` per line; files are relative to `root`. */
export function readTrialList(path: string, root: string, enrolled: ReadonlySet<string>): Trial[] {
  const trials = readLines(path, 'trial').map(({ line, fields }) => {
    const [speakerId, file, label] = fields.map((f) => f.trim());
    if (fields.length !== 3 || !speakerId || !file || (label !== 'target' && label !== 'nontarget')) {
      throw new UsageError(`${path}:${line}: expected speakerId<TAB>file<TAB>target|nontarget`);
    }
    if (!enrolled.has(speakerId)) throw new UsageError(`${path}:${line}: speaker "${speakerId}" is not in the enrolment list`);
    return { speakerId, file: resolve(root, file), target: label === 'target' };
  });
  if (trials.length === 0) throw new UsageError(`${path} lists no trials`);
  return trials;
}
