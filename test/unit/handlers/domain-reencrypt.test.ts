import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateDomainCommand, DescribeDomainCommand } from '@aws-sdk/client-voice-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/contract/env-names.js';
import { handler, readReencryptionEvent, ReencryptionEventError } from '../../../lambdas/handlers/domain-reencrypt.js';
import { LambdaRegistry } from '../../../lambdas/local/lambda/registry.js';
import { buildTimbreStack, synthesizeTemplate } from '../../../lambdas/local/template/synthesize.js';
import { TemplateResolver } from '../../../lambdas/local/template/resolver.js';
import { DEFAULT_QUOTAS, createVoiceIdService } from '../../../lambdas/voiceid/index.js';
import { localServiceConfig, localServiceEnv, makeVoiceIdClient, timbreTestEnv } from '../../support/voiceid-client.js';
import { fakeVoiceprint, localStore } from '../../e2e/helpers.js';

const LOCAL_ACCOUNT_ID = '000000000000';

describe('readReencryptionEvent', () => {
  it('accepts a domain ID, with or without where to continue from', () => {
    expect(readReencryptionEvent({ domainId: 'a'.repeat(22) })).toEqual({ domainId: 'a'.repeat(22) });
    expect(readReencryptionEvent({ domainId: 'a'.repeat(22), continueFrom: { phase: 'audio', cursor: 'x' } })).toEqual({
      domainId: 'a'.repeat(22),
      continueFrom: { phase: 'audio', cursor: 'x' },
    });
  });

  it('refuses anything else with a ReencryptionEventError that says what is wrong', () => {
    expect(() => readReencryptionEvent(null)).toThrow(ReencryptionEventError);
    expect(() => readReencryptionEvent({ domainId: 'short' })).toThrow(/domainId must be a 22-character domain ID/);
    expect(() => readReencryptionEvent({ domainId: 'a'.repeat(22), continueFrom: { phase: 'keys' } })).toThrow(/continueFrom.phase must be one of voiceprints, sessions, audio/);
    expect(() => readReencryptionEvent({ domainId: 'a'.repeat(22), continueFrom: { phase: 'audio', cursor: 7 } })).toThrow(/cursor must be a string/);
  });
});

describe('the domain-reencrypt handler', () => {
  const saved = { ...process.env };
  let functionName: string;

  beforeAll(async () => {
    const env = timbreTestEnv();
    const { stackName, template } = await synthesizeTemplate(buildTimbreStack(), { account: LOCAL_ACCOUNT_ID, region: env.region });
    const functions = new LambdaRegistry(new TemplateResolver(template, { region: env.region, accountId: LOCAL_ACCOUNT_ID, stackName }));
    functionName = functions.all().find((fn) => fn.entry === 'lambdas/handlers/domain-reencrypt.ts')!.name;
    Object.assign(process.env, { [ENV.TABLE_NAME]: env.resources.tableName, [ENV.AUDIO_BUCKET]: env.resources.audioBucket, ...localServiceEnv() });
  });

  afterAll(() => {
    process.env = saved;
  });

  it('hands the rest on to a fresh invocation of itself when its time runs low, and that one completes the change', async () => {
    // Prepare: a key change of 60 voiceprints recorded IN_PROGRESS, with no run started yet
    const kms = new KMSClient(localServiceConfig('kms'));
    const [oldKey, newKey] = await Promise.all(['hand-over source', 'hand-over target'].map(async (Description) => (await kms.send(new CreateKeyCommand({ Description }))).KeyMetadata!.Arn!));
    const client = makeVoiceIdClient();
    const { Domain: domain } = await client.send(new CreateDomainCommand({ Name: 'hand-over', ServerSideEncryptionConfiguration: { KmsKeyId: oldKey } }));
    const store = localStore();
    const ref = { domainId: domain!.DomainId!, domainArn: domain!.Arn!, kmsKeyId: oldKey };
    await Promise.all(Array.from({ length: 60 }, (_, i) => store.voiceprints.putVoiceprint(ref, `id#Spk${String(i).padStart(19, '0')}`, fakeVoiceprint(i), Date.now() + 3_600_000)));
    const notStarted = createVoiceIdService({ ...store, quotas: DEFAULT_QUOTAS, arn: { region: timbreTestEnv().region, accountId: LOCAL_ACCOUNT_ID }, reencryption: { launch: async () => undefined } });
    await notStarted.domains.update({ domainId: ref.domainId, name: 'hand-over', kmsKeyId: newKey });
    // Act: a budget already spent: one page, then the hand-over
    const outcome = await handler({ domainId: ref.domainId }, { functionName, getRemainingTimeInMillis: () => 0 });
    // Assess
    expect(outcome).toMatchObject({ status: 'PAUSED', rewrapped: 25, continueFrom: { phase: 'voiceprints', cursor: expect.any(String) } });
    let described = (await client.send(new DescribeDomainCommand({ DomainId: ref.domainId }))).Domain;
    for (let polls = 0; described?.ServerSideEncryptionUpdateDetails?.UpdateStatus === 'IN_PROGRESS' && polls < 600; polls += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      described = (await client.send(new DescribeDomainCommand({ DomainId: ref.domainId }))).Domain;
    }
    expect(described?.ServerSideEncryptionUpdateDetails).toEqual({ OldKmsKeyId: oldKey, UpdateStatus: 'COMPLETED' });
  }, 120_000);
});
