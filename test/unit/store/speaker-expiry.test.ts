import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS, createVoiceIdService, speakerExpiresAtMs } from '../../../lambdas/voiceid/index.js';
import { timbreTestEnv } from '../../support/voiceid-client.js';
import { isolatedStore } from './isolated-table.js';
import { defaultModelVoiceprint } from '../../e2e/helpers.js';

describe('SpeakerService.purgeExpired', () => {
  it('destroys the voiceprint and audio of a speaker three years after its last access and keeps the record as EXPIRED', async () => {
    // Prepare: two speakers enrolled a day apart
    const { store } = await isolatedStore();
    let now = Date.UTC(2026, 0, 10, 12);
    const voiceId = createVoiceIdService({ ...store, quotas: DEFAULT_QUOTAS, arn: { region: 'us-east-1', accountId: '123456789012' }, clock: () => now });
    const domain = await voiceId.domains.create({ name: 'expiry', kmsKeyId: timbreTestEnv().resources.kmsKeyArn });
    const ref = { domainId: domain.domainId, domainArn: domain.arn, kmsKeyId: domain.kmsKeyId };
    const old = await voiceId.speakers.recordEnrollment(domain.domainId, 'old-caller', defaultModelVoiceprint(new Float32Array([1, 2, 3])));
    await store.audio.putAudio(ref, old.generatedSpeakerId, 'enrol.wav', new Uint8Array([7]));
    now += 24 * 3600 * 1000;
    const recent = await voiceId.speakers.recordEnrollment(domain.domainId, 'recent-caller', defaultModelVoiceprint(new Float32Array([4, 5, 6])));
    // Act: the moment the first one's three years are over
    now = speakerExpiresAtMs(old.lastAccessedAtMs as number);
    const purged = await voiceId.speakers.purgeExpired();
    // Assess
    expect(purged.map((s) => s.generatedSpeakerId)).toEqual([old.generatedSpeakerId]);
    expect(await store.voiceprints.getVoiceprint(ref, old.generatedSpeakerId, 0)).toBeUndefined();
    expect(await store.audio.listAudio(domain.domainId, old.generatedSpeakerId)).toEqual([]);
    expect((await voiceId.speakers.describe(domain.domainId, 'old-caller')).status).toBe('EXPIRED');
    expect((await voiceId.speakers.describe(domain.domainId, 'recent-caller')).status).toBe('ENROLLED');
    expect(await store.voiceprints.getVoiceprint(ref, recent.generatedSpeakerId, now)).toEqual(defaultModelVoiceprint(new Float32Array([4, 5, 6])));
    expect(await voiceId.speakers.purgeExpired()).toEqual([]);
  });

  it('leaves a re-enrolled speaker alone', async () => {
    const { store } = await isolatedStore();
    let now = Date.UTC(2026, 0, 10, 12);
    const voiceId = createVoiceIdService({ ...store, quotas: DEFAULT_QUOTAS, arn: { region: 'us-east-1', accountId: '123456789012' }, clock: () => now });
    const domain = await voiceId.domains.create({ name: 'reenrol', kmsKeyId: timbreTestEnv().resources.kmsKeyArn });
    const first = await voiceId.speakers.recordEnrollment(domain.domainId, 'caller', defaultModelVoiceprint(new Float32Array([1])));
    now += 2 * 365 * 24 * 3600 * 1000;
    await voiceId.speakers.recordEnrollment(domain.domainId, 'caller', defaultModelVoiceprint(new Float32Array([2])));
    now = speakerExpiresAtMs(first.lastAccessedAtMs as number) + 1;
    expect(await voiceId.speakers.purgeExpired()).toEqual([]);
    expect((await voiceId.speakers.describe(domain.domainId, 'caller')).status).toBe('ENROLLED');
  });
});
