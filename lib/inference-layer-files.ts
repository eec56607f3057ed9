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
import { loadModelCard } from '../lambdas/voiceprint/model-card.js';
import { LAYER_MODELS_DIR, LAYER_SILERO_VAD_PATH } from './contract/layer-paths.js';

/** Repository root: the layer's sources (node_modules, models) are read from here. */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Error raised while assembling the layer (a missing package, a model that does not match its card). */
export class InferenceLayerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`inference layer: ${message}`, options);
    this.name = 'InferenceLayerError';
  }
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
}

/** The default speaker card's and countermeasure card's identities and every model file the layer ships. */
export interface LayerModels extends LayerModelCard {
  /** The voice-spoofing countermeasure (models/timbre-cm.json). */
  readonly cm: LayerModelCard;
  /** The speaker card and the files it names (the ONNX file, a scoring mean vector or cohort), the countermeasure's card and ONNX file, and Silero VAD. */
  readonly files: readonly LayerModelFile[];
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
 * The default card and every file it names, kept at their paths relative to the card's folder inside the
 * layer's models/ folder (so the card's relative names still resolve), plus the Silero VAD model.
 */
export function layerModels(repoRoot: string = REPO_ROOT): LayerModels {
  const card = loadModelCard(join(repoRoot, DEFAULT_MODEL_CARD_FILE));
  const cardDir = dirname(card.cardPath);
  const raw = JSON.parse(readFileSync(card.cardPath, 'utf8')) as { scoring?: { meanVector?: unknown; cohort?: unknown } };
  const named = [raw.scoring?.meanVector, raw.scoring?.cohort].filter((f): f is string => typeof f === 'string');
  const cardFiles = [card.cardPath, card.onnxPath, ...named.map((f) => resolve(cardDir, f))].map((source) => {
    const rel = relative(cardDir, source);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new InferenceLayerError(`${card.cardPath} names ${source}, outside its folder`);
    return { source, layerPath: `${LAYER_MODELS_DIR}/${rel.split(sep).join('/')}` };
  });
  const cm = loadCmCard(join(repoRoot, DEFAULT_CM_CARD_FILE));
  const cmFiles = [cm.cardPath, cm.onnxPath].map((source) => {
    const rel = relative(cardDir, source);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new InferenceLayerError(`${cm.cardPath} names ${source}, outside the models folder`);
    return { source, layerPath: `${LAYER_MODELS_DIR}/${rel.split(sep).join('/')}` };
  });
  const files = [...cardFiles, ...cmFiles, { source: sileroModelPath(), layerPath: LAYER_SILERO_VAD_PATH }];
  return { cardId: card.id, onnxPath: card.onnxPath, sha256: card.sha256, cm: { cardId: cm.id, onnxPath: cm.onnxPath, sha256: cm.sha256 }, files };
}

/** Every repository file the layer is built from: each package's manifest and every model file. */
export function inferenceLayerInputs(repoRoot: string = REPO_ROOT): string[] {
  return [
    ...onnxRuntimePackages(repoRoot).map((dir) => join(dir, 'package.json')),
    ...layerModels(repoRoot).files.map((file) => file.source),
  ];
}
