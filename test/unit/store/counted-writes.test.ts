import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUOTAS,
  QuotaExceededError,
  ResourceNotFoundError,
  createVoiceIdService,
  idempotencyKey,
  newGeneratedId,
  newUniqueId,
} from '../../../lambdas/voiceid/index.js';
import { timbreTestEnv } from '../../support/voiceid-client.js';
import { isolatedStore } from './isolated-table.js';
import { defaultModelVoiceprint } from '../../e2e/helpers.js';

/** A domain with a fraudster in its default watchlist, over a fresh table, and a way to read the whole table. */
async function domainWithFraudster() {
  const { store, tableName, dynamodb } = await isolatedStore();
  const voiceId = createVoiceIdService({ ...store, quotas: DEFAULT_QUOTAS, arn: { region: 'us-east-1', accountId: '123456789012' } });
  const domain = await voiceId.domains.create({ name: 'counted', kmsKeyId: timbreTestEnv().resources.kmsKeyArn });
  const fraudster = await voiceId.fraudsters.register(domain.domainId, defaultModelVoiceprint(new Float32Array([1, 2])));
  const table = DynamoDBDocumentClient.from(dynamodb);
  const allItems = async () => (await table.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
  return { store, voiceId, domain, fraudster, allItems };
}

const now = Date.UTC(2026, 0, 1);

describe('counted writes under a domain soft-deleted after the service checked it', () => {
  it('refuse a speaker, a watchlist, a fraudster and an association with ResourceNotFoundError(DOMAIN), writing nothing', async () => {
    // Prepare: the services checked the domain; then it is soft-deleted before the store writes
    const { store, voiceId, domain, fraudster, allItems } = await domainWithFraudster();
    const { domainId } = domain;
    const watchlistId = newUniqueId();
    const secondWatchlist = await voiceId.watchlists.create({ domainId, name: 'second' });
    await voiceId.domains.delete(domainId);
    const before = await allItems();
    const lateSpeaker = { domainId, generatedSpeakerId: newGeneratedId(), customerSpeakerId: 'late-caller', status: 'OPTED_OUT' as const, createdAtMs: now, updatedAtMs: now };
    const lateWatchlist = { domainId, watchlistId, name: 'late', defaultWatchlist: false, createdAtMs: now, updatedAtMs: now };
    const lateClaim = { key: idempotencyKey('CreateWatchlist', domainId, 'late-token'), requestHash: 'h', resourceId: watchlistId, expiresAtMs: now + 60_000 };
    const lateFraudster = { domainId, generatedFraudsterId: newGeneratedId(), watchlistIds: [domain.defaultWatchlistId], createdAtMs: now };
    const writes = {
      speaker: () => store.speakers.createSpeaker(lateSpeaker, { maxSpeakers: 100, biometricsExpireAtMs: undefined }),
      watchlist: () => store.watchlists.createWatchlist(lateWatchlist, { maxWatchlists: 3, idempotency: lateClaim }),
      fraudster: () => store.fraudsters.createFraudster(lateFraudster, { maxFraudstersPerWatchlist: 500 }),
      association: () => store.fraudsters.associate(domainId, fraudster.generatedFraudsterId, secondWatchlist.watchlistId, { maxFraudstersPerWatchlist: 500 }),
    };
    // Act / Assess
    for (const [what, write] of Object.entries(writes)) {
      const error = await write().then(() => undefined, (e: unknown) => e);
      expect(error, what).toBeInstanceOf(ResourceNotFoundError);
      expect((error as ResourceNotFoundError).resourceType, what).toBe('DOMAIN');
    }
    expect(await allItems()).toEqual(before);
  });
});

describe('counted writes that fail a quota or find no watchlist', () => {
  it('answer QuotaExceededError for a full domain or watchlist, and ResourceNotFoundError(WATCHLIST) for a missing watchlist', async () => {
    const { store, domain, allItems } = await domainWithFraudster();
    const { domainId } = domain;
    const before = await allItems();
    const newFraudster = (watchlistIds: string[]) => ({ domainId, generatedFraudsterId: newGeneratedId(), watchlistIds, createdAtMs: now });
    await expect(store.fraudsters.createFraudster(newFraudster([domain.defaultWatchlistId]), { maxFraudstersPerWatchlist: 1 })).rejects.toMatchObject({
      quotaName: 'fraudstersPerWatchlist',
      limit: 1,
    });
    const missing = await store.fraudsters.createFraudster(newFraudster([newUniqueId()]), { maxFraudstersPerWatchlist: 500 }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundError);
    expect((missing as ResourceNotFoundError).resourceType).toBe('WATCHLIST');
    const watchlist = { domainId, watchlistId: newUniqueId(), name: 'over', defaultWatchlist: false, createdAtMs: now, updatedAtMs: now };
    await expect(store.watchlists.createWatchlist(watchlist, { maxWatchlists: 1 })).rejects.toBeInstanceOf(QuotaExceededError);
    expect(await allItems()).toEqual(before);
  });
});
