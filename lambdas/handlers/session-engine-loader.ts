/**
 * Loads the model-backed session voice engine. A module of its own, imported only by the API handler (which has the
 * inference layer), so that the lifecycle sweep, which shares voiceid-runtime.ts, never bundles onnxruntime-node.
 */
import { createSessionVoiceEngine } from '../voiceid/session-engine.js';
import type { SessionVoiceEngine } from '../voiceid/sessions/index.js';
import { loadSpeakerModel } from '../voiceprint/index.js';
import type { ApiConfig } from './api-config.js';

/** The engine over the configured model card and Silero VAD file. */
export async function loadSessionVoiceEngine(config: ApiConfig): Promise<SessionVoiceEngine> {
  const model = await loadSpeakerModel(config.modelCardPath);
  return createSessionVoiceEngine(model, config.vadModelPath === undefined ? {} : { vadModelPath: config.vadModelPath });
}
