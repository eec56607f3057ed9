/**
 * The shared data folder (real speech that is not in the repository): `<repo>/../shared/data` beside the main
 * checkout, or two levels up from a worktree under wt/. Undefined when absent; tests then say what they skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');

/** The folder, or the data set `name` in it; undefined when it is not there. */
export function sharedDataDir(name = ''): string | undefined {
  return [resolve(REPO, '../shared/data', name), resolve(REPO, '../../shared/data', name)].find((dir) => existsSync(dir));
}

/** Files of one LibriSpeech train-clean-5 speaker (Ogg Vorbis, 16 kHz), in index order; [] when absent. */
export function libriSpeechFiles(speaker: string, count: number): Uint8Array[] {
  const root = sharedDataDir('librispeech-train-clean-5');
  if (root === undefined || !existsSync(resolve(root, 'index.tsv'))) return [];
  return readFileSync(resolve(root, 'index.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .filter((cols) => cols[0] === speaker)
    .slice(0, count)
    .map((cols) => readFileSync(resolve(root, cols[2]!)));
}
