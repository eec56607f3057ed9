import { ListFraudstersCommand, ListSpeakersCommand, ListWatchlistsCommand } from '@aws-sdk/client-voice-id';
import { describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../lib/contract/table-schema.js';
import { TOKEN_LIFETIME_MS, encodeNextToken } from '../../lambdas/voiceid/index.js';
import { makeVoiceIdClient } from '../support/voiceid-client.js';
import { createTestDomain, fakeVoiceprint, localStore, localVoiceId } from './helpers.js';

const client = makeVoiceIdClient();
const store = localStore();
const voiceId = localVoiceId(store);

/** A NextToken signed with the service's own key for `scope`, whose store cursor points into domain `ownerId`. */
async function forgedToken(scope: string, ownerId: string, sortKey: string): Promise<string> {
  const cursor = Buffer.from(JSON.stringify({ [TABLE_SCHEMA.partitionKey]: `DOMAIN#${ownerId}`, [TABLE_SCHEMA.sortKey]: sortKey })).toString('base64url');
  return encodeNextToken(await store.tokenKeys.getTokenKey(), { scope, cursor, expiresAtMs: Date.now() + TOKEN_LIFETIME_MS });
}

describe('a signed NextToken whose cursor points into another domain', () => {
  it('is refused with ValidationException by ListSpeakers, ListWatchlists and ListFraudsters, showing nothing of that domain', async () => {
    // Prepare
    const owner = await createTestDomain(client, 'token-owner');
    const lister = await createTestDomain(client, 'token-lister');
    await voiceId.speakers.recordEnrollment(owner.DomainId, 'owner-caller', fakeVoiceprint(41));
    await voiceId.fraudsters.register(owner.DomainId, fakeVoiceprint(42));
    const invalid = { name: 'ValidationException', message: expect.stringContaining('NextToken'), $metadata: { httpStatusCode: 400 } };
    // Act, Assess
    const speakers = forgedToken(`ListSpeakers/${lister.DomainId}`, owner.DomainId, 'SPEAKER#');
    await expect(client.send(new ListSpeakersCommand({ DomainId: lister.DomainId, NextToken: await speakers }))).rejects.toMatchObject(invalid);
    const watchlists = forgedToken(`ListWatchlists/${lister.DomainId}`, owner.DomainId, 'WATCHLIST#');
    await expect(client.send(new ListWatchlistsCommand({ DomainId: lister.DomainId, NextToken: await watchlists }))).rejects.toMatchObject(invalid);
    const fraudsters = forgedToken(`ListFraudsters/${lister.DomainId}/*`, owner.DomainId, 'FRAUDSTER#');
    await expect(client.send(new ListFraudstersCommand({ DomainId: lister.DomainId, NextToken: await fraudsters }))).rejects.toMatchObject(invalid);
  });

  it('is refused when its cursor names the listed domain but another kind of item', async () => {
    const domain = await createTestDomain(client, 'token-kind');
    const token = await forgedToken(`ListSpeakers/${domain.DomainId}`, domain.DomainId, 'WATCHLIST#');
    await expect(client.send(new ListSpeakersCommand({ DomainId: domain.DomainId, NextToken: token }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});
