import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelCard } from '../lambdas/voiceprint/model-card.js';
import { DEFAULT_MODEL_CARD_FILE } from '../lambdas/voiceprint/default-model.js';
import { sileroModelPath } from '../lambdas/speech/silero-model-file.js';

/** Repository root: the layer's sources (node_modules, models) are read from here. */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where Lambda mounts a layer's contents. */
const LAYER_MOUNT = '/opt';

/** Only the N-API binding the Lambda runs (Node 22, x86_64); the other platforms' binaries are 240 MB more. */
const KEPT_BINDING = join('bin', 'napi-v6', 'linux', 'x64');

/** File name of the Silero VAD model inside the layer's models/ folder. */
export const LAYER_SILERO_VAD_FILE = 'silero_vad.onnx';

/** Absolute path of the default model card inside a Lambda that has the layer. */
export const LAYER_MODEL_CARD_PATH = `${LAYER_MOUNT}/${DEFAULT_MODEL_CARD_FILE}`;

/** Absolute path of the Silero VAD model inside a Lambda that has the layer. */
export const LAYER_SILERO_VAD_PATH = `${LAYER_MOUNT}/models/${LAYER_SILERO_VAD_FILE}`;

/** Error raised while assembling the layer (a missing package, a model that does not match its card). */
export class InferenceLayerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`inference layer: ${message}`, options);
    this.name = 'InferenceLayerError';
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
 * The default card and every file it names (the ONNX file, a scoring mean vector or cohort), each with its
 * path relative to the card's folder: the layer keeps that layout so the card's relative names still resolve.
 */
function modelFiles(repoRoot: string): { cardId: string; onnxPath: string; sha256: string; files: Array<[source: string, rel: string]> } {
  const card = loadModelCard(join(repoRoot, DEFAULT_MODEL_CARD_FILE));
  const cardDir = dirname(card.cardPath);
  const raw = JSON.parse(readFileSync(card.cardPath, 'utf8')) as { scoring?: { meanVector?: unknown; cohort?: unknown } };
  const named = [raw.scoring?.meanVector, raw.scoring?.cohort].filter((f): f is string => typeof f === 'string');
  const files: Array<[string, string]> = [card.cardPath, card.onnxPath, ...named.map((f) => resolve(cardDir, f))].map((source) => {
    const rel = relative(cardDir, source);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new InferenceLayerError(`${card.cardPath} names ${source}, outside its folder`);
    return [source, rel.split(sep).join('/')];
  });
  return { cardId: card.id, onnxPath: card.onnxPath, sha256: card.sha256, files };
}

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Writes the layer's contents into `outputDir`: `nodejs/node_modules/` with onnxruntime-node (linux-x64
 * binding only) and its dependencies, `models/` with the default model card, its ONNX file and the Silero VAD
 * model. Fails if the ONNX file's sha256 differs from the one its card names.
 */
export function bundleInferenceLayer(outputDir: string, repoRoot: string = REPO_ROOT): void {
  const nodeModules = join(repoRoot, 'node_modules');
  for (const source of onnxRuntimePackages(repoRoot)) {
    const rel = relative(nodeModules, source);
    if (rel.startsWith('..')) throw new InferenceLayerError(`${source} lies outside ${nodeModules}`);
    const target = join(outputDir, 'nodejs', 'node_modules', rel);
    // Nested node_modules are copied as packages of their own when something depends on them.
    const skipped = [join(source, 'node_modules'), join(source, 'bin')];
    cpSync(source, target, { recursive: true, dereference: true, filter: (path) => !skipped.includes(path) });
    if (basename(source) === 'onnxruntime-node') {
      const binding = join(source, KEPT_BINDING);
      if (!existsSync(join(binding, 'onnxruntime_binding.node'))) throw new InferenceLayerError(`no linux-x64 binding in ${binding}`);
      cpSync(binding, join(target, KEPT_BINDING), { recursive: true, dereference: true });
    }
  }

  const models = join(outputDir, 'models');
  mkdirSync(models, { recursive: true });
  const card = modelFiles(repoRoot);
  const onnxSha256 = sha256Of(card.onnxPath);
  if (onnxSha256 !== card.sha256) {
    throw new InferenceLayerError(`${card.onnxPath} has sha256 ${onnxSha256}, but its card names ${card.sha256}`);
  }
  for (const [source, rel] of card.files) cpSync(source, join(models, rel), { dereference: true });
  cpSync(sileroModelPath(), join(models, LAYER_SILERO_VAD_FILE));
}

/** A hash of everything the layer is made from, so an unchanged layer is not rebuilt or re-uploaded. */
function layerSourceHash(repoRoot: string): string {
  const hash = createHash('sha256').update('timbre-inference-layer/1');
  for (const dir of onnxRuntimePackages(repoRoot)) hash.update(relative(repoRoot, dir)).update(readFileSync(join(dir, 'package.json')));
  for (const [source, rel] of modelFiles(repoRoot).files) hash.update(rel).update(sha256Of(source));
  hash.update(sha256Of(sileroModelPath()));
  return hash.digest('hex');
}

/**
 * The inference layer: onnxruntime-node for Node 22 on x86_64 Lambda plus the models Timbre ships,
 * assembled by plain file copies (no Docker). Functions that add it find the default model card at
 * {@link LAYER_MODEL_CARD_PATH} and the Silero VAD model at {@link LAYER_SILERO_VAD_PATH}.
 */
export class TimbreInferenceLayer extends Construct {
  public readonly layer: lambda.LayerVersion;
  /** The default model card inside the layer: '/opt/models/timbre-default.json'. */
  public readonly modelCardPath: string = LAYER_MODEL_CARD_PATH;
  /** The Silero VAD model inside the layer: '/opt/models/silero_vad.onnx'. */
  public readonly sileroVadPath: string = LAYER_SILERO_VAD_PATH;
  /** The id of the default speaker model the layer carries, e.g. 'timbre-spk-v1'. */
  public readonly modelId: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.modelId = modelFiles(REPO_ROOT).cardId;
    const code = lambda.Code.fromAsset(REPO_ROOT, {
      // A custom hash of the inputs: hashing the source (the whole repository) would take longer than the copy.
      assetHashType: AssetHashType.CUSTOM,
      assetHash: layerSourceHash(REPO_ROOT),
      bundling: {
        image: DockerImage.fromRegistry('none'), // never pulled: local bundling always succeeds
        local: {
          tryBundle(outputDir: string): boolean {
            bundleInferenceLayer(outputDir);
            return true;
          },
        },
      },
    });
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      code,
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
      compatibleArchitectures: [lambda.Architecture.X86_64],
      description: `Timbre inference: onnxruntime-node (linux-x64) and the speaker model ${this.modelId} with Silero VAD`,
    });
  }
}
