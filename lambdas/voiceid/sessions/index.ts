/**
 * Sessions: enrolling and verifying callers during a call (docs/sessions.md). Not re-exported from
 * lambdas/voiceid/index.ts, so the functions that import that index never load the voice engine's code paths.
 */
export {
  createSessionService,
  SessionService,
  ENROLLMENT_SPEECH_SECONDS,
  DEFAULT_MIN_SPEECH_SECONDS,
  DEFAULT_RISK_THRESHOLD,
  MIN_SPEECH_RANGE,
} from './service.js';
export type { StartSessionInput, SessionChanges, PutAudioInput, SessionAudioReader } from './service.js';
export type { SessionVoiceEngine, SessionAudio, EngineStep } from './engine.js';
export { decideAuthentication, decideFraud, resultId } from './decisions.js';
export type { AuthenticationFacts } from './decisions.js';
export type * from './types.js';
