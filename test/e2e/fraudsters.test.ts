import {
  AssociateFraudsterCommand,
  CreateWatchlistCommand,
  DeleteFraudsterCommand,
  DeleteWatchlistCommand,
  DescribeFraudsterCommand,
  DisassociateFraudsterCommand,
  ListFraudstersCommand,
  paginateListFraudsters,
} from '@aws-sdk/client-voice-id';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS, newGeneratedId } from '../../lambdas/voiceid/index.js';
import { makeVoiceIdClient, timbreTestEnv } from '../support/voiceid-client.js';
import { UNKNOWN_ID, createTestDomain, fakeVoiceprint, localStore, localVoiceId } from './helpers.js';

const client = makeVoiceIdClient();
const store = localStore();
const voiceId = localVoiceId(store);

async function domainWithCustomWatchlist() {
  const domain = await createTestDomain(client);
  const { Watchlist: custom } = await client.send(new CreateWatchlistCommand({ DomainId: domain.DomainId, Name: 'custom' }));
  return { domainId: domain.DomainId, domain, defaultId: domain.WatchlistDetails?.DefaultWatchlistId as string, customId: custom?.WatchlistId as string };
}

describe('fraudsters', () => {
  it('describes a registered fraudster in the default watchlist', async () => {
    const { domainId, defaultId } = await domainWithCustomWatchlist();
    const fraudster = await voiceId.fraudsters.register(domainId, fakeVoiceprint(11));
    const { Fraudster: described } = await client.send(new DescribeFraudsterCommand({ DomainId: domainId, FraudsterId: fraudster.generatedFraudsterId }));
    expect(described).toMatchObject({ DomainId: domainId, GeneratedFraudsterId: fraudster.generatedFraudsterId, WatchlistIds: [defaultId], CreatedAt: expect.any(Date) });
  });

  it('associates with a second watchlist and lists by watchlist', async () => {
    // Prepare
    const { domainId, defaultId, customId } = await domainWithCustomWatchlist();
    const a = await voiceId.fraudsters.register(domainId, fakeVoiceprint(12));
    const b = await voiceId.fraudsters.register(domainId, fakeVoiceprint(13));
    // Act
    const { Fraudster: associated } = await client.send(new AssociateFraudsterCommand({ DomainId: domainId, FraudsterId: a.generatedFraudsterId, WatchlistId: customId }));
    // Assess
    expect([...(associated?.WatchlistIds ?? [])].sort()).toEqual([defaultId, customId].sort());
    const inCustom = await client.send(new ListFraudstersCommand({ DomainId: domainId, WatchlistId: customId }));
    expect(inCustom.FraudsterSummaries?.map((f) => f.GeneratedFraudsterId)).toEqual([a.generatedFraudsterId]);
    const all = await client.send(new ListFraudstersCommand({ DomainId: domainId }));
    expect(all.FraudsterSummaries?.map((f) => f.GeneratedFraudsterId).sort()).toEqual([a.generatedFraudsterId, b.generatedFraudsterId].sort());
  });

  it('pages a filtered listing without short pages or a trailing token', async () => {
    const { domainId, customId } = await domainWithCustomWatchlist();
    const inCustom: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const f = await voiceId.fraudsters.register(domainId, fakeVoiceprint(20 + i), i % 2 === 0 ? [customId] : undefined);
      if (i % 2 === 0) inCustom.push(f.generatedFraudsterId);
    }
    const pages: number[] = [];
    const seen: string[] = [];
    for await (const page of paginateListFraudsters({ client, pageSize: 3 }, { DomainId: domainId, WatchlistId: customId })) {
      pages.push(page.FraudsterSummaries?.length ?? 0);
      seen.push(...(page.FraudsterSummaries ?? []).map((f) => f.GeneratedFraudsterId as string));
    }
    expect(pages).toEqual([3, 1]);
    expect(seen.sort()).toEqual(inCustom.sort());
  });

  it('refuses to disassociate a fraudster from its only watchlist', async () => {
    const { domainId, defaultId } = await domainWithCustomWatchlist();
    const fraudster = await voiceId.fraudsters.register(domainId, fakeVoiceprint(14));
    await expect(
      client.send(new DisassociateFraudsterCommand({ DomainId: domainId, FraudsterId: fraudster.generatedFraudsterId, WatchlistId: defaultId })),
    ).rejects.toMatchObject({ name: 'ConflictException', ConflictType: 'FRAUDSTER_MUST_BELONG_TO_AT_LEAST_ONE_WATCHLIST' });
  });

  it('disassociates from one of two watchlists', async () => {
    const { domainId, defaultId, customId } = await domainWithCustomWatchlist();
    const fraudster = await voiceId.fraudsters.register(domainId, fakeVoiceprint(15), [defaultId, customId]);
    const { Fraudster: after } = await client.send(
      new DisassociateFraudsterCommand({ DomainId: domainId, FraudsterId: fraudster.generatedFraudsterId, WatchlistId: defaultId }),
    );
    expect(after?.WatchlistIds).toEqual([customId]);
  });

  it('deletes a fraudster from every watchlist with its voiceprint, so the watchlist can be deleted', async () => {
    // Prepare
    const { domainId, domain, customId } = await domainWithCustomWatchlist();
    const fraudster = await voiceId.fraudsters.register(domainId, fakeVoiceprint(16), [customId]);
    const ref = { domainId, domainArn: domain.Arn, kmsKeyId: timbreTestEnv().resources.kmsKeyArn };
    expect(await store.voiceprints.getVoiceprint(ref, fraudster.generatedFraudsterId, Date.now())).toEqual(fakeVoiceprint(16));
    // Act
    await client.send(new DeleteFraudsterCommand({ DomainId: domainId, FraudsterId: fraudster.generatedFraudsterId }));
    // Assess
    await expect(client.send(new DescribeFraudsterCommand({ DomainId: domainId, FraudsterId: fraudster.generatedFraudsterId }))).rejects.toMatchObject({
      ResourceType: 'FRAUDSTER',
    });
    expect(await store.voiceprints.getVoiceprint(ref, fraudster.generatedFraudsterId, Date.now())).toBeUndefined();
    await expect(client.send(new DeleteWatchlistCommand({ DomainId: domainId, WatchlistId: customId }))).resolves.toBeDefined();
  });

  it('hits the per-watchlist fraudster quota on register and associate', async () => {
    // A service with a small per-watchlist quota, over the same store.
    const small = (await import('../../lambdas/voiceid/index.js')).createVoiceIdService({
      ...store,
      quotas: { ...DEFAULT_QUOTAS, domainsPerRegion: 3, watchlistsPerDomain: 3, fraudstersPerWatchlist: 1, speakersPerDomain: 10, tagsPerResource: 5 },
      arn: { region: timbreTestEnv().region, accountId: '000000000000' },
    });
    const { domainId, customId } = await domainWithCustomWatchlist();
    const first = await small.fraudsters.register(domainId, fakeVoiceprint(17), [customId]);
    const second = await small.fraudsters.register(domainId, fakeVoiceprint(18));
    await expect(small.fraudsters.register(domainId, fakeVoiceprint(19), [customId])).rejects.toMatchObject({ quotaName: 'fraudstersPerWatchlist' });
    await expect(small.fraudsters.associate(domainId, second.generatedFraudsterId, customId)).rejects.toMatchObject({ quotaName: 'fraudstersPerWatchlist' });
    expect(first.watchlistIds).toEqual([customId]);
  });

  it('answers not-found and validation errors for bad references', async () => {
    const { domainId, customId } = await domainWithCustomWatchlist();
    const fraudster = await voiceId.fraudsters.register(domainId, fakeVoiceprint(30));
    await expect(client.send(new DescribeFraudsterCommand({ DomainId: domainId, FraudsterId: newGeneratedId() }))).rejects.toMatchObject({
      ResourceType: 'FRAUDSTER',
    });
    await expect(
      client.send(new AssociateFraudsterCommand({ DomainId: domainId, FraudsterId: fraudster.generatedFraudsterId, WatchlistId: UNKNOWN_ID })),
    ).rejects.toMatchObject({ ResourceType: 'WATCHLIST' });
    await expect(client.send(new ListFraudstersCommand({ DomainId: domainId, WatchlistId: UNKNOWN_ID }))).rejects.toMatchObject({
      ResourceType: 'WATCHLIST',
    });
    await expect(client.send(new DescribeFraudsterCommand({ DomainId: domainId, FraudsterId: 'cust-1' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      client.send(new DisassociateFraudsterCommand({ DomainId: domainId, FraudsterId: fraudster.generatedFraudsterId, WatchlistId: customId })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
