export { DEFAULT_MODEL_CARD_FILE } from './default-model.js';
export { loadModelCard, parseModelCard, parseFeatures, readCardJson, MODEL_CARD_FORMAT } from './model-card.js';
export { CardSection } from './card-fields.js';
export { loadSpeakerModel } from './speaker-model.js';
export type { SpeakerModel, SpeakerModelOptions } from './speaker-model.js';
export { embedSpeech, aggregateEmbeddings, planWindows } from './embed-speech.js';
export { embedAudio, speechOfAudio, vadRunsBeforeResampling } from './voice-pipeline.js';
export type { AudioEmbedding, AudioSpeech, StageTimingsMs } from './voice-pipeline.js';
export type { SpeechEmbedding } from './embed-speech.js';
export { createFeatureExtractor, subtractMean } from './features.js';
export type { FeatureExtractor } from './features.js';
export { l2Normalised } from './vectors.js';
export type {
  CardScoring,
  Embedding,
  FbankWindowKind,
  FeaturesConfig,
  Frames,
  KaldiFbankConfig,
  LogisticCalibration,
  MeanNormalisation,
  ModelCard,
  ModelIo,
  WatchlistCalibrationEntry,
  WindowingPolicy,
} from './types.js';
export {
  VoiceprintError,
  ModelCardError,
  ModelLoadError,
  ModelRunError,
  InvalidVoiceInputError,
  InsufficientSpeechError,
} from './errors.js';
export { appendSpeech, finishEmbedding, emptyEmbeddingState, encodeEmbeddingState, decodeEmbeddingState } from './incremental-embedding.js';
export type { EmbeddingState, StateEmbedding } from './incremental-embedding.js';
