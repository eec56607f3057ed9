/**
 * The files the inference layer is made of and where each lands in it, read from the repository
 * without the CDK: lib/inference-layer.ts copies them into the layer, the local mode maps a
 * function's /opt paths back to them and hashes them into its template cache key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CM_CARD_FILE } from '../lambdas/antispoof/default-model.js';
import { loadCmCard } from '../lambdas/antispoof/cm-card.js';
import { sileroModelPath } from '../lambdas/speech/silero-model-file.js';
import { DEFAULT_MODEL_CARD_FILE } from '../lambdas/voiceprint/default-model.js';
import { ModelCardError } from '../lambdas/voiceprint/errors.js';
import { loadModelCard } from '../lambdas/voiceprint/model-card.js';
import type { ModelCard } from '../lambdas/voiceprint/types.js';
import { LAYER_MODELS_DIR, LAYER_SILERO_VAD_PATH } from './contract/layer-paths.js';

/** Repository root: the layer's sources (node_modules, models) are read from here. */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Error raised while assembling the layer (a missing package, a card that is missing or outside models/, a model that does not match its card). */
export class InferenceLayerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`inference layer: ${message}`, options);
    this.name = 'InferenceLayerError';
  }
}

/** What the layer is made from: which speaker model card, read from which checkout. */
export interface LayerSources {
  /**
   * The speaker model card the layer ships, with the files it names: relative to the repository root (or absolute)
   * and inside its models/ folder, e.g. 'models/timbre-spk-v2.json'.
   * @default DEFAULT_MODEL_CARD_FILE ('models/timbre-default.json')
   */
  readonly speakerModelCard?: string | undefined;
  /** The checkout models/ and node_modules/ are read from. @default this repository (tests pass a copy) */
  readonly repoRoot?: string | undefined;
}

/** A model file the layer ships: its source in the repository and its absolute path in a Lambda with the layer. */
export interface LayerModelFile {
  readonly source: string;
  readonly layerPath: string;
}

/** A card's identity and the ONNX file it names, checked against its sha256 when the layer is built. */
export interface LayerModelCard {
  readonly cardId: string;
  readonly onnxPath: string;
  /** The sha256 the card names for its ONNX file. */
  readonly sha256: string;
  /** The card's absolute path in a Lambda with the layer, e.g. '/opt/models/timbre-default.json'. */
  readonly layerPath: string;
}

/** The speaker card's and countermeasure card's identities and every model file the layer ships. */
export interface LayerModels extends LayerModelCard {
  /** The voice-spoofing countermeasure (models/timbre-cm.json). */
  readonly cm: LayerModelCard;
  /** The speaker card and the files it names (the ONNX file, a scoring mean vector or cohort), the countermeasure's card and ONNX file, and Silero VAD. */
  readonly files: readonly LayerModelFile[];
}

/** The repository folder the layer's models/ mirrors: every card the layer ships, and each file a card names, lie in it. */
const MODELS_DIR = 'models';

/** Whether `path` lies strictly inside `dir` (both absolute). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * The absolute path of the speaker model card the sources name, which must be a file in the checkout's models/ folder.
 * @throws InferenceLayerError when it lies outside models/ or does not exist
 */
export function speakerModelCardPath({ speakerModelCard: card = DEFAULT_MODEL_CARD_FILE, repoRoot = REPO_ROOT }: LayerSources = {}): string {
  const modelsDir = join(repoRoot, MODELS_DIR);
  const path = resolve(repoRoot, card);
  if (!isInside(modelsDir, path)) {
    throw new InferenceLayerError(`speaker model card ${card} lies outside ${modelsDir}: the layer ships only cards kept there, with the files they name`);
  }
  if (!existsSync(path)) throw new InferenceLayerError(`speaker model card ${card} does not exist (looked for ${path})`);
  return path;
}

/**
 * Where `source`, a model file, lands in the layer: models/ is copied as it is, so the relative names inside each card
 * still resolve there.
 * @param namedBy - the card that names `source`, for the message when it lies outside models/
 */
function layerFile(source: string, modelsDir: string, namedBy: string): LayerModelFile {
  if (!isInside(modelsDir, source)) throw new InferenceLayerError(`${namedBy} names ${source}, outside ${modelsDir}`);
  return { source, layerPath: `${LAYER_MODELS_DIR}/${relative(modelsDir, source).split(sep).join('/')}` };
}

/** The speaker card at `cardPath`, its invalidity reported as the layer's error (synth fails, naming the card). */
function loadSpeakerCard(cardPath: string): ModelCard {
  try {
    return loadModelCard(cardPath);
  } catch (error) {
    if (error instanceof ModelCardError) throw new InferenceLayerError(error.message, { cause: error });
    throw error;
  }
}

/**
 * The installed package directory of `name` as Node resolves it from `fromDir` (walking up node_modules),
 * without loading it: onnxruntime-node's exports map and native binding are never touched.
 */
function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new InferenceLayerError(`package ${name} is not installed (needed from ${fromDir})`);
  }
}

/** onnxruntime-node and every package its `dependencies` pull in, transitively, as installed directories. */
export function onnxRuntimePackages(repoRoot: string = REPO_ROOT): string[] {
  const found = new Set<string>();
  const visit = (name: string, fromDir: string): void => {
    const dir = packageDir(name, fromDir);
    if (found.has(dir)) return;
    found.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, dir);
  };
  visit('onnxruntime-node', repoRoot);
  return [...found];
}

/**
 * The chosen speaker card and every file it names, the countermeasure's card and ONNX file, kept at their paths inside
 * models/ in the layer's models/ folder, plus the Silero VAD model.
 * @throws InferenceLayerError when the card is outside models/, missing or invalid, or names a file outside models/
 */
export function layerModels(sources: LayerSources = {}): LayerModels {
  const repoRoot = sources.repoRoot ?? REPO_ROOT;
  const modelsDir = join(repoRoot, MODELS_DIR);
  const card = loadSpeakerCard(speakerModelCardPath(sources));
  const raw = JSON.parse(readFileSync(card.cardPath, 'utf8')) as { scoring?: { meanVector?: unknown; cohort?: unknown } };
  const named = [raw.scoring?.meanVector, raw.scoring?.cohort].filter((f): f is string => typeof f === 'string');
  const cardFiles = [card.cardPath, card.onnxPath, ...named.map((f) => resolve(dirname(card.cardPath), f))].map((source) => layerFile(source, modelsDir, card.cardPath));
  const cm = loadCmCard(join(repoRoot, DEFAULT_CM_CARD_FILE));
  const cmFiles = [cm.cardPath, cm.onnxPath].map((source) => layerFile(source, modelsDir, cm.cardPath));
  const files = [...cardFiles, ...cmFiles, { source: sileroModelPath(), layerPath: LAYER_SILERO_VAD_PATH }];
  return {
    cardId: card.id,
    onnxPath: card.onnxPath,
    sha256: card.sha256,
    layerPath: cardFiles[0]!.layerPath,
    cm: { cardId: cm.id, onnxPath: cm.onnxPath, sha256: cm.sha256, layerPath: cmFiles[0]!.layerPath },
    files,
  };
}

/** Every repository file the layer is built from: each package's manifest and every model file. */
export function inferenceLayerInputs(sources: LayerSources = {}): string[] {
  return [
    ...onnxRuntimePackages(sources.repoRoot).map((dir) => join(dir, 'package.json')),
    ...layerModels(sources).files.map((file) => file.source),
  ];
}
