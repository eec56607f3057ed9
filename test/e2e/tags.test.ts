import {
  CreateDomainCommand,
  DescribeDomainCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDomainCommand,
} from '@aws-sdk/client-voice-id';
import { describe, expect, it } from 'vitest';
import { makeVoiceIdClient, timbreTestEnv } from '../support/voiceid-client.js';
import { UNKNOWN_ID, createTestDomain } from './helpers.js';

const client = makeVoiceIdClient();

describe('tags', () => {
  it('keeps the tags given at creation, adds and replaces with TagResource, removes with UntagResource', async () => {
    // Prepare
    const { Domain: domain } = await client.send(
      new CreateDomainCommand({
        Name: 'tagged',
        ServerSideEncryptionConfiguration: { KmsKeyId: timbreTestEnv().resources.kmsKeyArn },
        Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'fraud' }],
      }),
    );
    const ResourceArn = domain?.Arn;
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags).toEqual([
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'fraud' },
    ]);
    // Act
    await client.send(new TagResourceCommand({ ResourceArn, Tags: [{ Key: 'env', Value: 'staging' }, { Key: 'cost', Value: '' }] }));
    await client.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['team', 'never-there'] }));
    // Assess
    const { Tags } = await client.send(new ListTagsForResourceCommand({ ResourceArn }));
    expect(Tags).toEqual([
      { Key: 'env', Value: 'staging' },
      { Key: 'cost', Value: '' },
    ]);
  });

  it('answers ResourceNotFoundException for an unknown domain or another account', async () => {
    const domain = await createTestDomain(client);
    const elsewhere = domain.Arn.replace(/:\d{12}:/, ':999999999999:');
    await expect(client.send(new ListTagsForResourceCommand({ ResourceArn: elsewhere }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      ResourceType: 'DOMAIN',
    });
    const unknown = domain.Arn.replace(domain.DomainId, UNKNOWN_ID);
    await expect(client.send(new TagResourceCommand({ ResourceArn: unknown, Tags: [] }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses ARNs that are not domain ARNs and bad tag keys', async () => {
    const domain = await createTestDomain(client);
    await expect(client.send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:kms:us-east-1:000000000000:key/abc' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(client.send(new TagResourceCommand({ ResourceArn: domain.Arn, Tags: [{ Key: 'a;b', Value: 'v' }] }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(client.send(new TagResourceCommand({ ResourceArn: domain.Arn } as never))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses to go beyond 200 tags on a domain', async () => {
    const domain = await createTestDomain(client);
    const batch = (from: number) => Array.from({ length: 150 }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }));
    await client.send(new TagResourceCommand({ ResourceArn: domain.Arn, Tags: batch(0) }));
    await expect(client.send(new TagResourceCommand({ ResourceArn: domain.Arn, Tags: batch(150) }))).rejects.toMatchObject({ name: 'ValidationException' });
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: domain.Arn }))).Tags).toHaveLength(150);
  });

  it('keeps every tag of 50 concurrent TagResource calls with distinct keys', async () => {
    // Prepare
    const domain = await createTestDomain(client);
    const keys = Array.from({ length: 50 }, (_, i) => `parallel-${i}`);
    // Act
    await Promise.all(keys.map((Key) => client.send(new TagResourceCommand({ ResourceArn: domain.Arn, Tags: [{ Key, Value: Key }] }))));
    // Assess
    const { Tags } = await client.send(new ListTagsForResourceCommand({ ResourceArn: domain.Arn }));
    expect(Tags?.map((t) => t.Key).sort()).toEqual([...keys].sort());
  });

  it('keeps both the tag and the update when TagResource races UpdateDomain', async () => {
    const domain = await createTestDomain(client);
    const KmsKeyId = timbreTestEnv().resources.kmsKeyArn;
    for (let round = 0; round < 20; round += 1) {
      const Name = `renamed-${round}`;
      await Promise.all([
        client.send(new TagResourceCommand({ ResourceArn: domain.Arn, Tags: [{ Key: `round-${round}`, Value: 'v' }] })),
        client.send(new UpdateDomainCommand({ DomainId: domain.DomainId, Name, ServerSideEncryptionConfiguration: { KmsKeyId } })),
      ]);
      const { Tags } = await client.send(new ListTagsForResourceCommand({ ResourceArn: domain.Arn }));
      expect(Tags).toContainEqual({ Key: `round-${round}`, Value: 'v' });
      expect((await client.send(new DescribeDomainCommand({ DomainId: domain.DomainId }))).Domain?.Name).toBe(Name);
    }
  });
});
