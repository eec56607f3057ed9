import { resolve } from 'node:path';
import { Tensor, type InferenceSession } from 'onnxruntime-node';
import { OnnxModelError, openOnnxSession, processCache, type OnnxRunOptions } from '../onnx/index.js';
import { createFeatureExtractor, type FeatureExtractor, type Frames } from '../voiceprint/index.js';
import { loadCmCard } from './cm-card.js';
import { SpoofModelLoadError, SpoofModelRunError } from './errors.js';
import type { CmCard } from './types.js';

/** A loaded countermeasure: its card, its front end (the speaker model's settings) and its ONNX session. */
export interface SpoofModel {
  readonly card: CmCard;
  readonly features: FeatureExtractor;
  /** Milliseconds spent loading (card, checksum, session, warm-up run). */
  readonly loadMs: number;
  /**
   * Runs the network on equally long raw fbank windows as one batch `[B, T, dim]`.
   * @returns one spoof log-odds per window (positive = spoof)
   */
  logits(windows: readonly Frames[]): Promise<Float32Array>;
}

const models = processCache<SpoofModel>();

/**
 * Loads a countermeasure once per process (cached by card path and thread count): parses the card, checks the
 * ONNX file's sha256, opens the session, checks its tensor names and that a warm-up run gives one logit.
 * @throws ModelCardError for a bad card, SpoofModelLoadError when the ONNX file does not match it
 * @example const cm = await loadSpoofModel('models/timbre-cm.json');
 */
export function loadSpoofModel(cardPath: string, options: OnnxRunOptions = {}): Promise<SpoofModel> {
  const threads = options.intraOpThreads ?? 1;
  return models(`${resolve(cardPath)}\u0000${threads}`, () => openModel(cardPath, threads));
}

function loadError(card: CmCard, error: unknown): unknown {
  if (!(error instanceof OnnxModelError)) return error;
  const options = { cause: error };
  switch (error.reason) {
    case 'unreadable':
      return new SpoofModelLoadError(`countermeasure ${card.id}: cannot read ${card.onnxPath} (named by ${card.cardPath} "onnx")`, options);
    case 'checksum':
      return new SpoofModelLoadError(
        `countermeasure ${card.id}: ${card.onnxPath} has sha256 ${error.actualSha256}, the card says ${card.sha256}; a wrong or damaged file, or a card to update`,
        options,
      );
    default:
      return new SpoofModelLoadError(`countermeasure ${card.id}: ${error.message}`, options);
  }
}

async function openModel(cardPath: string, intraOpThreads: number): Promise<SpoofModel> {
  const started = performance.now();
  const card = loadCmCard(cardPath);
  let session: InferenceSession;
  try {
    session = await openOnnxSession({ path: card.onnxPath, sha256: card.sha256 }, { intraOpThreads });
  } catch (error) {
    throw loadError(card, error);
  }
  const { input, output } = card.io;
  if (session.inputNames.length !== 1 || session.inputNames[0] !== input) {
    throw new SpoofModelLoadError(`countermeasure ${card.id}: the card's io.input is "${input}" but the ONNX inputs are [${session.inputNames.join(', ')}]; fix io.input`);
  }
  if (!session.outputNames.includes(output)) {
    throw new SpoofModelLoadError(`countermeasure ${card.id}: the card's io.output is "${output}" but the ONNX outputs are [${session.outputNames.join(', ')}]; fix io.output`);
  }
  const features = createFeatureExtractor(card.features, card.sampleRateHz);
  const dim = features.dim;

  async function logits(windows: readonly Frames[]): Promise<Float32Array> {
    if (windows.length === 0) return new Float32Array(0);
    const numFrames = windows[0]!.numFrames;
    const batch = new Float32Array(windows.length * numFrames * dim);
    windows.forEach((w, i) => {
      if (w.numFrames !== numFrames || w.dim !== dim) throw new SpoofModelRunError(`batch windows must all be ${numFrames}×${dim}, got ${w.numFrames}×${w.dim}`);
      batch.set(w.data, i * numFrames * dim);
    });
    let result: InferenceSession.OnnxValueMapType;
    try {
      result = await session.run({ [input]: new Tensor('float32', batch, [windows.length, numFrames, dim]) }, [output]);
    } catch (error) {
      throw new SpoofModelRunError(`countermeasure ${card.id} failed on a [${windows.length}, ${numFrames}, ${dim}] input: ${(error as Error).message}`, { cause: error });
    }
    const tensor = result[output] as Tensor;
    // [B] as the contract says; [B, 1] is the same numbers and is taken too.
    const shapeOk = tensor.dims[0] === windows.length && (tensor.dims.length === 1 || (tensor.dims.length === 2 && tensor.dims[1] === 1));
    if (tensor.type !== 'float32' || !shapeOk) {
      throw new SpoofModelRunError(`countermeasure ${card.id} returned ${tensor.type} [${tensor.dims.join(', ')}]; the contract is float32 [${windows.length}] (one logit per window)`);
    }
    return Float32Array.from(tensor.data as Float32Array);
  }

  // One second of silence through the network: shape mismatches surface at load, not on the first caller.
  await logits([{ numFrames: 100, dim, data: new Float32Array(100 * dim) }]).catch((error: unknown) => {
    throw new SpoofModelLoadError(`countermeasure ${card.id}: warm-up run failed: ${(error as Error).message}`, { cause: error });
  });
  return { card, features, loadMs: performance.now() - started, logits };
}
