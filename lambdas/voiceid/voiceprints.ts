/**
 * The biometric path every caller shares (CLI, batch enrolment, live-call sessions): recording bytes → decode →
 * net speech → embedding, embeddings → voiceprint (weighted by net speech), voiceprint + probe → scores.
 * Too little speech is an outcome here, not an error, because enrolment leaves such recordings out and callers
 * report it in their own words. Deciding ACCEPT / REJECT from the scores is not this module's job.
 *
 * Not re-exported from ./index.ts: it loads onnxruntime-node (speaker model, Silero VAD), which the functions
 * that import the voiceid index without the inference layer (the lifecycle sweep) must not load.
 */
import { scoreSpoofSpeech, sharesFeatures, type SpoofModel, type SpoofScore } from '../antispoof/index.js';
import type { DecodeOptions } from '../audio/index.js';
import type { Scorer, TrialScore } from '../scoring/index.js';
import {
  InsufficientSpeechError,
  aggregateEmbeddings,
  embedAudio,
  speechOfAudio,
  type AudioEmbedding,
  type AudioSpeech,
  type Embedding,
  type Frames,
  type SpeakerModel,
} from '../voiceprint/index.js';

/** A recording the model embedded. */
export interface EmbeddedRecording extends AudioEmbedding {
  readonly outcome: 'embedded';
}

/** A recording with less speech than the card's windowing.minSeconds: it has no embedding. */
export interface ShortRecording {
  readonly outcome: 'insufficient-speech';
  /** Seconds of speech found in it. */
  readonly speechSeconds: number;
  /** Seconds the model needs (the card's windowing.minSeconds). */
  readonly minSeconds: number;
  /** One sentence for the user, e.g. `0.00 s of speech is less than the 0.5 s the model needs`. */
  readonly reason: string;
}

/** What embedRecording made of one recording. */
export type RecordingEmbedding = EmbeddedRecording | ShortRecording;

/**
 * Embeds the net speech of one recording (see embedAudio for the pipeline).
 * @param decodeOptions - channel, maximum length, raw-PCM rate (see DecodeOptions)
 * @throws AudioError for undecodable audio, VoiceprintError when the model fails; too little speech is returned
 * @example const probe = await embedRecording(model, bytes, { rawPcmSampleRateHz: 8000 });
 *   if (probe.outcome === 'embedded') scoreProbe(scorer, voiceprint, probe);
 */
export async function embedRecording(model: SpeakerModel, bytes: Uint8Array, decodeOptions: DecodeOptions = {}): Promise<RecordingEmbedding> {
  return embeddingOutcome(() => embedAudio(model, bytes, decodeOptions));
}

/** A recording's embedding and the countermeasure's score of the same speech. */
export interface ScreenedRecording {
  readonly recording: RecordingEmbedding;
  /** Undefined when the speech is shorter than the countermeasure's windowing.minSeconds. */
  readonly spoof: SpoofScore | undefined;
}

/**
 * Embeds one recording and scores it for spoofing from one decode, one VAD and one fbank (the countermeasure takes
 * the speaker model's frames, raw).
 * @throws AudioError for undecodable audio, VoiceprintError / AntispoofError when a model fails
 * @example const { recording, spoof } = await embedAndScreenRecording(model, cm, bytes);
 */
export async function embedAndScreenRecording(model: SpeakerModel, spoofModel: SpoofModel, bytes: Uint8Array, decodeOptions: DecodeOptions = {}): Promise<ScreenedRecording> {
  const audio: AudioSpeech = await speechOfAudio(bytes, model.card.sampleRateHz, decodeOptions);
  const frames: Frames = model.features.compute(audio.speech.samples);
  const recording = await embeddingOutcome(() => embedAudio(model, bytes, decodeOptions, { audio, frames }));
  const shared = sharesFeatures(spoofModel, model.card.features, model.card.sampleRateHz);
  const spoof = await scoreSpoofSpeech(spoofModel, audio.speech, shared ? frames : undefined);
  return { recording, spoof };
}

async function embeddingOutcome(embed: () => Promise<AudioEmbedding>): Promise<RecordingEmbedding> {
  try {
    return { outcome: 'embedded', ...(await embed()) };
  } catch (error) {
    if (!(error instanceof InsufficientSpeechError)) throw error;
    return { outcome: 'insufficient-speech', speechSeconds: error.netSpeechSeconds, minSeconds: error.minSeconds, reason: error.message };
  }
}

/** A speaker's voiceprint and what it was made from. */
export interface EnrolledVoiceprint {
  /** L2-normalised mean of the recordings' embeddings, each weighted by its net speech. */
  readonly embedding: Embedding;
  /** Net speech of the recordings used, summed (what an enrolment minimum such as Voice ID's 30 s counts). */
  readonly netSpeechSeconds: number;
  /** Indexes, into the recordings given, of those used. */
  readonly used: readonly number[];
}

/** A recording enrolVoiceprint left out: its index in the recordings given, and why. */
export interface LeftOutRecording {
  readonly index: number;
  readonly recording: ShortRecording;
}

/** What enrolVoiceprint made of a speaker's recordings. */
export type Enrolment =
  | { readonly outcome: 'enrolled'; readonly voiceprint: EnrolledVoiceprint; readonly leftOut: readonly LeftOutRecording[] }
  | { readonly outcome: 'insufficient-speech'; readonly leftOut: readonly LeftOutRecording[] };

/**
 * One voiceprint from recordings of one speaker (files of a batch record, chunks of a call): the embedded ones are
 * aggregated, weighted by net speech; those without enough speech are left out and listed.
 * @returns outcome `insufficient-speech` when no recording has enough speech (or none is given)
 */
export function enrolVoiceprint(recordings: readonly RecordingEmbedding[]): Enrolment {
  const used: EmbeddedRecording[] = [];
  const usedIndexes: number[] = [];
  const leftOut: LeftOutRecording[] = [];
  recordings.forEach((recording, index) => {
    if (recording.outcome === 'embedded') {
      used.push(recording);
      usedIndexes.push(index);
    } else {
      leftOut.push({ index, recording });
    }
  });
  if (used.length === 0) return { outcome: 'insufficient-speech', leftOut };
  const seconds = used.map((r) => r.netSpeechSeconds);
  const embedding = aggregateEmbeddings(used.map((r) => r.embedding), seconds);
  const netSpeechSeconds = seconds.reduce((sum, s) => sum + s, 0);
  return { outcome: 'enrolled', voiceprint: { embedding, netSpeechSeconds, used: usedIndexes }, leftOut };
}

/**
 * Scores a probe against a voiceprint with a card's scorer (cosine, AS-norm with a cohort, calibrated LLR with the
 * probe's net speech, 0–100).
 * @example scoreProbe(createScorer(model.card.scoring), enrolment.voiceprint, probe).score100 // 94
 */
export function scoreProbe(scorer: Scorer, voiceprint: EnrolledVoiceprint, probe: EmbeddedRecording): TrialScore {
  return scorer.score(voiceprint.embedding, probe.embedding, probe.netSpeechSeconds);
}
