import { randomBytes } from 'node:crypto';
import {
  AlreadyExistsException, CancelKeyDeletionCommand, CreateAliasCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, DisableKeyCommand,
  DisabledException, EnableKeyCommand, EncryptCommand, EnableKeyRotationCommand, GenerateDataKeyCommand, GenerateDataKeyWithoutPlaintextCommand,
  GetKeyRotationStatusCommand, IncorrectKeyException, InvalidCiphertextException, KMS, KMSClient, KMSInvalidStateException, ListAliasesCommand,
  ListKeysCommand, NotFoundException, ReEncryptCommand, ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { buildClient, CommitmentPolicy, getClient, KmsKeyringNode } from '@aws-crypto/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { localServiceConfig, timbreTestEnv } from '../../support/voiceid-client.js';

describe('local KMS server', () => {
  let kms: KMSClient;
  let keyArn: string;

  beforeAll(async () => {
    kms = new KMSClient({ ...localServiceConfig('kms'), maxAttempts: 1 });
    keyArn = (await kms.send(new CreateKeyCommand({ Description: 'kms-server test' }))).KeyMetadata!.Arn!;
  });

  it('round-trips Encrypt and Decrypt through an alias with an encryption context', async () => {
    const alias = `alias/test-${randomBytes(4).toString('hex')}`;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
    const plaintext = randomBytes(100);
    const context = { domain: 'dom-1', purpose: 'voiceprint' };
    const encrypted = await kms.send(new EncryptCommand({ KeyId: alias, Plaintext: plaintext, EncryptionContext: context }));
    expect(encrypted.KeyId).toBe(keyArn);
    // Context keys in another order authenticate the same.
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { purpose: 'voiceprint', domain: 'dom-1' } }));
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(plaintext);
    expect(decrypted.KeyId).toBe(keyArn);
  });

  it('refuses a ciphertext under another encryption context', async () => {
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('secret'), EncryptionContext: { domain: 'a' } }));
    await expect(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { domain: 'b' } }))).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toBeInstanceOf(InvalidCiphertextException);
  });

  it('refuses a tampered ciphertext', async () => {
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('secret') }));
    const tampered = Buffer.from(CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 0x01;
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: tampered }))).rejects.toBeInstanceOf(InvalidCiphertextException);
  });

  it('refuses Decrypt naming a different key than the one that encrypted', async () => {
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('secret') }));
    await expect(kms.send(new DecryptCommand({ CiphertextBlob, KeyId: other }))).rejects.toBeInstanceOf(IncorrectKeyException);
  });

  it('generates data keys whose ciphertext decrypts to the plaintext key', async () => {
    const generated = await kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: { d: '1' } }));
    expect(generated.Plaintext).toHaveLength(32);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, EncryptionContext: { d: '1' } }));
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(Buffer.from(generated.Plaintext!));
    const withoutPlaintext = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyArn, NumberOfBytes: 16 }));
    expect(withoutPlaintext).not.toHaveProperty('Plaintext');
    expect((await kms.send(new DecryptCommand({ CiphertextBlob: withoutPlaintext.CiphertextBlob }))).Plaintext).toHaveLength(16);
  });

  it('re-encrypts under another key and context', async () => {
    const destination = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('moved'), EncryptionContext: { from: 'x' } }));
    const moved = await kms.send(new ReEncryptCommand({ CiphertextBlob, SourceEncryptionContext: { from: 'x' }, DestinationKeyId: destination, DestinationEncryptionContext: { to: 'y' } }));
    expect(moved.SourceKeyId).toBe(keyArn);
    expect(moved.KeyId).toBe(destination);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { to: 'y' } }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('moved');
  });

  it('refuses an unsigned Decrypt of a real ciphertext and a request signed with another secret', async () => {
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('voiceprint') }));
    const unsigned = await fetch(localServiceConfig('kms').endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Decrypt' },
      body: JSON.stringify({ CiphertextBlob: Buffer.from(CiphertextBlob!).toString('base64') }),
    });
    expect(unsigned.status).toBe(400);
    const answer = (await unsigned.json()) as Record<string, unknown>;
    expect(answer.__type).toBe('MissingAuthenticationTokenException');
    expect(answer).not.toHaveProperty('Plaintext');
    const { credentials, ...rest } = localServiceConfig('kms');
    const forged = new KMSClient({ ...rest, credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: 'not-the-secret' }, maxAttempts: 1 });
    await expect(forged.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    const stranger = new KMSClient({ ...rest, credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: credentials.secretAccessKey }, maxAttempts: 1 });
    await expect(stranger.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
  });

  it('answers UnknownOperationException for targets that are not its own operations', async () => {
    for (const target of ['TrentService.constructor', 'TrentService.hasOwnProperty', 'TrentService.__proto__', 'TrentService.Nope']) {
      const client = new KMSClient({ ...localServiceConfig('kms'), maxAttempts: 1 });
      // A signed request whose target is rewritten before signing, as a hand-made call would send it.
      client.middlewareStack.add((next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-amz-target'] = target;
        return next(args);
      }, { step: 'build' });
      const error = (await client.send(new ListKeysCommand({})).catch((e: unknown) => e)) as { name: string; message: string; $metadata: { httpStatusCode?: number } };
      expect({ target, name: error.name, status: error.$metadata.httpStatusCode }).toEqual({ target, name: 'UnknownOperationException', status: 400 });
      expect(error.message).not.toContain('keys.json');
    }
  });

  it('refuses Encrypt, Decrypt and GenerateDataKey with a disabled key and serves them again once it is enabled', async () => {
    // Prepare
    const key = (await kms.send(new CreateKeyCommand({ Description: 'to disable' }))).KeyMetadata!.Arn!;
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('kept') }));
    // Act
    await kms.send(new DisableKeyCommand({ KeyId: key }));
    // Assess
    expect((await kms.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
    await expect(kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('x') }))).rejects.toBeInstanceOf(DisabledException);
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject({ name: 'DisabledException', message: expect.stringContaining(key) });
    await expect(kms.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: 'AES_256' }))).rejects.toBeInstanceOf(DisabledException);
    // Act: access returns, and nothing was lost
    await kms.send(new EnableKeyCommand({ KeyId: key }));
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString()).toBe('kept');
    expect((await kms.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata).toMatchObject({ Enabled: true, KeyState: 'Enabled' });
  });

  it('puts a key pending deletion out of use until the deletion is cancelled, which leaves it Disabled as AWS does', async () => {
    // Prepare
    const key = (await kms.send(new CreateKeyCommand({ Description: 'to delete' }))).KeyMetadata!.Arn!;
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key, Plaintext: Buffer.from('kept') }));
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId: key, PendingWindowInDays: 6 }))).rejects.toMatchObject({ name: 'ValidationException' });
    // Act
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key, PendingWindowInDays: 7 }));
    // Assess
    expect(scheduled).toMatchObject({ KeyId: key, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(scheduled.DeletionDate!.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toBeInstanceOf(KMSInvalidStateException);
    await expect(kms.send(new EnableKeyCommand({ KeyId: key }))).rejects.toBeInstanceOf(KMSInvalidStateException);
    await expect(kms.send(new DisableKeyCommand({ KeyId: key }))).rejects.toBeInstanceOf(KMSInvalidStateException);
    // Act: cancel, then enable
    expect((await kms.send(new CancelKeyDeletionCommand({ KeyId: key }))).KeyId).toBe(key);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    expect((await kms.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata?.DeletionDate).toBeUndefined();
    await expect(kms.send(new CancelKeyDeletionCommand({ KeyId: key }))).rejects.toBeInstanceOf(KMSInvalidStateException);
    await kms.send(new EnableKeyCommand({ KeyId: key }));
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString()).toBe('kept');
  });

  it('keeps key rotation status', async () => {
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }))).KeyRotationEnabled).toBe(false);
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyArn }));
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }))).KeyRotationEnabled).toBe(true);
  });

  it('answers NotFoundException for an unknown key and AlreadyExistsException for a taken alias', async () => {
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/does-not-exist' }))).rejects.toBeInstanceOf(NotFoundException);
    const alias = `alias/dup-${randomBytes(4).toString('hex')}`;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
    await expect(kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }))).rejects.toBeInstanceOf(AlreadyExistsException);
  });

  it('has the stack key, its alias and alias/timbre-local provisioned', async () => {
    const { resources } = timbreTestEnv();
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName);
    expect(aliases).toEqual(expect.arrayContaining([resources.kmsKeyAlias, resources.localKeyAlias]));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: resources.kmsKeyAlias }))).KeyMetadata!.Arn).toBe(resources.kmsKeyArn);
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: resources.kmsKeyArn }))).KeyRotationEnabled).toBe(true);
  });
});

describe('local KMS server with the AWS Encryption SDK KmsKeyringNode', () => {
  const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  let keyArn: string;
  let keyring: KmsKeyringNode;

  beforeAll(async () => {
    const config = localServiceConfig('kms');
    const kms = new KMSClient(config);
    keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    // getClient needs the aggregated KMS class (it calls kms.generateDataKey()).
    keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: getClient(KMS, { endpoint: config.endpoint, credentials: config.credentials, region: config.region }) });
  });

  it('round-trips an envelope-encrypted payload with its encryption context', async () => {
    const payload = randomBytes(4096);
    const { result } = await encrypt(keyring, payload, { encryptionContext: { domain: 'dom-1' } });
    const { plaintext, messageHeader } = await decrypt(keyring, result);
    expect(Buffer.from(plaintext)).toEqual(payload);
    expect(messageHeader.encryptionContext).toMatchObject({ domain: 'dom-1' });
    expect(messageHeader.encryptedDataKeys[0]!.providerInfo).toBe(keyArn);
  });

  it('refuses a tampered message', async () => {
    const { result } = await encrypt(keyring, Buffer.from('voiceprint'), { encryptionContext: { domain: 'dom-1' } });
    const tampered = Buffer.from(result);
    tampered[tampered.length - 40]! ^= 0x01;
    await expect(decrypt(keyring, tampered)).rejects.toThrow();
  });
});
