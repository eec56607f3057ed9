import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateDomainCommand,
  DeleteDomainCommand,
  DescribeDomainCommand,
  ListDomainsCommand,
  UpdateDomainCommand,
  paginateListDomains,
} from '@aws-sdk/client-voice-id';
import { beforeAll, describe, expect, it } from 'vitest';
import { localServiceConfig, makeVoiceIdClient, timbreTestEnv } from '../support/voiceid-client.js';
import { UNKNOWN_ID, createTestDomain, fakeVoiceprint, localStore } from './helpers.js';

const client = makeVoiceIdClient();
let keyArn: string;

beforeAll(() => {
  keyArn = timbreTestEnv().resources.kmsKeyArn;
});

async function allDomainIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateListDomains({ client, pageSize: 10 }, {})) {
    ids.push(...(page.DomainSummaries ?? []).map((d) => d.DomainId as string));
  }
  return ids;
}

describe('CreateDomain / DescribeDomain', () => {
  it('creates an ACTIVE domain with a default watchlist, an ARN and epoch-second timestamps', async () => {
    // Act
    const before = Date.now();
    const { Domain: domain } = await client.send(
      new CreateDomainCommand({ Name: 'ExampleCorp-prod', Description: 'Production domain', ServerSideEncryptionConfiguration: { KmsKeyId: keyArn } }),
    );
    // Assess
    expect(domain?.DomainId).toMatch(/^[a-zA-Z0-9]{22}$/);
    expect(domain?.Arn).toMatch(new RegExp(`^arn:aws:voiceid:${timbreTestEnv().region}:[0-9]{12}:domain/${domain?.DomainId}$`));
    expect(domain?.DomainStatus).toBe('ACTIVE');
    expect(domain?.WatchlistDetails?.DefaultWatchlistId).toMatch(/^[a-zA-Z0-9]{22}$/);
    expect(domain?.CreatedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const described = await client.send(new DescribeDomainCommand({ DomainId: domain?.DomainId }));
    expect(described.Domain).toEqual(domain);
  });

  it('refuses a KMS key that does not exist, naming it', async () => {
    const missing = 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000';
    await expect(client.send(new CreateDomainCommand({ Name: 'nokey', ServerSideEncryptionConfiguration: { KmsKeyId: missing } }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(missing),
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses a bad name and a missing encryption configuration', async () => {
    await expect(client.send(new CreateDomainCommand({ Name: 'bad name', ServerSideEncryptionConfiguration: { KmsKeyId: keyArn } }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("at 'name'"),
    });
    await expect(client.send(new CreateDomainCommand({ Name: 'x' } as never))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('returns the same domain for a repeated ClientToken with the same request', async () => {
    const request = { Name: 'idem', ServerSideEncryptionConfiguration: { KmsKeyId: keyArn }, ClientToken: `tok-${Date.now()}` };
    const first = await client.send(new CreateDomainCommand(request));
    const second = await client.send(new CreateDomainCommand(request));
    expect(second.Domain?.DomainId).toBe(first.Domain?.DomainId);
    expect((await allDomainIds()).filter((id) => id === first.Domain?.DomainId)).toHaveLength(1);
  });

  it('gives every one of 50 concurrent CreateDomain calls with one ClientToken the one domain it made', async () => {
    // Prepare
    const request = { Name: 'idem-race', ServerSideEncryptionConfiguration: { KmsKeyId: keyArn }, ClientToken: `race-${Date.now()}` };
    const before = new Set(await allDomainIds());
    // Act
    const answers = await Promise.all(Array.from({ length: 50 }, () => client.send(new CreateDomainCommand(request))));
    // Assess
    const domainIds = new Set(answers.map((a) => a.Domain?.DomainId));
    expect(domainIds.size).toBe(1);
    expect((await allDomainIds()).filter((id) => !before.has(id))).toEqual([...domainIds]);
  });

  it('refuses a repeated ClientToken with a different request', async () => {
    const token = `tok2-${Date.now()}`;
    await client.send(new CreateDomainCommand({ Name: 'idem-a', ServerSideEncryptionConfiguration: { KmsKeyId: keyArn }, ClientToken: token }));
    await expect(
      client.send(new CreateDomainCommand({ Name: 'idem-b', ServerSideEncryptionConfiguration: { KmsKeyId: keyArn }, ClientToken: token })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('ClientToken') });
  });

  it('answers ResourceNotFoundException(DOMAIN) for an unknown domain and ValidationException for a malformed ID', async () => {
    await expect(client.send(new DescribeDomainCommand({ DomainId: UNKNOWN_ID }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      ResourceType: 'DOMAIN',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(client.send(new DescribeDomainCommand({ DomainId: 'short' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('UpdateDomain', () => {
  it('clobbers: an omitted description is removed and the name replaced', async () => {
    const { Domain: created } = await client.send(
      new CreateDomainCommand({ Name: 'before', Description: 'to be removed', ServerSideEncryptionConfiguration: { KmsKeyId: keyArn } }),
    );
    const { Domain: updated } = await client.send(
      new UpdateDomainCommand({ DomainId: created?.DomainId, Name: 'after', ServerSideEncryptionConfiguration: { KmsKeyId: keyArn } }),
    );
    expect(updated?.Name).toBe('after');
    expect(updated?.Description).toBeUndefined();
    expect(updated?.ServerSideEncryptionUpdateDetails).toBeUndefined();
    expect(updated?.UpdatedAt?.getTime()).toBeGreaterThanOrEqual(created?.UpdatedAt?.getTime() ?? 0);
    expect((await client.send(new DescribeDomainCommand({ DomainId: created?.DomainId }))).Domain?.Description).toBeUndefined();
  });

  it('answers IN_PROGRESS for a new key, then re-encrypts the domain under it and reports COMPLETED', async () => {
    // Prepare: a domain with one stored voiceprint, and a second key
    const domain = await createTestDomain(client, 'rekey');
    const store = localStore();
    const ref = { domainId: domain.DomainId, domainArn: domain.Arn, kmsKeyId: keyArn };
    const voiceprint = fakeVoiceprint(7);
    await store.voiceprints.putVoiceprint(ref, 'id#Spk0000000000000000001', voiceprint, Date.now() + 3_600_000);
    const kms = new KMSClient(localServiceConfig('kms'));
    const newKey = (await kms.send(new CreateKeyCommand({ Description: 'rotation target' }))).KeyMetadata?.Arn as string;
    // Act
    const { Domain: updated } = await client.send(
      new UpdateDomainCommand({ DomainId: domain.DomainId, Name: 'rekey', ServerSideEncryptionConfiguration: { KmsKeyId: newKey } }),
    );
    // Assess: answered at once, re-encrypted in the background (test/e2e/key-change.test.ts covers the details)
    expect(updated?.ServerSideEncryptionConfiguration?.KmsKeyId).toBe(newKey);
    expect(updated?.ServerSideEncryptionUpdateDetails).toEqual({ OldKmsKeyId: keyArn, UpdateStatus: 'IN_PROGRESS' });
    let described = (await client.send(new DescribeDomainCommand({ DomainId: domain.DomainId }))).Domain;
    for (let polls = 0; described?.ServerSideEncryptionUpdateDetails?.UpdateStatus === 'IN_PROGRESS' && polls < 600; polls += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      described = (await client.send(new DescribeDomainCommand({ DomainId: domain.DomainId }))).Domain;
    }
    expect(described?.ServerSideEncryptionUpdateDetails).toEqual({ OldKmsKeyId: keyArn, UpdateStatus: 'COMPLETED' });
    const reread = await store.voiceprints.getVoiceprint({ ...ref, kmsKeyId: newKey }, 'id#Spk0000000000000000001', Date.now());
    expect(reread).toEqual(voiceprint);
  });

  it('refuses a new key that does not exist and leaves the domain unchanged', async () => {
    const domain = await createTestDomain(client, 'badkey');
    await expect(
      client.send(new UpdateDomainCommand({ DomainId: domain.DomainId, Name: 'renamed', ServerSideEncryptionConfiguration: { KmsKeyId: 'alias/does-not-exist' } })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('alias/does-not-exist') });
    const after = await client.send(new DescribeDomainCommand({ DomainId: domain.DomainId }));
    expect(after.Domain?.Name).toBe('badkey');
    expect(after.Domain?.ServerSideEncryptionConfiguration?.KmsKeyId).toBe(keyArn);
  });

  it('needs Name and ServerSideEncryptionConfiguration', async () => {
    const domain = await createTestDomain(client);
    await expect(client.send(new UpdateDomainCommand({ DomainId: domain.DomainId } as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/^2 validation errors detected/),
    });
  });
});

describe('DeleteDomain / ListDomains', () => {
  it('soft-deletes: the domain is no longer listed or described, and a retried delete succeeds', async () => {
    // Prepare
    const domain = await createTestDomain(client, 'doomed');
    expect(await allDomainIds()).toContain(domain.DomainId);
    // Act
    const response = await client.send(new DeleteDomainCommand({ DomainId: domain.DomainId }));
    // Assess
    expect(response.$metadata.httpStatusCode).toBe(200);
    expect(await allDomainIds()).not.toContain(domain.DomainId);
    await expect(client.send(new DescribeDomainCommand({ DomainId: domain.DomainId }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new DeleteDomainCommand({ DomainId: domain.DomainId }))).resolves.toBeDefined();
    await expect(client.send(new DeleteDomainCommand({ DomainId: UNKNOWN_ID }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    // The record is kept, SUSPENDED, until its purge time 30 days on.
    const stored = await localStore().domains.getDomain(domain.DomainId);
    expect(stored?.status).toBe('SUSPENDED');
    expect(stored?.deletedAtMs).toBeGreaterThan(0);
  });

  it('pages domains without duplicates and without a NextToken on the last page', async () => {
    for (let i = 0; i < 3; i += 1) await createTestDomain(client, `page-${i}`);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListDomainsCommand({ MaxResults: 2, NextToken: token }));
      pages += 1;
      expect((page.DomainSummaries ?? []).length).toBeLessThanOrEqual(2);
      seen.push(...(page.DomainSummaries ?? []).map((d) => d.DomainId as string));
      token = page.NextToken;
      if (token === undefined) expect(page.DomainSummaries?.length).toBeGreaterThan(0);
    } while (token !== undefined);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBeGreaterThanOrEqual(2);
  });

  it('refuses MaxResults above 10 and a forged NextToken', async () => {
    await expect(client.send(new ListDomainsCommand({ MaxResults: 11 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new ListDomainsCommand({ NextToken: 'eyJzIjoiTGlzdERvbWFpbnMifQ.AAAA' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('NextToken'),
    });
  });
});
