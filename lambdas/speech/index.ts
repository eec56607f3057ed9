export type { SpeechDetection, SpeechSegment } from './types.js';
export type { SpeechDetectionOptions } from './options.js';
export { detectSpeech } from './detect-speech.js';
export { extractSpeech } from './extract-speech.js';
export { sileroProbabilities, SILERO_FRAMING } from './silero-probabilities.js';
export { SILERO_VAD_V6_2_SHA256, sileroModelPath } from './silero-model.js';
export { InvalidSpeechOptionError, SpeechError, VadModelError } from './errors.js';
