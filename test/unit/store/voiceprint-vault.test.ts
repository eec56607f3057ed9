import { join } from 'node:path';
import { GetCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, LEGACY_VOICEPRINT_MODEL_ID } from '../../../lambdas/store/index.js';
import { newUniqueId } from '../../../lambdas/voiceid/index.js';
import { DEFAULT_MODEL_CARD_FILE, loadModelCard } from '../../../lambdas/voiceprint/index.js';
import { timbreTestEnv } from '../../support/voiceid-client.js';
import { isolatedStore } from './isolated-table.js';

function domainRef() {
  const domainId = newUniqueId();
  return { domainId, domainArn: `arn:aws:voiceid:us-east-1:123456789012:domain/${domainId}`, kmsKeyId: timbreTestEnv().resources.kmsKeyArn };
}

const embedding = Float32Array.from({ length: 192 }, (_, i) => Math.cos(i) * 0.1);
const voiceprint = { embedding, modelId: 'some-other-model-v2' };

describe('DynamoDbVoiceprintVault', () => {
  it('round-trips a voiceprint with its model id and stores only ciphertext with its TTL', async () => {
    // Prepare
    const { store, tableName, dynamodb } = await isolatedStore();
    const ref = domainRef();
    const expiresAtMs = Date.now() + 3 * 365 * 24 * 3600 * 1000;
    // Act
    await store.voiceprints.putVoiceprint(ref, 'id#Spk0000000000000000001', voiceprint, expiresAtMs);
    // Assess
    expect(await store.voiceprints.getVoiceprint(ref, 'id#Spk0000000000000000001', Date.now())).toEqual(voiceprint);
    const raw = await DynamoDBDocumentClient.from(dynamodb).send(
      new GetCommand({ TableName: tableName, Key: { pk: `DOMAIN#${ref.domainId}`, sk: 'VOICEPRINT#id#Spk0000000000000000001' } }),
    );
    expect(raw.Item?.expiresAt).toBe(Math.floor(expiresAtMs / 1000));
    expect(raw.Item?.modelId).toBe('some-other-model-v2');
    const stored = Buffer.from(raw.Item?.ciphertext as Uint8Array);
    expect(stored.includes(Buffer.from(embedding.buffer))).toBe(false);
  });

  it('reads a voiceprint stored before voiceprints named their model as made by the shipped default model', async () => {
    // Prepare: a voiceprint item as older releases wrote it, without modelId
    const { store, tableName, dynamodb } = await isolatedStore();
    const ref = domainRef();
    await store.voiceprints.putVoiceprint(ref, 'owner', voiceprint, Date.now() + 60_000);
    const key = { pk: `DOMAIN#${ref.domainId}`, sk: 'VOICEPRINT#owner' };
    await DynamoDBDocumentClient.from(dynamodb).send(new UpdateCommand({ TableName: tableName, Key: key, UpdateExpression: 'REMOVE modelId' }));
    // Act
    const legacy = await store.voiceprints.getVoiceprint(ref, 'owner', Date.now());
    // Assess
    expect(legacy).toEqual({ embedding, modelId: LEGACY_VOICEPRINT_MODEL_ID });
    expect(LEGACY_VOICEPRINT_MODEL_ID).toBe(loadModelCard(join(import.meta.dirname, '../../..', DEFAULT_MODEL_CARD_FILE)).id);
  });

  it('treats a voiceprint past its expiry as gone, whether or not TTL has deleted it', async () => {
    const { store } = await isolatedStore();
    const ref = domainRef();
    // TTL attributes hold whole seconds, so expiry is exact only to the second.
    const expiresAtMs = (Math.floor(Date.now() / 1000) + 60) * 1000;
    await store.voiceprints.putVoiceprint(ref, 'owner', voiceprint, expiresAtMs);
    expect(await store.voiceprints.getVoiceprint(ref, 'owner', expiresAtMs - 1)).toEqual(voiceprint);
    expect(await store.voiceprints.getVoiceprint(ref, 'owner', expiresAtMs)).toBeUndefined();
  });

  it("refuses to open another domain's ciphertext", async () => {
    // Prepare: a voiceprint sealed for domain A, copied under domain B's key
    const { store, tableName, dynamodb } = await isolatedStore();
    const a = domainRef();
    const b = domainRef();
    await store.voiceprints.putVoiceprint(a, 'owner', voiceprint, Date.now() + 60_000);
    const doc = DynamoDBDocumentClient.from(dynamodb);
    const item = (await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `DOMAIN#${a.domainId}`, sk: 'VOICEPRINT#owner' } }))).Item;
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...item, pk: `DOMAIN#${b.domainId}` } }));
    // Act / Assess
    await expect(store.voiceprints.getVoiceprint(b, 'owner', Date.now())).rejects.toBeInstanceOf(EnvelopeError);
  });

  it('deletes a voiceprint', async () => {
    const { store } = await isolatedStore();
    const ref = domainRef();
    await store.voiceprints.putVoiceprint(ref, 'owner', voiceprint, Date.now() + 60_000);
    await store.voiceprints.deleteVoiceprint(ref.domainId, 'owner');
    expect(await store.voiceprints.getVoiceprint(ref, 'owner', Date.now())).toBeUndefined();
  });

  it('keeps fraudster voiceprints without a TTL', async () => {
    const { store, tableName, dynamodb } = await isolatedStore();
    const ref = domainRef();
    await store.voiceprints.putVoiceprint(ref, 'id#Frd0000000000000000001', voiceprint, Number.MAX_SAFE_INTEGER);
    const raw = await DynamoDBDocumentClient.from(dynamodb).send(
      new GetCommand({ TableName: tableName, Key: { pk: `DOMAIN#${ref.domainId}`, sk: 'VOICEPRINT#id#Frd0000000000000000001' } }),
    );
    expect(raw.Item).toBeDefined();
    expect(raw.Item?.expiresAt).toBeUndefined();
  });
});

describe('S3AudioVault', () => {
  it('stores encrypted audio per owner, lists and deletes it', async () => {
    const { store } = await isolatedStore();
    const ref = domainRef();
    const audio = new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 251));
    await store.audio.putAudio(ref, 'owner', 'call-1.wav', audio);
    await store.audio.putAudio(ref, 'owner', 'call-2.wav', audio.slice(0, 10));
    expect((await store.audio.listAudio(ref.domainId, 'owner')).sort()).toEqual(['call-1.wav', 'call-2.wav']);
    expect(await store.audio.getAudio(ref, 'owner', 'call-1.wav')).toEqual(audio);
    await store.audio.deleteAllAudio(ref.domainId, 'owner');
    expect(await store.audio.listAudio(ref.domainId, 'owner')).toEqual([]);
    expect(await store.audio.getAudio(ref, 'owner', 'call-1.wav')).toBeUndefined();
  });
});
