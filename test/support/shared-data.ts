/**
 * The shared data folder (real speech that is not in the repository): `../shared/data` next to the checkout, or
 * `../../shared/data` from a worktree under wt/. Undefined when absent; tests then say what they skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The folder, or undefined. */
export function sharedDataDir(): string | undefined {
  return ['../shared/data', '../../shared/data'].map((p) => resolve(process.cwd(), p)).find((p) => existsSync(p));
}

/** Files of one LibriSpeech train-clean-5 speaker (Ogg Vorbis, 16 kHz), in index order; [] when absent. */
export function libriSpeechFiles(speaker: string, count: number): Uint8Array[] {
  const dir = sharedDataDir();
  const root = dir === undefined ? undefined : resolve(dir, 'librispeech-train-clean-5');
  if (root === undefined || !existsSync(resolve(root, 'index.tsv'))) return [];
  return readFileSync(resolve(root, 'index.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .filter((cols) => cols[0] === speaker)
    .slice(0, count)
    .map((cols) => readFileSync(resolve(root, cols[2]!)));
}
