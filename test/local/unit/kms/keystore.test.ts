import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirError } from '../../../../lambdas/local/shared/errors.js';
import { KmsApiError, KmsKeystore } from '../../../../lambdas/local/kms/keystore.js';

describe('KmsKeystore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbre-keystore-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decrypts after being reloaded from its file, aliases and rotation included', () => {
    const path = join(dir, 'keys.json');
    const first = new KmsKeystore(path, 'us-east-1');
    const key = first.createKey('persisted');
    first.createAlias('alias/kept', key.KeyId);
    first.setRotation(key.Arn, true);
    const { blob } = first.encrypt('alias/kept', Buffer.from('material'), { domain: 'd' });

    const reloaded = new KmsKeystore(path, 'us-east-1');
    expect(reloaded.decrypt(blob, { domain: 'd' }).plaintext.toString()).toBe('material');
    expect(reloaded.resolve('alias/kept').meta.KeyId).toBe(key.KeyId);
    expect(reloaded.rotationEnabled(key.KeyId)).toBe(true);
  });

  it('resolves key and alias ARNs of its own region and account only', () => {
    const store = new KmsKeystore(join(dir, 'arns.json'), 'us-east-1', '000000000000');
    const key = store.createKey();
    store.createAlias('alias/scoped', key.KeyId);
    expect(store.resolve(key.Arn).meta.KeyId).toBe(key.KeyId);
    expect(store.resolve('arn:aws:kms:us-east-1:000000000000:alias/scoped').meta.KeyId).toBe(key.KeyId);
    for (const foreign of [
      `arn:aws:kms:eu-west-1:000000000000:key/${key.KeyId}`,
      `arn:aws:kms:us-east-1:111122223333:key/${key.KeyId}`,
      'arn:aws:kms:eu-west-1:000000000000:alias/scoped',
    ]) {
      expect(() => store.resolve(foreign)).toThrow(expect.objectContaining({ errorType: 'NotFoundException' }));
    }
  });

  it('returns the existing key when created again with the same id', () => {
    const store = new KmsKeystore(join(dir, 'ids.json'), 'us-east-1');
    const a = store.createKey('a', '11111111-2222-4333-a444-555555555555');
    const b = store.createKey('b', '11111111-2222-4333-a444-555555555555');
    expect(b).toEqual(a);
  });

  it('refuses a truncated blob and a blob from an unknown key', () => {
    const store = new KmsKeystore(join(dir, 'blobs.json'), 'us-east-1');
    const key = store.createKey();
    const { blob } = store.encrypt(key.KeyId, Buffer.from('x'));
    expect(() => store.decrypt(blob.subarray(0, 20))).toThrow(KmsApiError);
    const other = new KmsKeystore(join(dir, 'other.json'), 'us-east-1');
    expect(() => other.decrypt(blob)).toThrow(expect.objectContaining({ errorType: 'InvalidCiphertextException' }));
  });

  it('names the file when it cannot be read back', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ not json');
    expect(() => new KmsKeystore(path, 'us-east-1')).toThrow(DataDirError);
  });
});
