import { dirname, resolve } from 'node:path';
import { CardSection, parseFeatures, readCardJson } from '../voiceprint/index.js';
import { CM_CARD_FORMAT, type CmCard, type SpoofCalibration, type SpoofWindowing } from './types.js';

const KNOWN_TOP_LEVEL = ['format', 'id', 'onnx', 'sha256', 'sampleRateHz', 'features', 'io', 'windowing', 'calibration', 'params'];
/** The contract's ceiling (docs/antispoof.md): the CPU goal is 20 ms per 10 s of audio. */
export const MAX_CM_PARAMS = 1_000_000;

/**
 * Reads and validates a countermeasure card. Does not open the ONNX file: loadSpoofModel checks its sha256 and
 * tensor names.
 * @param cardPath - the card JSON; its `onnx` is relative to its folder
 * @throws ModelCardError naming the key and the fix
 * @example const card = loadCmCard('models/timbre-cm.json');
 */
export function loadCmCard(cardPath: string): CmCard {
  const absolute = resolve(cardPath);
  return parseCmCard(readCardJson(absolute), absolute);
}

/**
 * Validates an already-parsed countermeasure card. Required: format, id, onnx, sha256, sampleRateHz, features (as
 * the speaker card's), io.{input, output}, windowing.{windowSeconds, hopSeconds, minSeconds}, calibration.{a, b},
 * params. Unknown keys in io, windowing and calibration are refused. `features` is the speaker card's object as it
 * is, meanNormalisation included, but the countermeasure always takes the raw frames (any normalisation is inside
 * its graph), so that key only says how the speaker model uses the same frames.
 * @param cardPath - absolute path of the card, for messages and for resolving `onnx`
 */
export function parseCmCard(raw: unknown, cardPath: string): CmCard {
  const top = CardSection.of(cardPath, '', raw);
  const format = top.string('format');
  if (format !== CM_CARD_FORMAT) top.fail('format', `is "${format}"; a countermeasure card is "${CM_CARD_FORMAT}" (is this a speaker card?)`);
  const id = top.string('id');
  const onnxPath = resolve(dirname(cardPath), top.string('onnx'));
  const sha256 = top.string('sha256').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256)) top.fail('sha256', 'must be 64 hex digits: run `sha256sum` on the .onnx file');
  const sampleRateHz = top.number('sampleRateHz', { integer: true, min: 8000, max: 48000 });
  const features = parseFeatures(top.section('features', true));
  const ioSection = top.section('io', true);
  const io = { input: ioSection.string('input'), output: ioSection.string('output') };
  ioSection.refuseUnknownKeys();
  const windowing = parseWindowing(top.section('windowing', true), features.frameLengthMs, features.frameShiftMs);
  const calibration = parseCalibration(top.section('calibration', true));
  const params = top.number('params', { integer: true, min: 1, max: MAX_CM_PARAMS });
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!KNOWN_TOP_LEVEL.includes(key)) extra[key] = value;
  }
  return { format: CM_CARD_FORMAT, id, cardPath, onnxPath, sha256, sampleRateHz, features, io, windowing, calibration, params, extra };
}

function parseWindowing(s: CardSection, frameLengthMs: number, frameShiftMs: number): SpoofWindowing {
  const windowSeconds = s.number('windowSeconds', { min: frameLengthMs / 1000 });
  const hopSeconds = s.number('hopSeconds', { min: frameShiftMs / 1000 });
  const minSeconds = s.number('minSeconds', { min: frameLengthMs / 1000 });
  const pooling = s.oneOf('pooling', ['mean'] as const, 'mean');
  s.refuseUnknownKeys();
  if (hopSeconds > windowSeconds) s.fail('hopSeconds', `(${hopSeconds}) must not exceed windowSeconds (${windowSeconds}), or speech between windows is never seen`);
  if (minSeconds > windowSeconds) s.fail('minSeconds', `(${minSeconds}) must not exceed windowSeconds (${windowSeconds})`);
  return { windowSeconds, hopSeconds, minSeconds, pooling };
}

/** A slope of 0 or less would make the risk fall as the model grows surer of a spoof. */
function parseCalibration(s: CardSection): SpoofCalibration {
  const kind = s.oneOf('kind', ['logistic'] as const, 'logistic');
  const a = s.number('a', { min: Number.MIN_VALUE });
  const b = s.number('b');
  const fittedOn = s.has('fittedOn') ? s.string('fittedOn') : undefined;
  s.refuseUnknownKeys();
  return fittedOn === undefined ? { kind, a, b } : { kind, a, b, fittedOn };
}
