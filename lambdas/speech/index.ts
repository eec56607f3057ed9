export type { ResolvedSpeechOptions, SpeechDetection, SpeechDetectionOptions, SpeechSegment } from './types.js';
export { detectSpeech, resolveSpeechOptions } from './detect-speech.js';
export { extractSpeech, speechSpans } from './segments.js';
export type { SampleSpan } from './segments.js';
export { sileroProbabilities, sileroSession } from './silero-vad.js';
export { BATCHED_SILERO_IO, SILERO_FRAMING, batchedSileroGraph } from './silero-batched-graph.js';
export { SILERO_VAD_V6_2_SHA256, sileroModelPath } from './silero-model-file.js';
export { InvalidSpeechOptionError, SpeechError, VadModelError } from './errors.js';
