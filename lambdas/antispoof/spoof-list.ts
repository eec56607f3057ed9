import { readFileSync } from 'node:fs';
import { SpoofListError } from './errors.js';

/** One line of a spoof evaluation list: `path<TAB>bonafide|spoof<TAB>attack-name`. */
export interface SpoofListEntry {
  /** As written, relative to the list's root folder. */
  readonly path: string;
  readonly label: 'bonafide' | 'spoof';
  /** The attack for a spoof; the source, or `-`, for bona fide. */
  readonly attack: string;
  /** 1-based line number, for messages. */
  readonly line: number;
}

/**
 * Parses a spoof list's text. Blank lines are skipped; every other line needs exactly three tab-separated,
 * non-empty columns and a label of `bonafide` or `spoof`.
 * @param listPath - named in errors
 * @throws SpoofListError naming the line and what is wrong with it
 */
export function parseSpoofList(text: string, listPath: string): SpoofListEntry[] {
  const entries: SpoofListEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const columns = raw.split('\t');
    if (columns.length !== 3) throw new SpoofListError(listPath, line, `has ${columns.length} tab-separated column(s); a line is path<TAB>bonafide|spoof<TAB>attack-name`);
    const [path, label, attack] = columns.map((c) => c.trim()) as [string, string, string];
    if (path === '') throw new SpoofListError(listPath, line, 'the path is empty');
    if (label !== 'bonafide' && label !== 'spoof') throw new SpoofListError(listPath, line, `the label is "${label}"; use bonafide or spoof`);
    if (attack === '') throw new SpoofListError(listPath, line, label === 'spoof' ? 'a spoof needs its attack name' : 'the third column is empty; write the source or -');
    entries.push({ path, label, attack, line });
  });
  if (entries.length === 0) throw new SpoofListError(listPath, 1, 'the list has no entries');
  return entries;
}

/** Reads and parses a spoof list file. @throws SpoofListError (line 0 when the file cannot be read) */
export function readSpoofList(listPath: string): SpoofListEntry[] {
  let text: string;
  try {
    text = readFileSync(listPath, 'utf8');
  } catch {
    throw new SpoofListError(listPath, 0, 'cannot be read (does the file exist?)');
  }
  return parseSpoofList(text, listPath);
}
