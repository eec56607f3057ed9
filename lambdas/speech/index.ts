export type { ResolvedSpeechOptions, SpeechDetection, SpeechDetectionOptions, SpeechSegment } from './types.js';
export { detectSpeech, resolveSpeechOptions } from './detect-speech.js';
export { extractSpeech, speechSpans } from './segments.js';
export type { SampleSpan } from './segments.js';
export { SILERO_FRAMING, sileroProbabilities, sileroSession } from './silero-vad.js';
export { SILERO_VAD_V6_2_SHA256, sileroModelPath } from './silero-model-file.js';
export { InvalidSpeechOptionError, SpeechError, VadModelError } from './errors.js';
