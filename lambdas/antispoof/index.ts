/**
 * The voice-spoofing countermeasure (docs/antispoof.md): its card, its ONNX model, and the spoof risk of net
 * speech, whole or in pieces. Knows nothing of Voice ID, storage or HTTP.
 */
export { DEFAULT_CM_CARD_FILE } from './default-model.js';
export { loadCmCard, parseCmCard, MAX_CM_PARAMS } from './cm-card.js';
export { loadSpoofModel } from './spoof-model.js';
export type { SpoofModel } from './spoof-model.js';
export { poolSpoofScores, scoreSpoofSpeech, sharesFeatures, SPOOF_BATCH } from './score-speech.js';
export { spoofRisk, spoofRisk100 } from './risk.js';
export { planSpoofWindows, windowFrames } from './windows.js';
export type { SpoofWindow, WindowFrames } from './windows.js';
export { appendSpoofSpeech, finishSpoofScore, emptySpoofState, encodeSpoofState, decodeSpoofState } from './incremental.js';
export type { SpoofState } from './incremental.js';
export { spoofMetrics, DEFAULT_SPOOF_THRESHOLD } from './metrics.js';
export type { SpoofMetrics, SpoofTrial } from './metrics.js';
export { parseSpoofList, readSpoofList } from './spoof-list.js';
export type { SpoofListEntry } from './spoof-list.js';
export { CM_CARD_FORMAT } from './types.js';
export type { CmCard, SpoofCalibration, SpoofScore, SpoofWindowing } from './types.js';
export { AntispoofError, InvalidSpoofInputError, SpoofListError, SpoofMetricsError, SpoofModelLoadError, SpoofModelRunError } from './errors.js';
