import { AssetHashType, DockerImage, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, type IConstruct } from 'constructs';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYER_MOUNT, LAYER_SILERO_VAD_PATH } from './contract/layer-paths.js';
import { InferenceLayerError, inferenceLayerInputs, isInside, layerModels, onnxRuntimePackages, type LayerSources } from './inference-layer-files.js';

/** Repository root: the layer's sources (node_modules, models) are read from here. */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Construct id of the layer {@link TimbreInferenceLayer.of} makes at a stack's root. */
const STACK_LAYER_ID = 'Inference';

/** Only the N-API binding the Lambda runs (Node 22, x86_64); the other platforms' binaries are 240 MB more. */
const KEPT_BINDING = join('bin', 'napi-v6', 'linux', 'x64');

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Writes the layer's contents into `outputDir`: `nodejs/node_modules/` with onnxruntime-node (linux-x64
 * binding only) and its dependencies, `models/` with the speaker model card, the files it names, the
 * countermeasure's card and ONNX file and the Silero VAD model. Fails, before copying anything, if an ONNX file's
 * sha256 differs from the one its card names.
 */
export function bundleInferenceLayer(outputDir: string, sources: LayerSources = {}): void {
  const repoRoot = sources.repoRoot ?? REPO_ROOT;
  const models = layerModels(sources);
  for (const card of [models, models.cm]) {
    const onnxSha256 = sha256Of(card.onnxPath);
    if (onnxSha256 !== card.sha256) throw new InferenceLayerError(`${card.onnxPath} has sha256 ${onnxSha256}, but its card names ${card.sha256}`);
  }
  const nodeModules = join(repoRoot, 'node_modules');
  for (const source of onnxRuntimePackages(repoRoot)) {
    const rel = relative(nodeModules, source);
    if (!isInside(nodeModules, source)) throw new InferenceLayerError(`${source} lies outside ${nodeModules}`);
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

  for (const file of models.files) {
    const target = join(outputDir, relative(LAYER_MOUNT, file.layerPath));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file.source, target, { dereference: true });
  }
}

/** A hash of everything the layer is made from, so an unchanged layer is not rebuilt or re-uploaded. */
function layerSourceHash(sources: LayerSources): string {
  const repoRoot = sources.repoRoot ?? REPO_ROOT;
  const hash = createHash('sha256').update('timbre-inference-layer/2');
  for (const input of inferenceLayerInputs(sources)) hash.update(relative(repoRoot, input)).update(sha256Of(input));
  return hash.digest('hex');
}

/** Props of {@link TimbreInferenceLayer}: the speaker model card it ships, and the checkout it is built from. */
export type TimbreInferenceLayerProps = LayerSources;

/**
 * The inference layer: onnxruntime-node for Node 22 on x86_64 Lambda plus the models Timbre runs,
 * assembled by plain file copies (no Docker). Functions that add it find the speaker model card at
 * {@link modelCardPath} and the Silero VAD model at {@link LAYER_SILERO_VAD_PATH}. A stack has one only when a
 * function runs a model ({@link TimbreInferenceLayer.of}, used by `TimbreFunction`'s `inference` prop), or when it
 * chose the layer's speaker model ({@link TimbreInferenceLayer.create}).
 */
export class TimbreInferenceLayer extends Construct {
  /** The stack's one inference layer, made on first use at the stack's root (id 'Inference') with the default card. */
  static of(scope: IConstruct): TimbreInferenceLayer {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(STACK_LAYER_ID);
    return existing instanceof TimbreInferenceLayer ? existing : new TimbreInferenceLayer(stack, STACK_LAYER_ID);
  }

  /**
   * Makes the stack's one inference layer with `props`, which every function added later gets through {@link of}.
   * @throws InferenceLayerError when the stack has one already, so no function runs another model than the one chosen
   */
  static create(stack: Stack, props: TimbreInferenceLayerProps): TimbreInferenceLayer {
    if (stack.node.tryFindChild(STACK_LAYER_ID) !== undefined) {
      throw new InferenceLayerError(`${stack.node.path} has its layer already; create it before adding any function that runs a model`);
    }
    return new TimbreInferenceLayer(stack, STACK_LAYER_ID, props);
  }

  public readonly layer: lambda.LayerVersion;
  /** The speaker model card inside the layer, e.g. '/opt/models/timbre-default.json'. */
  public readonly modelCardPath: string;
  /** The countermeasure's card inside the layer: '/opt/models/timbre-cm.json'. */
  public readonly cmCardPath: string;
  /** The Silero VAD model inside the layer: '/opt/models/silero_vad.onnx'. */
  public readonly sileroVadPath: string = LAYER_SILERO_VAD_PATH;
  /** The id of the speaker model the layer carries, e.g. 'timbre-spk-v1'. */
  public readonly modelId: string;
  /** The id of the countermeasure the layer carries, e.g. 'timbre-cm-v1'. */
  public readonly cmId: string;

  constructor(scope: Construct, id: string, props: TimbreInferenceLayerProps = {}) {
    super(scope, id);
    const sources = { ...props, repoRoot: props.repoRoot ?? REPO_ROOT };
    // Read now, so a card that is missing, invalid or outside models/ fails the synth.
    const models = layerModels(sources);
    this.modelCardPath = models.layerPath;
    this.cmCardPath = models.cm.layerPath;
    this.modelId = models.cardId;
    this.cmId = models.cm.cardId;
    const code = lambda.Code.fromAsset(sources.repoRoot, {
      // A custom hash of the inputs: hashing the source (the whole repository) would take longer than the copy.
      assetHashType: AssetHashType.CUSTOM,
      assetHash: layerSourceHash(sources),
      bundling: {
        image: DockerImage.fromRegistry('none'), // never pulled: local bundling always succeeds
        local: {
          tryBundle(outputDir: string): boolean {
            bundleInferenceLayer(outputDir, sources);
            return true;
          },
        },
      },
    });
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      code,
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
      compatibleArchitectures: [lambda.Architecture.X86_64],
      description: `Timbre inference: onnxruntime-node (linux-x64), the speaker model ${this.modelId}, the countermeasure ${this.cmId} and Silero VAD`,
    });
  }
}
