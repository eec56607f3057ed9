import { resolve } from 'node:path';
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import { OnnxModelError, openOnnxSession, processCache, type OnnxRunOptions } from '../onnx/index.js';
import { ModelLoadError, ModelRunError } from './errors.js';
import { createFeatureExtractor, type FeatureExtractor } from './features.js';
import { loadModelCard } from './model-card.js';
import type { Frames, ModelCard } from './types.js';

/** How to run a model (onnxruntime threads): the operator's choice, everything else comes from the card. */
export type SpeakerModelOptions = OnnxRunOptions;

/** A loaded speaker-embedding model: its card, its front end and its ONNX session. */
export interface SpeakerModel {
  readonly card: ModelCard;
  readonly features: FeatureExtractor;
  /** Milliseconds spent loading (card, checksum, session, warm-up run). */
  readonly loadMs: number;
  /**
   * Runs the network on equally long feature windows as one batch `[B, T, dim]`.
   * @returns one raw (not normalised) embedding of io.embeddingDim per window
   */
  embedFrames(windows: readonly Frames[]): Promise<Float32Array[]>;
}

const models = processCache<SpeakerModel>();

/**
 * Loads a model once per process (cached by card path and thread count): parses the card, checks the ONNX file's
 * sha256, opens the session, checks its input/output names and that a warm-up run gives `[1, embeddingDim]`.
 * @throws ModelCardError for a bad card, ModelLoadError when the ONNX file does not match it
 * @example const model = await loadSpeakerModel('models/timbre-default.json');
 */
export function loadSpeakerModel(cardPath: string, options: SpeakerModelOptions = {}): Promise<SpeakerModel> {
  const threads = options.intraOpThreads ?? 1;
  return models(`${resolve(cardPath)}\u0000${threads}`, () => openModel(cardPath, threads));
}

/** The card's wording of a failure to open its ONNX file. */
function modelLoadError(card: ModelCard, error: unknown): unknown {
  if (!(error instanceof OnnxModelError)) return error;
  const options = { cause: error };
  switch (error.reason) {
    case 'unreadable':
      return new ModelLoadError(`model ${card.id}: cannot read ${card.onnxPath} (named by ${card.cardPath} "onnx")`, options);
    case 'checksum':
      return new ModelLoadError(
        `model ${card.id}: ${card.onnxPath} has sha256 ${error.actualSha256}, the card says ${card.sha256}; a wrong or damaged file, or a card to update`,
        options,
      );
    case 'options':
      return new ModelLoadError(error.message, options);
    default:
      return new ModelLoadError(`model ${card.id}: ${error.message}`, options);
  }
}

async function openModel(cardPath: string, intraOpThreads: number): Promise<SpeakerModel> {
  const started = performance.now();
  const card = loadModelCard(cardPath);
  let session: InferenceSession;
  try {
    session = await openOnnxSession({ path: card.onnxPath, sha256: card.sha256 }, { intraOpThreads });
  } catch (error) {
    throw modelLoadError(card, error);
  }
  const { input, output, embeddingDim } = card.io;
  if (session.inputNames.length !== 1 || session.inputNames[0] !== input) {
    throw new ModelLoadError(`model ${card.id}: the card's io.input is "${input}" but the ONNX inputs are [${session.inputNames.join(', ')}]; fix io.input`);
  }
  if (!session.outputNames.includes(output)) {
    throw new ModelLoadError(`model ${card.id}: the card's io.output is "${output}" but the ONNX outputs are [${session.outputNames.join(', ')}]; fix io.output`);
  }
  const features = createFeatureExtractor(card.features, card.sampleRateHz);
  const dim = features.dim;

  async function embedFrames(windows: readonly Frames[]): Promise<Float32Array[]> {
    if (windows.length === 0) return [];
    const numFrames = windows[0]!.numFrames;
    const batch = new Float32Array(windows.length * numFrames * dim);
    windows.forEach((w, i) => {
      if (w.numFrames !== numFrames || w.dim !== dim) throw new ModelRunError(`batch windows must all be ${numFrames}×${dim}, got ${w.numFrames}×${w.dim}`);
      batch.set(w.data, i * numFrames * dim);
    });
    let result: InferenceSession.OnnxValueMapType;
    try {
      result = await session.run({ [input]: new Tensor('float32', batch, [windows.length, numFrames, dim]) }, [output]);
    } catch (error) {
      throw new ModelRunError(`model ${card.id} failed on a [${windows.length}, ${numFrames}, ${dim}] input: ${(error as Error).message}`, { cause: error });
    }
    const tensor = result[output] as Tensor;
    if (tensor.type !== 'float32' || tensor.dims.length !== 2 || tensor.dims[0] !== windows.length || tensor.dims[1] !== embeddingDim) {
      throw new ModelRunError(`model ${card.id} returned ${tensor.type} [${tensor.dims.join(', ')}], the card promises float32 [${windows.length}, ${embeddingDim}]; fix io.embeddingDim`);
    }
    const data = tensor.data as Float32Array;
    return windows.map((_, i) => data.slice(i * embeddingDim, (i + 1) * embeddingDim));
  }

  // One second of silence through the network: shape mismatches surface at load, not on the first caller.
  await embedFrames([{ numFrames: 100, dim, data: new Float32Array(100 * dim) }]).catch((error: unknown) => {
    throw new ModelLoadError(`model ${card.id}: warm-up run failed: ${(error as Error).message}`, { cause: error });
  });
  return { card, features, loadMs: performance.now() - started, embedFrames };
}
