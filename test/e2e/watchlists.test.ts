import {
  AssociateFraudsterCommand,
  CreateWatchlistCommand,
  DeleteWatchlistCommand,
  DescribeWatchlistCommand,
  ListWatchlistsCommand,
  UpdateWatchlistCommand,
} from '@aws-sdk/client-voice-id';
import { describe, expect, it } from 'vitest';
import { makeVoiceIdClient } from '../support/voiceid-client.js';
import { UNKNOWN_ID, createTestDomain, fakeVoiceprint, localVoiceId } from './helpers.js';

const client = makeVoiceIdClient();

describe('watchlists', () => {
  it('lists the default watchlist of a new domain', async () => {
    const domain = await createTestDomain(client);
    const { WatchlistSummaries: summaries, NextToken } = await client.send(new ListWatchlistsCommand({ DomainId: domain.DomainId }));
    expect(NextToken).toBeUndefined();
    expect(summaries).toHaveLength(1);
    expect(summaries?.[0]).toMatchObject({ WatchlistId: domain.WatchlistDetails?.DefaultWatchlistId, DefaultWatchlist: true, DomainId: domain.DomainId });
  });

  it('creates, describes and updates a custom watchlist, keeping omitted members', async () => {
    // Prepare
    const domain = await createTestDomain(client);
    const { Watchlist: created } = await client.send(
      new CreateWatchlistCommand({ DomainId: domain.DomainId, Name: 'vip-fraud', Description: 'Known VIP fraud ring' }),
    );
    // Act
    const { Watchlist: updated } = await client.send(
      new UpdateWatchlistCommand({ DomainId: domain.DomainId, WatchlistId: created?.WatchlistId, Name: 'vip-fraud-2' }),
    );
    // Assess
    expect(created).toMatchObject({ Name: 'vip-fraud', DefaultWatchlist: false, DomainId: domain.DomainId });
    expect(updated).toMatchObject({ Name: 'vip-fraud-2', Description: 'Known VIP fraud ring' });
    const described = await client.send(new DescribeWatchlistCommand({ DomainId: domain.DomainId, WatchlistId: created?.WatchlistId }));
    expect(described.Watchlist).toEqual(updated);
  });

  it('refuses to update or delete the default watchlist', async () => {
    const domain = await createTestDomain(client);
    const id = domain.WatchlistDetails?.DefaultWatchlistId;
    await expect(client.send(new UpdateWatchlistCommand({ DomainId: domain.DomainId, WatchlistId: id, Name: 'x' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(client.send(new DeleteWatchlistCommand({ DomainId: domain.DomainId, WatchlistId: id }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('answers ServiceQuotaExceededException for a fourth watchlist', async () => {
    const domain = await createTestDomain(client);
    await client.send(new CreateWatchlistCommand({ DomainId: domain.DomainId, Name: 'two' }));
    await client.send(new CreateWatchlistCommand({ DomainId: domain.DomainId, Name: 'three' }));
    await expect(client.send(new CreateWatchlistCommand({ DomainId: domain.DomainId, Name: 'four' }))).rejects.toMatchObject({
      name: 'ServiceQuotaExceededException',
      $metadata: { httpStatusCode: 402 },
    });
    const { WatchlistSummaries } = await client.send(new ListWatchlistsCommand({ DomainId: domain.DomainId }));
    expect(WatchlistSummaries).toHaveLength(3);
  });

  it('frees a quota slot when a watchlist is deleted', async () => {
    const domain = await createTestDomain(client);
    await client.send(new CreateWatchlistCommand({ DomainId: domain.DomainId, Name: 'two' }));
    const { Watchlist: three } = await client.send(new CreateWatchlistCommand({ DomainId: domain.DomainId, Name: 'three' }));
    await client.send(new DeleteWatchlistCommand({ DomainId: domain.DomainId, WatchlistId: three?.WatchlistId }));
    await expect(client.send(new DescribeWatchlistCommand({ DomainId: domain.DomainId, WatchlistId: three?.WatchlistId }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      ResourceType: 'WATCHLIST',
    });
    await expect(client.send(new CreateWatchlistCommand({ DomainId: domain.DomainId, Name: 'again' }))).resolves.toBeDefined();
  });

  it('returns the same watchlist for a repeated ClientToken', async () => {
    const domain = await createTestDomain(client);
    const request = { DomainId: domain.DomainId, Name: 'idem', ClientToken: 'same-token-1' };
    const first = await client.send(new CreateWatchlistCommand(request));
    const second = await client.send(new CreateWatchlistCommand(request));
    expect(second.Watchlist?.WatchlistId).toBe(first.Watchlist?.WatchlistId);
    await expect(client.send(new CreateWatchlistCommand({ ...request, Name: 'other' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('gives every one of 50 concurrent CreateWatchlist calls with one ClientToken the one watchlist it made', async () => {
    const domain = await createTestDomain(client);
    const request = { DomainId: domain.DomainId, Name: 'idem-race', ClientToken: 'race-token' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => client.send(new CreateWatchlistCommand(request))));
    const watchlistIds = new Set(answers.map((a) => a.Watchlist?.WatchlistId));
    expect(watchlistIds.size).toBe(1);
    const listed = await client.send(new ListWatchlistsCommand({ DomainId: domain.DomainId }));
    expect((listed.WatchlistSummaries ?? []).filter((w) => w.Name === 'idem-race').map((w) => w.WatchlistId)).toEqual([...watchlistIds]);
  });

  it('refuses to delete a watchlist that still has fraudsters', async () => {
    // Prepare
    const domain = await createTestDomain(client);
    const { Watchlist: custom } = await client.send(new CreateWatchlistCommand({ DomainId: domain.DomainId, Name: 'busy' }));
    const fraudster = await localVoiceId().fraudsters.register(domain.DomainId, fakeVoiceprint(1));
    await client.send(
      new AssociateFraudsterCommand({ DomainId: domain.DomainId, FraudsterId: fraudster.generatedFraudsterId, WatchlistId: custom?.WatchlistId }),
    );
    // Act / Assess
    await expect(client.send(new DeleteWatchlistCommand({ DomainId: domain.DomainId, WatchlistId: custom?.WatchlistId }))).rejects.toMatchObject({
      name: 'ConflictException',
      ConflictType: 'CANNOT_DELETE_NON_EMPTY_WATCHLIST',
      $metadata: { httpStatusCode: 409 },
    });
  });

  it('answers not-found for unknown domains and watchlists', async () => {
    const domain = await createTestDomain(client);
    await expect(client.send(new ListWatchlistsCommand({ DomainId: UNKNOWN_ID }))).rejects.toMatchObject({ ResourceType: 'DOMAIN' });
    await expect(client.send(new DescribeWatchlistCommand({ DomainId: domain.DomainId, WatchlistId: UNKNOWN_ID }))).rejects.toMatchObject({
      ResourceType: 'WATCHLIST',
    });
    await expect(client.send(new CreateWatchlistCommand({ DomainId: UNKNOWN_ID, Name: 'x' }))).rejects.toMatchObject({ ResourceType: 'DOMAIN' });
  });
});
