/**
 * The voice engine of sessions (the SessionVoiceEngine port): bytes or PCM → resample → Silero VAD → net speech →
 * incremental embedding and incremental spoof score (the countermeasure, when given), and the card's scorer. Raw PCM pieces are held back until a few seconds have arrived
 * (or the stream ends) before the VAD runs, so tiny pieces do not lose speech at their edges.
 *
 * Not re-exported from ./index.ts: it loads onnxruntime-node (speaker model, Silero VAD), which the functions
 * that import the voiceid index without the inference layer (the lifecycle sweep) must not load.
 */
import {
  appendSpoofSpeech,
  decodeSpoofState,
  emptySpoofState,
  encodeSpoofState,
  finishSpoofScore,
  spoofRisk100,
  type SpoofModel,
  type SpoofState,
} from '../antispoof/index.js';
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
/** 2 added the spoof state; a format-1 state (from before) reads as one with no spoof state yet. */
const STATE_FORMAT = 2;
const STATE_FORMAT_WITHOUT_SPOOF = 1;
/** Rates raw PCM pieces may have (telephone and wide-band). */
export const PCM_RATES_HZ: readonly number[] = [8000, 16000, 22050, 24000, 32000, 44100, 48000];

/** The engine state: raw PCM not yet through the VAD, and the embedding and spoof states of the speech so far. */
interface EngineState {
  readonly rawRateHz: number;
  readonly raw: Int16Array;
  readonly embedding: EmbeddingState;
  readonly spoof: SpoofState;
}

/** The parts of the running state that follow the net speech. */
type SpeechStates = Pick<EngineState, 'embedding' | 'spoof'>;

/** What the engine runs besides the speaker model. */
export interface SessionVoiceEngineOptions {
  readonly vadModelPath?: string;
  /** The voice-spoofing countermeasure; without it, evaluations carry no VoiceSpoofingRisk. */
  readonly spoofModel?: SpoofModel;
}

/**
 * The session voice engine over a loaded speaker model and, when given, the countermeasure.
 * @throws Error when the countermeasure takes another sample rate than the speaker model (they share the net speech)
 * @example const engine = createSessionVoiceEngine(await loadSpeakerModel(cardPath), { spoofModel: await loadSpoofModel(cmPath) });
 */
export function createSessionVoiceEngine(model: SpeakerModel, options: SessionVoiceEngineOptions = {}): SessionVoiceEngine {
  const vad = options.vadModelPath === undefined ? {} : { modelPath: options.vadModelPath };
  const cm = options.spoofModel;
  if (cm !== undefined && cm.card.sampleRateHz !== model.card.sampleRateHz) {
    throw new Error(`countermeasure ${cm.card.id} takes ${cm.card.sampleRateHz} Hz speech but speaker model ${model.card.id} takes ${model.card.sampleRateHz} Hz; sessions feed both the same speech`);
  }
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

  /** Both running states after `pcm`'s net speech (the VAD runs once for both models). */
  async function takePcm(states: SpeechStates, pcm: Pcm): Promise<SpeechStates> {
    if (pcm.samples.length === 0) return states;
    const speech = await netSpeech(pcm);
    if (speech.samples.length === 0) return states;
    return {
      embedding: await appendSpeech(model, states.embedding, speech),
      spoof: cm === undefined ? states.spoof : await appendSpoofSpeech(cm, states.spoof, speech),
    };
  }

  return {
    ...(watchlistCalibration !== undefined && { watchlistCalibration }),

    async addAudio(bytes: Uint8Array | undefined, audio: SessionAudio | undefined, flush: boolean): Promise<EngineStep> {
      let state: EngineState =
        bytes === undefined ? { rawRateHz: 8000, raw: new Int16Array(0), embedding: emptyEmbeddingState(), spoof: emptySpoofState() } : decodeState(bytes);
      /** The state once the raw PCM held back has been through the VAD and both models. */
      const heldBackTaken = async (): Promise<EngineState> => ({ ...state, raw: new Int16Array(0), ...(await takePcm(state, int16Pcm(state.raw, state.rawRateHz))) });
      if (audio?.kind === 'file') {
        // A whole file is its own context: decode it first (a bad file changes nothing), then run what was held back.
        const decoded = await decodeAudio(audio.bytes, audio.channel === undefined ? {} : { channel: audio.channel });
        state = await heldBackTaken();
        state = { ...state, ...(await takePcm(state, decoded)) };
      } else if (audio?.kind === 'pcm') {
        if (!PCM_RATES_HZ.includes(audio.sampleRateHz)) throw new UnsupportedSampleRateError(audio.sampleRateHz, PCM_RATES_HZ.join(', '));
        if (audio.sampleRateHz !== state.rawRateHz && state.raw.length > 0) state = await heldBackTaken();
        const raw = new Int16Array(state.raw.length + audio.samples.length);
        raw.set(state.raw);
        raw.set(audio.samples, state.raw.length);
        state = { ...state, rawRateHz: audio.sampleRateHz, raw };
      }
      // Held back: 3 s at up to 16 kHz (less time at higher rates), so the stored state stays small.
      if (flush || state.raw.length >= VAD_CONTEXT_SECONDS * Math.min(state.rawRateHz, 16000)) state = await heldBackTaken();
      return { state: encodeState(state), netSpeechSeconds: state.embedding.speechSeconds };
    },

    async modelId(): Promise<string> {
      return model.card.id;
    },

    async voiceprint(bytes: Uint8Array): Promise<Float32Array | undefined> {
      try {
        return (await finishEmbedding(model, decodeState(bytes).embedding)).embedding;
      } catch (error) {
        if (error instanceof InsufficientSpeechError) return undefined;
        throw error;
      }
    },

    async spoofRisk(bytes: Uint8Array): Promise<number | undefined> {
      if (cm === undefined) return undefined;
      const score = await finishSpoofScore(cm, decodeState(bytes).spoof);
      return score === undefined ? undefined : spoofRisk100(score.risk);
    },

    score(voiceprint: Float32Array, probe: Float32Array, probeSeconds: number) {
      const { score100, llr } = scorer.score(voiceprint, probe, probeSeconds);
      return { score100, llr };
    },
  };
}

function int16Pcm(samples: Int16Array, sampleRateHz: number): Pcm {
  return { sampleRateHz, samples: int16ToFloat(samples) };
}

/** Format 2: format, raw rate, raw length, raw int16s, embedding state length, embedding state, spoof state. */
function encodeState(state: EngineState): Uint8Array {
  const embedding = encodeEmbeddingState(state.embedding);
  const spoof = encodeSpoofState(state.spoof);
  const rawEnd = 12 + state.raw.length * 2;
  const out = new Uint8Array(rawEnd + 4 + embedding.length + spoof.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, STATE_FORMAT, true);
  view.setUint32(4, state.rawRateHz, true);
  view.setUint32(8, state.raw.length, true);
  state.raw.forEach((v, i) => view.setInt16(12 + i * 2, v, true));
  view.setUint32(rawEnd, embedding.length, true);
  out.set(embedding, rawEnd + 4);
  out.set(spoof, rawEnd + 4 + embedding.length);
  return out;
}

/** A state of format 2, or of format 1 (written before the countermeasure: its spoof state starts empty). */
function decodeState(bytes: Uint8Array): EngineState {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = bytes.byteLength < 12 ? 0 : view.getUint32(0, true);
  if (format !== STATE_FORMAT && format !== STATE_FORMAT_WITHOUT_SPOOF) throw new Error('not a session engine state');
  const rawRateHz = view.getUint32(4, true);
  const raw = new Int16Array(view.getUint32(8, true));
  for (let i = 0; i < raw.length; i++) raw[i] = view.getInt16(12 + i * 2, true);
  const rawEnd = 12 + raw.length * 2;
  if (format === STATE_FORMAT_WITHOUT_SPOOF) return { rawRateHz, raw, embedding: decodeEmbeddingState(bytes.subarray(rawEnd)), spoof: emptySpoofState() };
  const embeddingEnd = rawEnd + 4 + view.getUint32(rawEnd, true);
  return { rawRateHz, raw, embedding: decodeEmbeddingState(bytes.subarray(rawEnd + 4, embeddingEnd)), spoof: decodeSpoofState(bytes.subarray(embeddingEnd)) };
}
