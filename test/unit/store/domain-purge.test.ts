import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS, DOMAIN_PURGE_DAYS, createVoiceIdService } from '../../../lambdas/voiceid/index.js';
import { timbreTestEnv } from '../../support/voiceid-client.js';
import { isolatedStore } from './isolated-table.js';
import { defaultModelVoiceprint } from '../../e2e/helpers.js';

const DAY_MS = 24 * 3600 * 1000;

describe('DomainService.purgeDue', () => {
  it('removes a soft-deleted domain and everything under it once its 30 days are over, and not before', async () => {
    // Prepare: a domain with a watchlist, an enrolled speaker, a fraudster and audio; then delete it
    const { store, tableName, dynamodb } = await isolatedStore();
    let now = Date.now();
    const voiceId = createVoiceIdService({ ...store, quotas: DEFAULT_QUOTAS, arn: { region: 'us-east-1', accountId: '123456789012' }, clock: () => now });
    const domain = await voiceId.domains.create({ name: 'gone', kmsKeyId: timbreTestEnv().resources.kmsKeyArn });
    await voiceId.watchlists.create({ domainId: domain.domainId, name: 'extra' });
    const speaker = await voiceId.speakers.recordEnrollment(domain.domainId, 'caller-1', defaultModelVoiceprint(new Float32Array([1, 2, 3])));
    await voiceId.fraudsters.register(domain.domainId, defaultModelVoiceprint(new Float32Array([4, 5, 6])));
    const ref = { domainId: domain.domainId, domainArn: domain.arn, kmsKeyId: domain.kmsKeyId };
    await store.audio.putAudio(ref, speaker.generatedSpeakerId, 'a.wav', new Uint8Array([1]));
    await voiceId.domains.delete(domain.domainId);
    const items = async () =>
      (
        await DynamoDBDocumentClient.from(dynamodb).send(
          new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `DOMAIN#${domain.domainId}` } }),
        )
      ).Items ?? [];
    expect((await items()).length).toBeGreaterThan(5);
    // Act / Assess: a day early, nothing is purged
    now += (DOMAIN_PURGE_DAYS - 1) * DAY_MS;
    expect(await voiceId.domains.purgeDue()).toEqual([]);
    expect(await store.domains.getDomain(domain.domainId)).toMatchObject({ status: 'SUSPENDED' });
    // Act / Assess: after 30 days, all of it goes
    now += 2 * DAY_MS;
    expect(await voiceId.domains.purgeDue()).toEqual([domain.domainId]);
    expect(await items()).toEqual([]);
    expect(await store.domains.getDomain(domain.domainId)).toBeUndefined();
    expect(await store.audio.listAudio(domain.domainId, speaker.generatedSpeakerId)).toEqual([]);
    expect(await voiceId.domains.purgeDue()).toEqual([]);
  });
});
