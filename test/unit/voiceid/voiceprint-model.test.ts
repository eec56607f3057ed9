/**
 * Voiceprints remember their speaker model: after a model change, evaluations never score a voiceprint of the old
 * model (a fake engine stands in for the new model, so no ONNX runs).
 */
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_QUOTAS, createVoiceIdService, type VoiceIdDependencies, type Voiceprint } from '../../../lambdas/voiceid/index.js';
import { createSessionService, type SessionVoiceEngine } from '../../../lambdas/voiceid/sessions/index.js';
import { timbreTestEnv } from '../../support/voiceid-client.js';
import { isolatedStore } from '../store/isolated-table.js';

const OLD_MODEL = 'timbre-spk-v1';
const NEW_MODEL = 'timbre-spk-v2';
const PROBE = new Float32Array([1, 0, 0, 0]);

/** The new model's engine: every audio is 20 s of speech whose voiceprint is PROBE; scores are cosines. */
const newModelEngine: SessionVoiceEngine = {
  addAudio: async () => ({ state: new Uint8Array([1]), netSpeechSeconds: 20 }),
  voiceprint: async () => PROBE,
  spoofRisk: async () => undefined,
  modelId: async () => NEW_MODEL,
  score(voiceprint, probe) {
    if (voiceprint.length !== probe.length) throw new Error(`cannot score a ${voiceprint.length}-dim voiceprint against a ${probe.length}-dim probe`);
    const cosine = voiceprint.reduce((sum, v, i) => sum + v * probe[i]!, 0);
    return { score100: Math.round(Math.max(0, cosine) * 100), llr: 10 * cosine };
  },
};

async function newModelDeployment() {
  const { store } = await isolatedStore();
  const log = { warn: vi.fn() };
  const deps: VoiceIdDependencies = { ...store, quotas: DEFAULT_QUOTAS, arn: { region: 'us-east-1', accountId: '123456789012' }, log };
  const voiceId = createVoiceIdService(deps);
  const domain = await voiceId.domains.create({ name: 'model-change', kmsKeyId: timbreTestEnv().resources.kmsKeyArn });
  return { voiceId, sessions: createSessionService(deps, newModelEngine), domain, log };
}

const oldModelVoiceprint = (embedding: number[]): Voiceprint => ({ embedding: new Float32Array(embedding), modelId: OLD_MODEL });
const newModelVoiceprint = (embedding: number[]): Voiceprint => ({ embedding: new Float32Array(embedding), modelId: NEW_MODEL });

describe('voiceprints of another speaker model', () => {
  it('answers SPEAKER_NOT_ENROLLED for a speaker enrolled under the old model, and logs why', async () => {
    // Prepare: the old model's voiceprint has another size, which scoring would refuse
    const { voiceId, sessions, domain, log } = await newModelDeployment();
    const speaker = await voiceId.speakers.recordEnrollment(domain.domainId, 'caller', oldModelVoiceprint([1, 0, 0, 0, 0, 0]));
    await sessions.start({ domainId: domain.domainId, sessionName: 'call', speakerId: 'caller', authentication: { acceptanceThreshold: 90 } });
    await sessions.putAudio(domain.domainId, 'call', { bytes: new Uint8Array([0]), encoding: 'FILE' });
    // Act
    const evaluation = await sessions.evaluate(domain.domainId, 'call');
    // Assess
    expect(evaluation.authentication).toMatchObject({ decision: 'SPEAKER_NOT_ENROLLED', generatedSpeakerId: speaker.generatedSpeakerId });
    expect(evaluation.authentication?.score).toBeUndefined();
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining(`made by model ${OLD_MODEL}, this deployment runs ${NEW_MODEL}: re-enrol`), expect.anything());
  });

  it('authenticates a speaker re-enrolled under the new model', async () => {
    const { voiceId, sessions, domain } = await newModelDeployment();
    await voiceId.speakers.recordEnrollment(domain.domainId, 'caller', oldModelVoiceprint([1, 0, 0, 0]));
    await voiceId.speakers.recordEnrollment(domain.domainId, 'caller', newModelVoiceprint([1, 0, 0, 0]));
    await sessions.start({ domainId: domain.domainId, sessionName: 'call', speakerId: 'caller', authentication: { acceptanceThreshold: 90 } });
    await sessions.putAudio(domain.domainId, 'call', { bytes: new Uint8Array([0]), encoding: 'FILE' });
    expect((await sessions.evaluate(domain.domainId, 'call')).authentication?.decision).toBe('ACCEPT');
  });

  it('skips fraudsters registered under the old model in the watchlist screen, and counts them in a warning', async () => {
    // Prepare: the old model's fraudster matches the probe's numbers exactly; the new model's one is far off
    const { voiceId, sessions, domain, log } = await newModelDeployment();
    await voiceId.fraudsters.register(domain.domainId, oldModelVoiceprint([1, 0, 0, 0]));
    await voiceId.fraudsters.register(domain.domainId, oldModelVoiceprint([1, 0, 0, 0, 0, 0]));
    const current = await voiceId.fraudsters.register(domain.domainId, newModelVoiceprint([-0.1, 0.99, 0, 0]));
    await sessions.start({ domainId: domain.domainId, sessionName: 'call', fraudDetection: { riskThreshold: 50 } });
    await sessions.putAudio(domain.domainId, 'call', { bytes: new Uint8Array([0]), encoding: 'FILE' });
    // Act
    const evaluation = await sessions.evaluate(domain.domainId, 'call');
    // Assess
    expect(evaluation.fraudDetection).toMatchObject({ decision: 'LOW_RISK', knownFraudsterRisk: { generatedFraudsterId: current.generatedFraudsterId } });
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('2 fraudster voiceprints made by another model'), expect.objectContaining({ skippedByModel: { [OLD_MODEL]: 2 } }));
  });
});
