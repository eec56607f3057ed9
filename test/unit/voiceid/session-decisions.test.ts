import { describe, expect, it } from 'vitest';
import { decideAuthentication, decideFraud, resultId, type AuthenticationFacts } from '../../../lambdas/voiceid/sessions/index.js';

/** Facts under which every rule passes and the score decides. */
const passing: AuthenticationFacts = {
  speakerSet: true,
  speakerStatus: 'ENROLLED',
  hasVoiceprint: true,
  netSpeechSeconds: 12,
  minSpeechSeconds: 10,
  score: 95,
  acceptanceThreshold: 90,
};

describe('decideAuthentication', () => {
  it('applies the seven decisions in the spec’s order: the first rule that applies wins', () => {
    // Each row breaks one more rule than the row below it, so a wrong order shows as a wrong decision.
    const cases: [Partial<AuthenticationFacts>, string][] = [
      [{ speakerSet: false, speakerStatus: undefined, hasVoiceprint: false, netSpeechSeconds: 0 }, 'SPEAKER_ID_NOT_PROVIDED'],
      [{ speakerStatus: undefined, hasVoiceprint: false, netSpeechSeconds: 0 }, 'SPEAKER_NOT_ENROLLED'],
      [{ speakerStatus: 'PENDING', hasVoiceprint: false, netSpeechSeconds: 0 }, 'SPEAKER_NOT_ENROLLED'],
      [{ speakerStatus: 'OPTED_OUT', hasVoiceprint: false, netSpeechSeconds: 0 }, 'SPEAKER_OPTED_OUT'],
      [{ speakerStatus: 'EXPIRED', hasVoiceprint: true, netSpeechSeconds: 0 }, 'SPEAKER_EXPIRED'],
      [{ hasVoiceprint: false, netSpeechSeconds: 0 }, 'SPEAKER_NOT_ENROLLED'],
      [{ netSpeechSeconds: 9.99 }, 'NOT_ENOUGH_SPEECH'],
      [{ score: 90 }, 'ACCEPT'],
      [{ score: 89 }, 'REJECT'],
    ];
    for (const [facts, decision] of cases) expect(decideAuthentication({ ...passing, ...facts })).toBe(decision);
  });
});

describe('decideFraud', () => {
  it('waits for speech, then flags a risk at or above the threshold', () => {
    expect(decideFraud(4, 5, { knownFraudster: 99, voiceSpoofing: 99 }, 50)).toEqual({ decision: 'NOT_ENOUGH_SPEECH', reasons: [] });
    expect(decideFraud(5, 5, { knownFraudster: 50 }, 50)).toEqual({ decision: 'HIGH_RISK', reasons: ['KNOWN_FRAUDSTER'] });
    expect(decideFraud(5, 5, { knownFraudster: 49 }, 50)).toEqual({ decision: 'LOW_RISK', reasons: [] });
  });

  it('flags a spoof at or above the threshold, and gives both reasons in Voice ID’s order when both apply', () => {
    expect(decideFraud(6, 5, { knownFraudster: 3, voiceSpoofing: 50 }, 50)).toEqual({ decision: 'HIGH_RISK', reasons: ['VOICE_SPOOFING'] });
    expect(decideFraud(6, 5, { knownFraudster: 3, voiceSpoofing: 49 }, 50)).toEqual({ decision: 'LOW_RISK', reasons: [] });
    expect(decideFraud(6, 5, { knownFraudster: 80, voiceSpoofing: 90 }, 70)).toEqual({ decision: 'HIGH_RISK', reasons: ['KNOWN_FRAUDSTER', 'VOICE_SPOOFING'] });
    // No known-fraudster risk means the speech could not be embedded: not enough speech, whatever the spoof risk.
    expect(decideFraud(6, 5, { knownFraudster: undefined, voiceSpoofing: 99 }, 50).decision).toBe('NOT_ENOUGH_SPEECH');
  });
});

describe('resultId', () => {
  it('is 22 alphanumerics, the same for the same inputs and new for new audio or configuration', () => {
    const id = resultId('id#abcdefghijklmnopqrstuv', 'auth', 3, 1);
    expect(id).toMatch(/^[a-zA-Z0-9]{22}$/);
    expect(resultId('id#abcdefghijklmnopqrstuv', 'auth', 3, 1)).toBe(id);
    expect(resultId('id#abcdefghijklmnopqrstuv', 'auth', 4, 1)).not.toBe(id);
    expect(resultId('id#abcdefghijklmnopqrstuv', 'auth', 3, 2)).not.toBe(id);
    expect(resultId('id#abcdefghijklmnopqrstuv', 'fraud', 3, 1)).not.toBe(id);
  });
});
