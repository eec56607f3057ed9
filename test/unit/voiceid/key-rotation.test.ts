import { CreateKeyCommand, DisableKeyCommand, EnableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import {
  ABANDONED_REENCRYPTION_MS,
  DEFAULT_QUOTAS,
  InProcessReencryptionLauncher,
  KeyAccessDeniedError,
  ReencryptionWorker,
  ResourceConflictError,
  createVoiceIdService,
  keyRef,
  type DomainRecord,
  type DomainRepository,
  type VoiceIdDependencies,
} from '../../../lambdas/voiceid/index.js';
import type { SessionRecord } from '../../../lambdas/voiceid/sessions/types.js';
import type { TimbreStore } from '../../../lambdas/store/index.js';
import { localServiceConfig, timbreTestEnv } from '../../support/voiceid-client.js';
import { isolatedStore } from '../store/isolated-table.js';
import { defaultModelVoiceprint } from '../../e2e/helpers.js';

const kms = new KMSClient(localServiceConfig('kms'));
const ARN = { region: 'us-east-1', accountId: '123456789012' };

/** A key of this test's own, so disabling it disturbs no other test. */
async function newKey(description: string): Promise<string> {
  return (await kms.send(new CreateKeyCommand({ Description: description }))).KeyMetadata?.Arn as string;
}

/** Voice ID on an isolated table, with the in-process launcher (small pages, so a few items span several). */
async function rotatingVoiceId(options: { clock?: () => number } = {}) {
  const { store } = await isolatedStore();
  const deps: VoiceIdDependencies = { ...store, quotas: DEFAULT_QUOTAS, arn: ARN, ...(options.clock && { clock: options.clock }) };
  const worker = new ReencryptionWorker(deps, 2);
  const launcher = new InProcessReencryptionLauncher(worker, (error) => {
    throw error;
  });
  return { store, deps, worker, launcher, voiceId: createVoiceIdService({ ...deps, reencryption: launcher }) };
}

function embeddingOf(seed: number): Float32Array {
  return new Float32Array([seed, -seed / 2, seed / 4, 1]);
}

/** A domain with `voiceprints` voiceprints, two audio items and an active session holding voice state, all under its key. */
async function populatedDomain(store: TimbreStore, voiceId: ReturnType<typeof createVoiceIdService>, kmsKeyId: string, voiceprints: number) {
  const domain = await voiceId.domains.create({ name: 'rotating', kmsKeyId });
  const ref = keyRef(domain);
  const owners = Array.from({ length: voiceprints }, (_, i) => `id#Spk${String(i).padStart(19, '0')}`);
  for (const [i, owner] of owners.entries()) await store.voiceprints.putVoiceprint(ref, owner, defaultModelVoiceprint(embeddingOf(i + 1)), Date.now() + 3_600_000);
  await store.audio.putAudio(ref, owners[0]!, 'enrolment-1.wav', new Uint8Array([1, 2, 3]));
  await store.audio.putAudio(ref, owners[0]!, 'enrolment-2.wav', new Uint8Array([4, 5, 6]));
  const now = Date.now();
  const session: SessionRecord = {
    domainId: domain.domainId, sessionId: 'id#Ses0000000000000000001', sessionName: 'call-1', streamingStatus: 'ONGOING',
    minSpeechSeconds: 10, netSpeechSeconds: 0, audioVersion: 0, configVersion: 0, createdAtMs: now, updatedAtMs: now, lastActivityAtMs: now, version: 1,
  };
  await store.sessions.createSession(session, { maxActiveSessions: 10 });
  await store.sessions.updateSession(ref, { ...session, version: 2 }, { expectedVersion: 1, voiceState: new Uint8Array([9, 8, 7]) });
  return { domain, owners };
}

/** Reads every item back under `domain`'s current key record, so a refused key shows as a KeyAccessDeniedError. */
async function readEverything(store: TimbreStore, domain: DomainRecord, owners: readonly string[]) {
  const ref = keyRef(domain);
  const embeddings = await Promise.all(owners.map(async (owner) => (await store.voiceprints.getVoiceprint(ref, owner, Date.now()))?.embedding));
  const audio = await store.audio.getAudio(ref, owners[0]!, 'enrolment-2.wav');
  const session = await store.sessions.getSession(domain.domainId, 'id#Ses0000000000000000001');
  const voiceState = await store.sessions.openVoiceState(ref, session!.sealedVoiceState!);
  return { embeddings, audio, voiceState };
}

describe('UpdateDomain with a new KMS key', () => {
  it('answers IN_PROGRESS at once, re-encrypts voiceprints, audio and session voice state over several pages, then reports COMPLETED', async () => {
    // Prepare
    const { store, launcher, voiceId } = await rotatingVoiceId();
    const [oldKey, newKeyArn] = [await newKey('rotation source'), await newKey('rotation target')];
    const { domain, owners } = await populatedDomain(store, voiceId, oldKey, 5);
    // Act
    const answered = await voiceId.domains.update({ domainId: domain.domainId, name: 'rotating', kmsKeyId: newKeyArn });
    // Assess
    expect(answered.kmsKeyId).toBe(newKeyArn);
    expect(answered.encryptionUpdate).toMatchObject({ oldKmsKeyId: oldKey, updateStatus: 'IN_PROGRESS' });
    await launcher.idle();
    const done = await voiceId.domains.describe(domain.domainId);
    expect(done.encryptionUpdate).toMatchObject({ oldKmsKeyId: oldKey, updateStatus: 'COMPLETED' });
    expect(done.encryptionUpdate?.message).toBeUndefined();
    // Everything reads back with the old key disabled: nothing depends on it any more.
    await kms.send(new DisableKeyCommand({ KeyId: oldKey }));
    const read = await readEverything(store, done, owners);
    expect(read.embeddings).toEqual(owners.map((_, i) => embeddingOf(i + 1)));
    expect(read.audio).toEqual(new Uint8Array([4, 5, 6]));
    expect(read.voiceState).toEqual(new Uint8Array([9, 8, 7]));
  });

  it('refuses a second key change while one is in progress, and allows it once the first is abandoned', async () => {
    // Prepare: a launcher that starts nothing leaves the first change IN_PROGRESS
    let now = Date.now();
    const { store } = await isolatedStore();
    const idle = { launch: async () => undefined };
    const voiceId = createVoiceIdService({ ...store, quotas: DEFAULT_QUOTAS, arn: ARN, clock: () => now, reencryption: idle });
    const domain = await voiceId.domains.create({ name: 'locked', kmsKeyId: await newKey('locked source') });
    const [first, second] = [await newKey('first'), await newKey('second')];
    await voiceId.domains.update({ domainId: domain.domainId, name: 'locked', kmsKeyId: first });
    // Act
    const refused = await voiceId.domains.update({ domainId: domain.domainId, name: 'locked', kmsKeyId: second }).catch((error: unknown) => error);
    // Assess
    expect(refused).toBeInstanceOf(ResourceConflictError);
    expect((refused as ResourceConflictError).conflictType).toBe('DOMAIN_LOCKED_FROM_ENCRYPTION_UPDATES');
    // A rename with the same key is no key change: it is allowed and keeps the change running.
    const renamed = await voiceId.domains.update({ domainId: domain.domainId, name: 'renamed', kmsKeyId: first });
    expect(renamed).toMatchObject({ name: 'renamed', encryptionUpdate: { updateStatus: 'IN_PROGRESS' } });
    // Act: no heartbeat for 15 minutes means the worker died
    now += ABANDONED_REENCRYPTION_MS;
    const moved = await voiceId.domains.update({ domainId: domain.domainId, name: 'renamed', kmsKeyId: second });
    // Assess
    expect(moved).toMatchObject({ kmsKeyId: second, encryptionUpdate: { oldKmsKeyId: first, updateStatus: 'IN_PROGRESS' } });
  });

  it('ends FAILED with a message when the new key is disabled mid-way, loses nothing, and completes on UpdateDomain with the same configuration', async () => {
    // Prepare: pause the worker after its first page, then disable the new key
    const { store, deps, launcher, voiceId } = await rotatingVoiceId();
    const [oldKey, target] = [await newKey('source'), await newKey('disabled mid-way')];
    const { domain, owners } = await populatedDomain(store, voiceId, oldKey, 5);
    const paused = createVoiceIdService({ ...deps, reencryption: { launch: async () => undefined } });
    await paused.domains.update({ domainId: domain.domainId, name: 'rotating', kmsKeyId: target });
    const worker = new ReencryptionWorker(deps, 2);
    const firstPage = await worker.run(domain.domainId, { shouldPause: () => true });
    expect(firstPage).toMatchObject({ status: 'PAUSED', rewrapped: 2, continueFrom: { phase: 'voiceprints' } });
    await kms.send(new DisableKeyCommand({ KeyId: target }));
    // Act
    const failed = await worker.run(domain.domainId, { from: firstPage.continueFrom! });
    // Assess
    expect(failed.status).toBe('FAILED');
    const described = await voiceId.domains.describe(domain.domainId);
    expect(described.encryptionUpdate).toMatchObject({ oldKmsKeyId: oldKey, updateStatus: 'FAILED', message: expect.stringContaining(target) });
    expect(described.encryptionUpdate?.message).toMatch(/not enabled.*Nothing was lost/);
    // Reads of what is under the disabled key say so clearly.
    const refused = await readEverything(store, described, owners).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(KeyAccessDeniedError);
    expect((refused as Error).message).toContain(`${target} is disabled`);
    // Act: access returns; the same configuration again restarts the change
    await kms.send(new EnableKeyCommand({ KeyId: target }));
    const retried = await voiceId.domains.update({ domainId: domain.domainId, name: 'rotating', kmsKeyId: target });
    expect(retried.encryptionUpdate?.updateStatus).toBe('IN_PROGRESS');
    await launcher.idle();
    // Assess
    expect((await voiceId.domains.describe(domain.domainId)).encryptionUpdate).toMatchObject({ oldKmsKeyId: oldKey, updateStatus: 'COMPLETED' });
    await kms.send(new DisableKeyCommand({ KeyId: oldKey }));
    const read = await readEverything(store, described, owners);
    expect(read.embeddings).toEqual(owners.map((_, i) => embeddingOf(i + 1)));
    expect(read.voiceState).toEqual(new Uint8Array([9, 8, 7]));
  });

  it('is restarted by the sweep after a FAILED change once the key is enabled again, skipping items already moved', async () => {
    // Prepare: a change that failed after the first page
    const { store, deps, voiceId } = await rotatingVoiceId();
    const [oldKey, target] = [await newKey('source'), await newKey('sweep target')];
    const { domain, owners } = await populatedDomain(store, voiceId, oldKey, 3);
    await createVoiceIdService({ ...deps, reencryption: { launch: async () => undefined } })
      .domains.update({ domainId: domain.domainId, name: 'rotating', kmsKeyId: target });
    const worker = new ReencryptionWorker(deps, 2);
    const firstPage = await worker.run(domain.domainId, { shouldPause: () => true });
    await kms.send(new DisableKeyCommand({ KeyId: target }));
    expect((await worker.run(domain.domainId, { from: firstPage.continueFrom! })).status).toBe('FAILED');
    await kms.send(new EnableKeyCommand({ KeyId: target }));
    // Act: the sweep's restart, run here through a launcher that reports what the run did
    const outcomes: unknown[] = [];
    const sweeping = createVoiceIdService({ ...deps, reencryption: { launch: async (id) => void outcomes.push(await worker.run(id)) } });
    const restarted = await sweeping.domains.restartStalledReencryptions();
    // Assess
    expect(restarted).toContain(domain.domainId);
    expect(outcomes).toEqual([expect.objectContaining({ status: 'COMPLETED', skipped: 2 })]);
    expect((await voiceId.domains.describe(domain.domainId)).encryptionUpdate?.updateStatus).toBe('COMPLETED');
    await kms.send(new DisableKeyCommand({ KeyId: oldKey }));
    expect((await readEverything(store, await voiceId.domains.describe(domain.domainId), owners)).embeddings).toEqual(owners.map((_, i) => embeddingOf(i + 1)));
    // Nothing is stalled now: a second sweep restarts nothing of this domain.
    expect(await sweeping.domains.restartStalledReencryptions()).not.toContain(domain.domainId);
  });

  it('leaves the domain FAILED, to retry, when the re-encryption cannot be started', async () => {
    const { store } = await isolatedStore();
    const unreachable = { launch: () => Promise.reject(new Error('the re-encryption function cannot be invoked')) };
    const voiceId = createVoiceIdService({ ...store, quotas: DEFAULT_QUOTAS, arn: ARN, reencryption: unreachable });
    const domain = await voiceId.domains.create({ name: 'unlaunched', kmsKeyId: await newKey('source') });
    const answered = await voiceId.domains.update({ domainId: domain.domainId, name: 'unlaunched', kmsKeyId: await newKey('target') });
    expect(answered.encryptionUpdate).toMatchObject({ updateStatus: 'FAILED', message: expect.stringContaining('cannot be invoked') });
    expect((await voiceId.domains.describe(domain.domainId)).encryptionUpdate?.updateStatus).toBe('FAILED');
  });

  it('works with a domain whose key is named by alias', async () => {
    const { store, launcher, voiceId } = await rotatingVoiceId();
    const alias = timbreTestEnv().resources.kmsKeyAlias;
    const domain = await voiceId.domains.create({ name: 'aliased', kmsKeyId: await newKey('source') });
    const enrolled = await voiceId.speakers.recordEnrollment(domain.domainId, 'caller', defaultModelVoiceprint(new Float32Array([1, 2])));
    await voiceId.domains.update({ domainId: domain.domainId, name: 'aliased', kmsKeyId: alias });
    await launcher.idle();
    const done = await voiceId.domains.describe(domain.domainId);
    expect(done.encryptionUpdate?.updateStatus).toBe('COMPLETED');
    expect(await store.voiceprints.getVoiceprint(keyRef(done), enrolled.generatedSpeakerId, Date.now())).toEqual(defaultModelVoiceprint(new Float32Array([1, 2])));
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
    const voiceId = createVoiceIdService({ ...store, domains, clock: () => frozen, quotas: DEFAULT_QUOTAS, arn: ARN });
    const kmsKeyId = timbreTestEnv().resources.kmsKeyArn;
    const domain = await createVoiceIdService({ ...store, clock: () => frozen, quotas: DEFAULT_QUOTAS, arn: ARN })
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
