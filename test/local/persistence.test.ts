import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalTimbre, type LocalTimbre } from '../../lambdas/local/index.js';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function clients(local: LocalTimbre): { ddb: DynamoDBClient; s3: S3Client; kms: KMSClient } {
  const base = { region: local.region, credentials: local.serviceCredentials };
  return {
    ddb: new DynamoDBClient({ ...base, endpoint: local.endpoints.dynamodb }),
    s3: new S3Client({ ...base, endpoint: local.endpoints.s3, forcePathStyle: true }),
    kms: new KMSClient({ ...base, endpoint: local.endpoints.kms }),
  };
}

describe('startLocalTimbre on a persistent data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'timbre-persist-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps items, objects, KMS key material and credentials across a restart, and stops java', { timeout: 240_000 }, async () => {
    // Prepare: write through every service, then stop.
    const first = await startLocalTimbre({ port: 0, dataDir, onError: () => undefined });
    const a = clients(first);
    await a.ddb.send(new PutItemCommand({ TableName: first.resources.tableName, Item: { pk: { S: 'persist' }, sk: { S: 'one' }, note: { S: 'kept' } } }));
    await a.s3.send(new PutObjectCommand({ Bucket: first.resources.audioBucket, Key: 'persist/audio.bin', Body: Buffer.from([1, 2, 3, 4]) }));
    const { CiphertextBlob } = await a.kms.send(new EncryptCommand({ KeyId: first.resources.kmsKeyArn, Plaintext: Buffer.from('voiceprint'), EncryptionContext: { domain: 'd1' } }));
    await first.stop();
    expect(isRunning(first.javaPid)).toBe(false);

    // Act: start again on the same directory.
    const second = await startLocalTimbre({ port: 0, dataDir, onError: () => undefined });
    try {
      const b = clients(second);
      // Assess
      expect(second.credentials).toEqual(first.credentials);
      expect(second.resources).toEqual(first.resources);
      const item = await b.ddb.send(new GetItemCommand({ TableName: second.resources.tableName, Key: { pk: { S: 'persist' }, sk: { S: 'one' } } }));
      expect(item.Item?.note).toEqual({ S: 'kept' });
      const object = await b.s3.send(new GetObjectCommand({ Bucket: second.resources.audioBucket, Key: 'persist/audio.bin' }));
      expect([...(await object.Body!.transformToByteArray())]).toEqual([1, 2, 3, 4]);
      const decrypted = await b.kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { domain: 'd1' } }));
      expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('voiceprint');
    } finally {
      await second.stop();
    }
    expect(isRunning(second.javaPid)).toBe(false);
  });
});
