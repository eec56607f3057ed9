import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS, ResourceConflictError, createVoiceIdService, type DomainKeyRef, type DomainRepository, type VoiceprintVault } from '../../../lambdas/voiceid/index.js';
import { localServiceConfig, timbreTestEnv } from '../../support/voiceid-client.js';
import { isolatedStore } from '../store/isolated-table.js';

/** The real vault, with a switch that makes re-encryption fail (fault injection, as a disabled key would). */
function faultyVault(real: VoiceprintVault) {
  const control = { failNext: false, seenDuringRekey: undefined as undefined | (() => Promise<void>) };
  const vault: VoiceprintVault = {
    putVoiceprint: (...args) => real.putVoiceprint(...args),
    getVoiceprint: (...args) => real.getVoiceprint(...args),
    deleteVoiceprint: (...args) => real.deleteVoiceprint(...args),
    reencryptDomain: async (domain: DomainKeyRef, oldKmsKeyId: string) => {
      await control.seenDuringRekey?.();
      if (control.failNext) {
        control.failNext = false;
        throw new Error('KMS key is disabled');
      }
      return real.reencryptDomain(domain, oldKmsKeyId);
    },
  };
  return { vault, control };
}

async function newKey(): Promise<string> {
  const kms = new KMSClient(localServiceConfig('kms'));
  return (await kms.send(new CreateKeyCommand({ Description: 'rotation test' }))).KeyMetadata?.Arn as string;
}

describe('DomainService key rotation', () => {
  it('reports FAILED with a message, and an UpdateDomain with the same configuration retries it', async () => {
    // Prepare
    const { store } = await isolatedStore();
    const { vault, control } = faultyVault(store.voiceprints);
    const voiceId = createVoiceIdService({ ...store, voiceprints: vault, quotas: DEFAULT_QUOTAS, arn: { region: 'us-east-1', accountId: '123456789012' } });
    const oldKey = timbreTestEnv().resources.kmsKeyArn;
    const domain = await voiceId.domains.create({ name: 'rotating', kmsKeyId: oldKey });
    const embedding = new Float32Array([0.5, -0.25, 0.125]);
    await voiceId.speakers.recordEnrollment(domain.domainId, 'caller', embedding);
    const target = await newKey();
    // Act: the first attempt fails
    control.failNext = true;
    const failed = await voiceId.domains.update({ domainId: domain.domainId, name: 'rotating', kmsKeyId: target });
    // Assess
    expect(failed.kmsKeyId).toBe(target);
    expect(failed.encryptionUpdate).toMatchObject({ oldKmsKeyId: oldKey, updateStatus: 'FAILED', message: expect.stringContaining('KMS key is disabled') });
    expect((await voiceId.domains.describe(domain.domainId)).encryptionUpdate?.updateStatus).toBe('FAILED');
    // Act: retry with the existing configuration
    const retried = await voiceId.domains.update({ domainId: domain.domainId, name: 'rotating', kmsKeyId: target });
    // Assess
    expect(retried.encryptionUpdate).toEqual({ oldKmsKeyId: oldKey, updateStatus: 'COMPLETED' });
    const speaker = await voiceId.speakers.describe(domain.domainId, 'caller');
    const ref = { domainId: domain.domainId, domainArn: domain.arn, kmsKeyId: target };
    expect(await store.voiceprints.getVoiceprint(ref, speaker.generatedSpeakerId, Date.now())).toEqual(embedding);
  });

  it('refuses a second key change while one is in progress', async () => {
    // Prepare: pause inside the first re-encryption and try another change from there
    const { store } = await isolatedStore();
    const { vault, control } = faultyVault(store.voiceprints);
    const voiceId = createVoiceIdService({ ...store, voiceprints: vault, quotas: DEFAULT_QUOTAS, arn: { region: 'us-east-1', accountId: '123456789012' } });
    const domain = await voiceId.domains.create({ name: 'locked', kmsKeyId: timbreTestEnv().resources.kmsKeyArn });
    const [first, second] = [await newKey(), await newKey()];
    let concurrent: unknown;
    control.seenDuringRekey = async () => {
      control.seenDuringRekey = undefined;
      concurrent = await voiceId.domains.update({ domainId: domain.domainId, name: 'locked', kmsKeyId: second }).catch((error: unknown) => error);
    };
    // Act
    const done = await voiceId.domains.update({ domainId: domain.domainId, name: 'locked', kmsKeyId: first });
    // Assess
    expect(concurrent).toBeInstanceOf(ResourceConflictError);
    expect((concurrent as ResourceConflictError).conflictType).toBe('DOMAIN_LOCKED_FROM_ENCRYPTION_UPDATES');
    expect(done).toMatchObject({ kmsKeyId: first, encryptionUpdate: { updateStatus: 'COMPLETED' } });
  });

  it('works with a domain whose key is named by alias', async () => {
    const { store } = await isolatedStore();
    const voiceId = createVoiceIdService({ ...store, quotas: DEFAULT_QUOTAS, arn: { region: 'us-east-1', accountId: '123456789012' } });
    const alias = timbreTestEnv().resources.kmsKeyAlias;
    const domain = await voiceId.domains.create({ name: 'aliased', kmsKeyId: alias });
    const enrolled = await voiceId.speakers.recordEnrollment(domain.domainId, 'caller', new Float32Array([1, 2]));
    const ref = { domainId: domain.domainId, domainArn: domain.arn, kmsKeyId: alias };
    expect(await store.voiceprints.getVoiceprint(ref, enrolled.generatedSpeakerId, Date.now())).toEqual(new Float32Array([1, 2]));
  });
});

/** Passes each value through once `parties` callers have arrived; later callers pass straight through. */
function barrier(parties: number) {
  let arrived = 0;
  let release!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  return async <T>(value: T): Promise<T> => {
    arrived += 1;
    if (arrived === parties) release();
    if (arrived <= parties) await open;
    return value;
  };
}

describe('DomainService optimistic updates', () => {
  it('lets only one of two racing UpdateDomain calls win, even within one millisecond', async () => {
    const { store } = await isolatedStore();
    const frozen = 1_767_225_600_000;
    // Both calls read the domain before either writes: on a fast machine one could otherwise finish before the other reads.
    const bothRead = barrier(2);
    const domains: DomainRepository = Object.create(store.domains);
    domains.getDomain = async (domainId) => bothRead(await store.domains.getDomain(domainId));
    const voiceId = createVoiceIdService({ ...store, domains, clock: () => frozen, quotas: DEFAULT_QUOTAS, arn: { region: 'us-east-1', accountId: '123456789012' } });
    const kmsKeyId = timbreTestEnv().resources.kmsKeyArn;
    const domain = await createVoiceIdService({ ...store, clock: () => frozen, quotas: DEFAULT_QUOTAS, arn: { region: 'us-east-1', accountId: '123456789012' } })
      .domains.create({ name: 'racing', kmsKeyId });
    const results = await Promise.allSettled([
      voiceId.domains.update({ domainId: domain.domainId, name: 'first', kmsKeyId }),
      voiceId.domains.update({ domainId: domain.domainId, name: 'second', kmsKeyId }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ResourceConflictError);
    const stored = await voiceId.domains.describe(domain.domainId);
    expect(stored.name).toBe((won[0] as PromiseFulfilledResult<{ name: string }>).value.name);
    expect(stored.updatedAtMs).toBe(frozen + 1);
  });
});
