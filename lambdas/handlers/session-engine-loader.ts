/**
 * Loads the model-backed session voice engine. A module of its own, imported only by the API handler (which has the
 * inference layer), so that the lifecycle sweep, which shares voiceid-runtime.ts, never bundles onnxruntime-node.
 */
import { loadSpoofModel } from '../antispoof/index.js';
import { createSessionVoiceEngine } from '../voiceid/session-engine.js';
import type { SessionVoiceEngine } from '../voiceid/sessions/index.js';
import { loadSpeakerModel } from '../voiceprint/index.js';
import type { ApiConfig } from './api-config.js';

/** The engine over the configured speaker card, countermeasure card and Silero VAD file. */
export async function loadSessionVoiceEngine(config: ApiConfig): Promise<SessionVoiceEngine> {
  const [model, spoofModel] = await Promise.all([loadSpeakerModel(config.modelCardPath), loadSpoofModel(config.cmCardPath)]);
  return createSessionVoiceEngine(model, { spoofModel, ...(config.vadModelPath !== undefined && { vadModelPath: config.vadModelPath }) });
}
