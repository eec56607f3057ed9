import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS, QuotaExceededError, createVoiceIdService } from '../../../lambdas/voiceid/index.js';
import { timbreTestEnv } from '../../support/voiceid-client.js';
import { isolatedStore } from './isolated-table.js';

describe('DynamoDbDomainRepository quota', () => {
  it("stops at Voice ID's three domains, and a soft-deleted domain frees its slot", async () => {
    // Prepare
    const { store } = await isolatedStore();
    const voiceId = createVoiceIdService({ ...store, quotas: DEFAULT_QUOTAS, arn: { region: 'us-east-1', accountId: '123456789012' } });
    const kmsKeyId = timbreTestEnv().resources.kmsKeyArn;
    const created = [];
    for (const name of ['one', 'two', 'three']) created.push(await voiceId.domains.create({ name, kmsKeyId }));
    // Act / Assess
    await expect(voiceId.domains.create({ name: 'four', kmsKeyId })).rejects.toBeInstanceOf(QuotaExceededError);
    await voiceId.domains.delete(created[0]!.domainId);
    const fourth = await voiceId.domains.create({ name: 'four', kmsKeyId });
    const listed = await voiceId.domains.list({});
    expect(listed.items.map((d) => d.name)).toEqual(['two', 'three', 'four']);
    expect(fourth.arn).toBe(`arn:aws:voiceid:us-east-1:123456789012:domain/${fourth.domainId}`);
  });

  it('honours an overridden quota', async () => {
    const { store } = await isolatedStore();
    const voiceId = createVoiceIdService({ ...store, quotas: { ...DEFAULT_QUOTAS, domainsPerRegion: 1 }, arn: { region: 'us-east-1', accountId: '123456789012' } });
    const kmsKeyId = timbreTestEnv().resources.kmsKeyArn;
    await voiceId.domains.create({ name: 'only', kmsKeyId });
    await expect(voiceId.domains.create({ name: 'second', kmsKeyId })).rejects.toMatchObject({ quotaName: 'domainsPerRegion', limit: 1 });
  });

  it('counts speakers per domain, and deleting one frees its slot', async () => {
    const { store } = await isolatedStore();
    const voiceId = createVoiceIdService({ ...store, quotas: { ...DEFAULT_QUOTAS, speakersPerDomain: 2 }, arn: { region: 'us-east-1', accountId: '123456789012' } });
    const domain = await voiceId.domains.create({ name: 'small', kmsKeyId: timbreTestEnv().resources.kmsKeyArn });
    await voiceId.speakers.optOut(domain.domainId, 'a');
    await voiceId.speakers.optOut(domain.domainId, 'b');
    await expect(voiceId.speakers.optOut(domain.domainId, 'c')).rejects.toMatchObject({ quotaName: 'speakersPerDomain' });
    await voiceId.speakers.delete(domain.domainId, 'a');
    await expect(voiceId.speakers.optOut(domain.domainId, 'c')).resolves.toMatchObject({ status: 'OPTED_OUT' });
  });
});
