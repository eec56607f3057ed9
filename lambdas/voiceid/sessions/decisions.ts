/** Voice ID's session decisions as pure rules, in the order docs/sessions.md gives them. */
import { createHash } from 'node:crypto';
import type { SpeakerStatus } from '../types.js';
import type { AuthenticationDecision, FraudDetectionDecision, FraudDetectionReason } from './types.js';

/** What the authentication decision is made from. */
export interface AuthenticationFacts {
  readonly speakerSet: boolean;
  /** The status Voice ID reports for the speaker now (EXPIRED included); undefined when there is no such speaker. */
  readonly speakerStatus: SpeakerStatus | undefined;
  /** Whether the speaker has a voiceprint to compare with. */
  readonly hasVoiceprint: boolean;
  readonly netSpeechSeconds: number;
  readonly minSpeechSeconds: number;
  /** The 0–100 score; only needed when the rules before it pass. */
  readonly score?: number;
  readonly acceptanceThreshold: number;
}

/**
 * The first rule that applies: no speaker set; no such speaker or not enrolled; opted out; expired; too little
 * speech; then ACCEPT at or above the threshold, else REJECT.
 * @example decideAuthentication({ speakerSet: false, ... }) // 'SPEAKER_ID_NOT_PROVIDED'
 */
export function decideAuthentication(facts: AuthenticationFacts): AuthenticationDecision {
  if (!facts.speakerSet) return 'SPEAKER_ID_NOT_PROVIDED';
  if (facts.speakerStatus === undefined || facts.speakerStatus === 'PENDING') return 'SPEAKER_NOT_ENROLLED';
  if (facts.speakerStatus === 'OPTED_OUT') return 'SPEAKER_OPTED_OUT';
  if (facts.speakerStatus === 'EXPIRED') return 'SPEAKER_EXPIRED';
  if (!facts.hasVoiceprint) return 'SPEAKER_NOT_ENROLLED';
  if (facts.netSpeechSeconds < facts.minSpeechSeconds) return 'NOT_ENOUGH_SPEECH';
  if (facts.score === undefined) return 'NOT_ENOUGH_SPEECH';
  return facts.score >= facts.acceptanceThreshold ? 'ACCEPT' : 'REJECT';
}

/** The 0–100 risks a fraud decision is made from; voiceSpoofing is absent where no countermeasure scored the speech. */
export interface FraudRisks {
  readonly knownFraudster: number | undefined;
  readonly voiceSpoofing?: number | undefined;
}

/**
 * NOT_ENOUGH_SPEECH below the minimum (or without a known-fraudster risk), else HIGH_RISK when either risk is at or
 * above the threshold, with the reasons that apply in Voice ID's order (KNOWN_FRAUDSTER, VOICE_SPOOFING), else LOW_RISK.
 * @example decideFraud(12, 10, { knownFraudster: 3, voiceSpoofing: 97 }, 50) // { decision: 'HIGH_RISK', reasons: ['VOICE_SPOOFING'] }
 */
export function decideFraud(
  netSpeechSeconds: number,
  minSpeechSeconds: number,
  risks: FraudRisks,
  riskThreshold: number,
): { readonly decision: FraudDetectionDecision; readonly reasons: readonly FraudDetectionReason[] } {
  if (netSpeechSeconds < minSpeechSeconds || risks.knownFraudster === undefined) return { decision: 'NOT_ENOUGH_SPEECH', reasons: [] };
  const reasons: FraudDetectionReason[] = [];
  if (risks.knownFraudster >= riskThreshold) reasons.push('KNOWN_FRAUDSTER');
  if (risks.voiceSpoofing !== undefined && risks.voiceSpoofing >= riskThreshold) reasons.push('VOICE_SPOOFING');
  return { decision: reasons.length > 0 ? 'HIGH_RISK' : 'LOW_RISK', reasons };
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A result ID (22 alphanumerics) determined by the session and the versions of its inputs, so the same inputs
 * always give the same ID and any new audio, speaker or configuration gives a new one.
 * @example resultId('id#…', 'auth', 3, 1) // 'Q2x…' (22 characters)
 */
export function resultId(sessionId: string, kind: 'auth' | 'fraud', audioVersion: number, configVersion: number): string {
  const digest = createHash('sha256').update(`${sessionId}|${kind}|${audioVersion}|${configVersion}`).digest();
  let id = '';
  for (let i = 0; i < 22; i++) id += ALPHANUMERIC[digest[i]! % ALPHANUMERIC.length];
  return id;
}
