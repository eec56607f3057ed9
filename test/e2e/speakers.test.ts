import {
  DeleteSpeakerCommand,
  DescribeSpeakerCommand,
  ListSpeakersCommand,
  OptOutSpeakerCommand,
  paginateListSpeakers,
} from '@aws-sdk/client-voice-id';
import { beforeAll, describe, expect, it } from 'vitest';
import { newGeneratedId, speakerExpiresAtMs } from '../../lambdas/voiceid/index.js';
import { makeVoiceIdClient, timbreTestEnv } from '../support/voiceid-client.js';
import { UNKNOWN_ID, createTestDomain, fakeVoiceprint, localStore, localVoiceId } from './helpers.js';

const client = makeVoiceIdClient();
const store = localStore();
const voiceId = localVoiceId(store);
const SPEAKER_COUNT = 250;

describe('ListSpeakers paging', () => {
  let domainId: string;

  beforeAll(async () => {
    domainId = (await createTestDomain(client, 'paging')).DomainId;
    const now = Date.now();
    for (let i = 0; i < SPEAKER_COUNT; i += 1) {
      await store.speakers.createSpeaker(
        { domainId, generatedSpeakerId: newGeneratedId(), customerSpeakerId: `cust-${i}`, status: 'ENROLLED', createdAtMs: now, updatedAtMs: now, lastAccessedAtMs: now },
        { maxSpeakers: 100_000, biometricsExpireAtMs: speakerExpiresAtMs(now) },
      );
    }
  });

  it('returns all 250 speakers in pages of 7, each once, with no NextToken on the last page', async () => {
    // Act
    const pages: { count: number; hasToken: boolean }[] = [];
    const ids: string[] = [];
    for await (const page of paginateListSpeakers({ client, pageSize: 7 }, { DomainId: domainId })) {
      pages.push({ count: page.SpeakerSummaries?.length ?? 0, hasToken: page.NextToken !== undefined });
      ids.push(...(page.SpeakerSummaries ?? []).map((s) => s.CustomerSpeakerId as string));
    }
    // Assess
    expect(ids).toHaveLength(SPEAKER_COUNT);
    expect(new Set(ids).size).toBe(SPEAKER_COUNT);
    expect(pages).toHaveLength(Math.ceil(SPEAKER_COUNT / 7));
    expect(pages.slice(0, -1).every((p) => p.count === 7 && p.hasToken)).toBe(true);
    expect(pages.at(-1)).toEqual({ count: SPEAKER_COUNT % 7, hasToken: false });
  });

  it('returns both IDs and epoch timestamps in summaries', async () => {
    const { SpeakerSummaries } = await client.send(new ListSpeakersCommand({ DomainId: domainId, MaxResults: 1 }));
    expect(SpeakerSummaries?.[0]).toMatchObject({
      DomainId: domainId,
      GeneratedSpeakerId: expect.stringMatching(/^id#[a-zA-Z0-9]{22}$/),
      CustomerSpeakerId: expect.stringMatching(/^cust-/),
      Status: 'ENROLLED',
      CreatedAt: expect.any(Date),
      LastAccessedAt: expect.any(Date),
    });
  });

  it('refuses a NextToken that was altered or that belongs to another domain', async () => {
    const first = await client.send(new ListSpeakersCommand({ DomainId: domainId, MaxResults: 7 }));
    const token = first.NextToken as string;
    const tampered = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
    await expect(client.send(new ListSpeakersCommand({ DomainId: domainId, NextToken: tampered }))).rejects.toMatchObject({ name: 'ValidationException' });
    const other = await createTestDomain(client);
    await expect(client.send(new ListSpeakersCommand({ DomainId: other.DomainId, NextToken: token }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('refuses a page size above 100', async () => {
    await expect(client.send(new ListSpeakersCommand({ DomainId: domainId, MaxResults: 101 }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('speakers', () => {
  it('describes a speaker by customer ID and by generated ID', async () => {
    const domain = await createTestDomain(client);
    const enrolled = await voiceId.speakers.recordEnrollment(domain.DomainId, 'cust-000123', fakeVoiceprint(3));
    const byCustomer = await client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'cust-000123' }));
    const byGenerated = await client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: enrolled.generatedSpeakerId }));
    expect(byCustomer.Speaker).toEqual(byGenerated.Speaker);
    expect(byCustomer.Speaker).toMatchObject({ Status: 'ENROLLED', CustomerSpeakerId: 'cust-000123', GeneratedSpeakerId: enrolled.generatedSpeakerId });
  });

  it('reports EXPIRED three years after the last access, even though the record is kept', async () => {
    // Prepare: last accessed three years and a day ago
    const domain = await createTestDomain(client);
    const longAgo = Date.now() - (3 * 365 + 2) * 24 * 3600 * 1000;
    const generatedSpeakerId = newGeneratedId();
    await store.speakers.createSpeaker(
      { domainId: domain.DomainId, generatedSpeakerId, customerSpeakerId: 'old-caller', status: 'ENROLLED', createdAtMs: longAgo, updatedAtMs: longAgo, lastAccessedAtMs: longAgo },
      { maxSpeakers: 100_000, biometricsExpireAtMs: speakerExpiresAtMs(longAgo) },
    );
    // Act
    const { Speaker: speaker } = await client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'old-caller' }));
    // Assess
    expect(speaker?.Status).toBe('EXPIRED');
    expect(speaker?.LastAccessedAt?.getTime()).toBe(longAgo);
  });

  it('opts out an unknown customer ID by creating an OPTED_OUT speaker', async () => {
    const domain = await createTestDomain(client);
    const { Speaker: speaker } = await client.send(new OptOutSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'new-caller' }));
    expect(speaker).toMatchObject({ Status: 'OPTED_OUT', CustomerSpeakerId: 'new-caller', GeneratedSpeakerId: expect.stringMatching(/^id#/) });
    const described = await client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'new-caller' }));
    expect(described.Speaker?.GeneratedSpeakerId).toBe(speaker?.GeneratedSpeakerId);
  });

  it('opts out an enrolled speaker and destroys its voiceprint and audio', async () => {
    // Prepare
    const domain = await createTestDomain(client);
    const speaker = await voiceId.speakers.recordEnrollment(domain.DomainId, 'enrolled-caller', fakeVoiceprint(4));
    const ref = { domainId: domain.DomainId, domainArn: domain.Arn, kmsKeyId: timbreTestEnv().resources.kmsKeyArn };
    await store.audio.putAudio(ref, speaker.generatedSpeakerId, 'enrol-1.wav', new Uint8Array([1, 2, 3]));
    expect(await store.voiceprints.getVoiceprint(ref, speaker.generatedSpeakerId, Date.now())).toEqual(fakeVoiceprint(4));
    // Act
    const { Speaker: optedOut } = await client.send(new OptOutSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: speaker.generatedSpeakerId }));
    // Assess
    expect(optedOut?.Status).toBe('OPTED_OUT');
    expect(await store.voiceprints.getVoiceprint(ref, speaker.generatedSpeakerId, Date.now())).toBeUndefined();
    expect(await store.audio.listAudio(domain.DomainId, speaker.generatedSpeakerId)).toEqual([]);
    await expect(voiceId.speakers.recordEnrollment(domain.DomainId, 'enrolled-caller', fakeVoiceprint(4))).rejects.toMatchObject({
      conflictType: 'SPEAKER_OPTED_OUT',
    });
  });

  it('deletes a speaker with its voiceprint and audio; a second delete is not found', async () => {
    // Prepare
    const domain = await createTestDomain(client);
    const speaker = await voiceId.speakers.recordEnrollment(domain.DomainId, 'leaving', fakeVoiceprint(5));
    const ref = { domainId: domain.DomainId, domainArn: domain.Arn, kmsKeyId: timbreTestEnv().resources.kmsKeyArn };
    await store.audio.putAudio(ref, speaker.generatedSpeakerId, 'a.wav', new Uint8Array([9]));
    // Act
    await client.send(new DeleteSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'leaving' }));
    // Assess
    await expect(client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'leaving' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      ResourceType: 'SPEAKER',
    });
    expect(await store.voiceprints.getVoiceprint(ref, speaker.generatedSpeakerId, Date.now())).toBeUndefined();
    expect(await store.audio.listAudio(domain.DomainId, speaker.generatedSpeakerId)).toEqual([]);
    await expect(client.send(new DeleteSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: speaker.generatedSpeakerId }))).rejects.toMatchObject({
      ResourceType: 'SPEAKER',
    });
  });

  it('refuses malformed speaker IDs and answers not-found for unknown ones', async () => {
    const domain = await createTestDomain(client);
    await expect(client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'has space' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'x'.repeat(257) }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(client.send(new OptOutSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: newGeneratedId() }))).rejects.toMatchObject({
      ResourceType: 'SPEAKER',
    });
    await expect(client.send(new DescribeSpeakerCommand({ DomainId: UNKNOWN_ID, SpeakerId: 'x' }))).rejects.toMatchObject({ ResourceType: 'DOMAIN' });
  });
});
