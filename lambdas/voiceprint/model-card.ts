import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CardSection } from './card-fields.js';
import { ModelCardError } from './errors.js';
import type { DurationTerms } from '../scoring/types.js';
import { l2Normalised } from './vectors.js';
import type { CardScoring, FbankWindowKind, KaldiFbankConfig, LogisticCalibration, ModelCard, ModelIo, WatchlistCalibrationEntry, WindowingPolicy } from './types.js';

/** The only card format this code reads. */
export const MODEL_CARD_FORMAT = 'timbre-model-card/1';

const WINDOWS: readonly FbankWindowKind[] = ['hamming', 'povey', 'hanning', 'rectangular'];
const KNOWN_TOP_LEVEL = ['format', 'id', 'onnx', 'sha256', 'sampleRateHz', 'features', 'io', 'windowing', 'scoring'];

/**
 * Reads, parses and validates a model card file, and loads the files its scoring section names
 * (mean vector, cohort). Does not open the ONNX file: loadSpeakerModel checks its sha256 and tensor names.
 * @param cardPath - path of the card JSON; relative paths inside it are relative to its folder
 * @throws ModelCardError naming the key and the fix
 * @example const card = loadModelCard('models/timbre-default.json');
 */
export function loadModelCard(cardPath: string): ModelCard {
  const absolute = resolve(cardPath);
  return parseModelCard(readCardJson(absolute), absolute);
}

/**
 * The JSON of a card file (any kind of card).
 * @param absolute - the card's absolute path
 * @throws ModelCardError when it cannot be read or is not JSON
 */
export function readCardJson(absolute: string): unknown {
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ModelCardError(absolute, 'cannot be read (does the file exist?)', undefined, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ModelCardError(absolute, `is not valid JSON: ${(error as Error).message}`, undefined, { cause: error });
  }
  return raw;
}

/**
 * Validates an already-parsed card. Required: format, id, onnx, sha256, sampleRateHz, features.{kind, numMelBins,
 * window, sampleScale, meanNormalisation}, io.{input, output, embeddingDim}. Everything else has the documented
 * default (Kaldi's for the fbank; docs/models.md lists them). Unknown keys inside features, io, windowing and
 * scoring are refused, since a misspelt front-end key would silently change what the model sees.
 * @param cardPath - absolute path of the card, for messages and for resolving the files it names
 */
export function parseModelCard(raw: unknown, cardPath: string): ModelCard {
  const top = CardSection.of(cardPath, '', raw);
  const format = top.string('format');
  if (format !== MODEL_CARD_FORMAT) top.fail('format', `is "${format}"; this Timbre reads "${MODEL_CARD_FORMAT}"`);
  const id = top.string('id');
  const onnxPath = resolve(dirname(cardPath), top.string('onnx'));
  const sha256 = top.string('sha256').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha256)) top.fail('sha256', 'must be 64 hex digits: run `sha256sum` on the .onnx file');
  const sampleRateHz = top.number('sampleRateHz', { integer: true, min: 8000, max: 48000 });
  const features = parseFeatures(top.section('features', true));
  const io = parseIo(top.section('io', true));
  const windowing = parseWindowing(top.section('windowing', false), features);
  const scoring = parseScoring(top.section('scoring', false), io.embeddingDim);
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!KNOWN_TOP_LEVEL.includes(key)) extra[key] = value;
  }
  return { format: MODEL_CARD_FORMAT, id, cardPath, onnxPath, sha256, sampleRateHz, features, io, windowing, scoring, extra };
}

/**
 * A card's `features` section (the fbank settings); the countermeasure's card shares it with the speaker card.
 * @throws ModelCardError naming the key and the fix
 */
export function parseFeatures(s: CardSection): KaldiFbankConfig {
  s.oneOf('kind', ['kaldi-fbank'] as const);
  const features: KaldiFbankConfig = {
    kind: 'kaldi-fbank',
    numMelBins: s.number('numMelBins', { integer: true, min: 1, max: 256 }),
    frameLengthMs: s.number('frameLengthMs', { fallback: 25, min: 1, max: 200 }),
    frameShiftMs: s.number('frameShiftMs', { fallback: 10, min: 1, max: 200 }),
    // Required: WeSpeaker (hamming, ×32768) and 3D-Speaker (povey, ×1) differ exactly here, and a wrong guess fails silently.
    window: s.oneOf('window', WINDOWS),
    sampleScale: s.number('sampleScale', { min: Number.MIN_VALUE }),
    dither: s.number('dither', { fallback: 0 }),
    preemphasisCoefficient: s.number('preemphasisCoefficient', { fallback: 0.97, min: 0, max: 1 }),
    removeDcOffset: s.boolean('removeDcOffset', true),
    rawEnergy: s.boolean('rawEnergy', true),
    lowFreqHz: s.number('lowFreqHz', { fallback: 20, min: 0 }),
    highFreqHz: s.number('highFreqHz', { fallback: 0 }),
    snipEdges: s.boolean('snipEdges', true),
    useLogFbank: s.boolean('useLogFbank', true),
    usePower: s.boolean('usePower', true),
    energyFloor: s.number('energyFloor', { fallback: 0 }),
    meanNormalisation: s.oneOf('meanNormalisation', ['utterance', 'none'] as const),
  };
  s.refuseUnknownKeys();
  if (features.dither !== 0) s.fail('dither', 'must be 0: models train with dither but inference runs without it; set "dither": 0');
  if (!features.snipEdges) s.fail('snipEdges', 'false is not supported; use a model whose features were made with snip_edges=True');
  return features;
}

function parseIo(s: CardSection): ModelIo {
  const io = { input: s.string('input'), output: s.string('output'), embeddingDim: s.number('embeddingDim', { integer: true, min: 1, max: 8192 }) };
  s.refuseUnknownKeys();
  return io;
}

function parseWindowing(s: CardSection, features: KaldiFbankConfig): WindowingPolicy {
  const windowSeconds = s.number('windowSeconds', { fallback: 3, min: 0.1 });
  const hopSeconds = s.number('hopSeconds', { fallback: windowSeconds / 2, min: 0.01 });
  const minSeconds = s.number('minSeconds', { fallback: 0.5, min: features.frameLengthMs / 1000 });
  const pooling = s.oneOf('pooling', ['mean'] as const, 'mean');
  s.refuseUnknownKeys();
  if (hopSeconds > windowSeconds) s.fail('hopSeconds', `(${hopSeconds}) must not exceed windowSeconds (${windowSeconds}), or speech between windows is never seen`);
  if (minSeconds > windowSeconds) s.fail('minSeconds', `(${minSeconds}) must not exceed windowSeconds (${windowSeconds})`);
  return { windowSeconds, hopSeconds, minSeconds, pooling };
}

function parseScoring(s: CardSection, embeddingDim: number): CardScoring {
  const meanVectorFile = s.optionalString('meanVector');
  const cohortFile = s.optionalString('cohort');
  const asNormTopN = s.number('asNormTopN', { fallback: 100, integer: true, min: 1 });
  const calibration = parseCalibration(s.section('calibration', false));
  const watchlistCalibration = s.has('watchlistCalibration') ? parseWatchlistCalibration(s.section('watchlistCalibration', true)) : null;
  s.refuseUnknownKeys();
  const meanVector = meanVectorFile === null ? null : readVectors(s, 'meanVector', meanVectorFile, embeddingDim, false)[0]!;
  const cohort = cohortFile === null ? null : readVectors(s, 'cohort', cohortFile, embeddingDim, true).map(l2Normalised);
  return { meanVector, cohort, asNormTopN, calibration, watchlistCalibration };
}

/** An uncalibrated card scores with llr = cosine, so nothing reaches 90: it fails safe until `timbre calibrate` runs. */
function parseCalibration(s: CardSection): LogisticCalibration {
  const kind = s.oneOf('kind', ['logistic'] as const, 'logistic');
  const a = s.number('a', { fallback: 1 });
  const b = s.number('b', { fallback: 0 });
  const duration = s.has('duration') ? parseDurationTerms(s.section('duration', true)) : undefined;
  const fittedOn = s.has('fittedOn') ? s.string('fittedOn') : undefined;
  s.refuseUnknownKeys();
  return { kind, a, b, ...(duration !== undefined && { duration }), ...(fittedOn !== undefined && { fittedOn }) };
}

/** The quality-measure terms of a duration-aware calibration: the clamp must be positive and ordered. */
function parseDurationTerms(s: CardSection): DurationTerms {
  const slope = s.number('slope');
  const offset = s.number('offset');
  const referenceSeconds = s.number('referenceSeconds', { min: Number.MIN_VALUE });
  const minSeconds = s.number('minSeconds', { min: Number.MIN_VALUE });
  const maxSeconds = s.number('maxSeconds', { min: minSeconds });
  s.refuseUnknownKeys();
  return { slope, offset, referenceSeconds, minSeconds, maxSeconds };
}

/** Optional; a slope of 0 or less would make the risk fall as the caller sounds more like a fraudster. */
function parseWatchlistCalibration(s: CardSection): WatchlistCalibrationEntry {
  const a = s.number('a', { min: Number.MIN_VALUE });
  const b = s.number('b');
  const fittedOn = s.has('fittedOn') ? s.string('fittedOn') : undefined;
  s.refuseUnknownKeys();
  return fittedOn === undefined ? { a, b } : { a, b, fittedOn };
}

function readVectors(s: CardSection, name: string, file: string, dim: number, many: boolean): Float32Array[] {
  const path = resolve(dirname(s.cardPath), file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ModelCardError(s.cardPath, `${s.key(name)} file ${path} cannot be read as JSON`, s.key(name), { cause: error });
  }
  const rows = many ? parsed : [parsed];
  const shape = many ? `an array of arrays of ${dim} numbers` : `an array of ${dim} numbers`;
  if (!Array.isArray(rows) || rows.length === 0) s.fail(name, `file ${path} must hold ${shape}`);
  return rows.map((row: unknown) => {
    if (!Array.isArray(row) || row.length !== dim || !row.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      s.fail(name, `file ${path} must hold ${shape} (io.embeddingDim)`);
    }
    return Float32Array.from(row as number[]);
  });
}
