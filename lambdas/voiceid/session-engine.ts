/**
 * The voice engine of sessions (the SessionVoiceEngine port): bytes or PCM → resample → Silero VAD → net speech →
 * incremental embedding, and the card's scorer. Raw PCM pieces are held back until a few seconds have arrived
 * (or the stream ends) before the VAD runs, so tiny pieces do not lose speech at their edges.
 *
 * Not re-exported from ./index.ts: it loads onnxruntime-node (speaker model, Silero VAD), which the functions
 * that import the voiceid index without the inference layer (the lifecycle sweep) must not load.
 */
import { UnsupportedSampleRateError, decodeAudio, int16ToFloat, resample, type Pcm } from '../audio/index.js';
import { createScorer } from '../scoring/index.js';
import { detectSpeech, extractSpeech } from '../speech/index.js';
import {
  InsufficientSpeechError,
  appendSpeech,
  decodeEmbeddingState,
  emptyEmbeddingState,
  encodeEmbeddingState,
  finishEmbedding,
  vadRunsBeforeResampling,
  type EmbeddingState,
  type SpeakerModel,
} from '../voiceprint/index.js';
import type { EngineStep, SessionAudio, SessionVoiceEngine } from './sessions/engine.js';

/** Raw PCM held back before voice activity detection runs on it. */
export const VAD_CONTEXT_SECONDS = 3;
const STATE_FORMAT = 1;
/** Rates raw PCM pieces may have (telephone and wide-band). */
export const PCM_RATES_HZ: readonly number[] = [8000, 16000, 22050, 24000, 32000, 44100, 48000];

/** The engine state: raw PCM not yet through the VAD, and the embedding state of the speech so far. */
interface EngineState {
  readonly rawRateHz: number;
  readonly raw: Int16Array;
  readonly embedding: EmbeddingState;
}

/**
 * The session voice engine over a loaded speaker model.
 * @example const engine = createSessionVoiceEngine(await loadSpeakerModel(cardPath));
 */
export function createSessionVoiceEngine(model: SpeakerModel, options: { readonly vadModelPath?: string } = {}): SessionVoiceEngine {
  const vad = options.vadModelPath === undefined ? {} : { modelPath: options.vadModelPath };
  const scorer = createScorer(model.card.scoring);
  // A calibration of the watchlist LLR may be added to the card's scoring section (docs/models.md); identity without.
  const watchlistCalibration = model.card.scoring.watchlistCalibration ?? undefined;

  /** Net speech of `pcm` at the model's rate, VAD before resampling at 8 and 16 kHz (as embedAudio does). */
  async function netSpeech(pcm: Pcm): Promise<Pcm> {
    const toModelRate = (p: Pcm): Pcm => (p.sampleRateHz === model.card.sampleRateHz || p.samples.length === 0 ? p : resample(p, model.card.sampleRateHz));
    if (vadRunsBeforeResampling(pcm.sampleRateHz)) return toModelRate(extractSpeech(pcm, (await detectSpeech(pcm, vad)).segments));
    const atModelRate = toModelRate(pcm);
    return extractSpeech(atModelRate, (await detectSpeech(atModelRate, vad)).segments);
  }

  async function embedPcm(embedding: EmbeddingState, pcm: Pcm): Promise<EmbeddingState> {
    if (pcm.samples.length === 0) return embedding;
    const speech = await netSpeech(pcm);
    return speech.samples.length === 0 ? embedding : appendSpeech(model, embedding, speech);
  }

  return {
    ...(watchlistCalibration !== undefined && { watchlistCalibration }),

    async addAudio(bytes: Uint8Array | undefined, audio: SessionAudio | undefined, flush: boolean): Promise<EngineStep> {
      let state = bytes === undefined ? { rawRateHz: 8000, raw: new Int16Array(0), embedding: emptyEmbeddingState() } : decodeState(bytes);
      if (audio?.kind === 'file') {
        // A whole file is its own context: decode it first (a bad file changes nothing), then run what was held back.
        const decoded = await decodeAudio(audio.bytes, audio.channel === undefined ? {} : { channel: audio.channel });
        const embedding = await embedPcm(state.embedding, int16Pcm(state.raw, state.rawRateHz));
        state = { ...state, raw: new Int16Array(0), embedding: await embedPcm(embedding, decoded) };
      } else if (audio?.kind === 'pcm') {
        if (!PCM_RATES_HZ.includes(audio.sampleRateHz)) throw new UnsupportedSampleRateError(audio.sampleRateHz, PCM_RATES_HZ.join(', '));
        if (audio.sampleRateHz !== state.rawRateHz && state.raw.length > 0) {
          state = { ...state, raw: new Int16Array(0), embedding: await embedPcm(state.embedding, int16Pcm(state.raw, state.rawRateHz)) };
        }
        const raw = new Int16Array(state.raw.length + audio.samples.length);
        raw.set(state.raw);
        raw.set(audio.samples, state.raw.length);
        state = { ...state, rawRateHz: audio.sampleRateHz, raw };
      }
      // Held back: 3 s at up to 16 kHz (less time at higher rates), so the stored state stays small.
      if (flush || state.raw.length >= VAD_CONTEXT_SECONDS * Math.min(state.rawRateHz, 16000)) {
        state = { ...state, raw: new Int16Array(0), embedding: await embedPcm(state.embedding, int16Pcm(state.raw, state.rawRateHz)) };
      }
      return { state: encodeState(state), netSpeechSeconds: state.embedding.speechSeconds };
    },

    async voiceprint(bytes: Uint8Array): Promise<Float32Array | undefined> {
      try {
        return (await finishEmbedding(model, decodeState(bytes).embedding)).embedding;
      } catch (error) {
        if (error instanceof InsufficientSpeechError) return undefined;
        throw error;
      }
    },

    score(voiceprint: Float32Array, probe: Float32Array) {
      const { score100, llr } = scorer.score(voiceprint, probe);
      return { score100, llr };
    },
  };
}

function int16Pcm(samples: Int16Array, sampleRateHz: number): Pcm {
  return { sampleRateHz, samples: int16ToFloat(samples) };
}

function encodeState(state: EngineState): Uint8Array {
  const embedding = encodeEmbeddingState(state.embedding);
  const out = new Uint8Array(12 + state.raw.length * 2 + embedding.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, STATE_FORMAT, true);
  view.setUint32(4, state.rawRateHz, true);
  view.setUint32(8, state.raw.length, true);
  state.raw.forEach((v, i) => view.setInt16(12 + i * 2, v, true));
  out.set(embedding, 12 + state.raw.length * 2);
  return out;
}

function decodeState(bytes: Uint8Array): EngineState {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || view.getUint32(0, true) !== STATE_FORMAT) throw new Error('not a session engine state');
  const rawRateHz = view.getUint32(4, true);
  const raw = new Int16Array(view.getUint32(8, true));
  for (let i = 0; i < raw.length; i++) raw[i] = view.getInt16(12 + i * 2, true);
  return { rawRateHz, raw, embedding: decodeEmbeddingState(bytes.subarray(12 + raw.length * 2)) };
}
