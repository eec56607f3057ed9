import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { LogisticCalibration } from '../../lambdas/voiceprint/index.js';
import { CommandError } from './cli-support.js';

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});

/**
 * Writes the card at `sourcePath` to `targetPath` (atomically; the same path rewrites it) with `calibration` as
 * its scoring.calibration (see writeCardScoringKey).
 */
export function writeCalibratedCard(sourcePath: string, targetPath: string, calibration: LogisticCalibration): void {
  writeCardScoringKey(sourcePath, targetPath, 'calibration', calibration);
}

/**
 * Writes the card at `sourcePath` to `targetPath` (atomically; the same path rewrites it) with `value` as
 * scoring[`key`]. The card is edited as JSON so every key it holds (evaluation, notes...) survives; the
 * files it names relative to itself (onnx, scoring.meanVector, scoring.cohort) are renamed relative to the target.
 */
export function writeCardScoringKey(sourcePath: string, targetPath: string, key: 'calibration' | 'watchlistCalibration', value: object): void {
  const card = JSON.parse(readFileSync(sourcePath, 'utf8')) as Json;
  const scoring = asObject(card['scoring']);
  const moves = resolve(dirname(targetPath)) !== resolve(dirname(sourcePath));
  const rebase = (file: unknown): unknown =>
    moves && typeof file === 'string' && !isAbsolute(file) ? relative(dirname(targetPath), resolve(dirname(sourcePath), file)) : file;
  if ('onnx' in card) card['onnx'] = rebase(card['onnx']);
  for (const file of ['meanVector', 'cohort']) if (file in scoring) scoring[file] = rebase(scoring[file]);
  scoring[key] = value;
  card['scoring'] = scoring;
  try {
    writeFileSync(`${targetPath}.tmp`, `${JSON.stringify(card, null, 2)}\n`);
    renameSync(`${targetPath}.tmp`, targetPath);
  } catch (error) {
    throw new CommandError(`cannot write ${targetPath}: ${(error as Error).message}`, { cause: error });
  }
}
