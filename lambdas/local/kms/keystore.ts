import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataDirError } from '../shared/errors.js';

/** A KMS API error, carrying the `__type` the SDK turns into a named exception. */
export class KmsApiError extends Error {
  constructor(readonly errorType: string, message: string) {
    super(message);
    this.name = errorType;
  }
}

/** What DescribeKey returns (the subset Timbre and the Encryption SDK read). */
export interface KeyMetadata {
  KeyId: string;
  Arn: string;
  AWSAccountId: string;
  CreationDate: number;
  Description: string;
  Enabled: boolean;
  KeyState: KeyState;
  /** Epoch seconds at which a key PendingDeletion would be deleted. */
  DeletionDate?: number;
  KeyUsage: 'ENCRYPT_DECRYPT';
  KeySpec: 'SYMMETRIC_DEFAULT';
  CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT';
  EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'];
  Origin: 'AWS_KMS';
  KeyManager: 'CUSTOMER';
  MultiRegion: false;
}

interface StoredKey {
  meta: KeyMetadata;
  /** base64 of the 32-byte AES-256 key. */
  material: string;
  rotationEnabled: boolean;
}

interface StoredAlias {
  AliasName: string;
  AliasArn: string;
  TargetKeyId: string;
}

interface KeystoreFile {
  keys: StoredKey[];
  aliases: StoredAlias[];
}

export type EncryptionContext = Record<string, string>;

/** The key states this store models (AWS also has PendingImport, Unavailable and others for imported or external keys). */
export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

/** AWS's bounds on ScheduleKeyDeletion's PendingWindowInDays (default 30). */
const DELETION_WINDOW_DAYS = { min: 7, max: 30, default: 30 } as const;

const BLOB_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The AAD is the context's pairs in key order, so the same context in any order authenticates. */
function contextAad(context: EncryptionContext | undefined): Buffer {
  const pairs = Object.keys(context ?? {}).sort().map((k) => [k, (context ?? {})[k]]);
  return Buffer.from(JSON.stringify(pairs), 'utf8');
}

/**
 * Symmetric KMS keys with their AES-256 material, persisted as JSON in one file so that
 * ciphertext made before a restart decrypts after it. Blob layout:
 * `[version:1][idLength:1][keyId][iv:12][tag:16][ciphertext]`, AES-256-GCM with the
 * encryption context as AAD.
 */
export class KmsKeystore {
  private readonly keys = new Map<string, StoredKey>();
  private readonly aliases = new Map<string, StoredAlias>();

  constructor(private readonly filePath: string, readonly region: string, readonly accountId = '000000000000') {
    if (existsSync(filePath)) {
      let parsed: KeystoreFile;
      try {
        parsed = JSON.parse(readFileSync(filePath, 'utf8')) as KeystoreFile;
      } catch (error) {
        throw new DataDirError(filePath, 'is not a valid KMS keystore', { cause: error });
      }
      for (const key of parsed.keys) this.keys.set(key.meta.KeyId, key);
      for (const alias of parsed.aliases) this.aliases.set(alias.AliasName, alias);
    }
  }

  /** Creates a key with fresh random material; with `keyId`, returns that key when it exists. */
  createKey(description = '', keyId: string = randomUUID()): KeyMetadata {
    const existing = this.keys.get(keyId);
    if (existing !== undefined) return existing.meta;
    const meta: KeyMetadata = {
      KeyId: keyId,
      Arn: `arn:aws:kms:${this.region}:${this.accountId}:key/${keyId}`,
      AWSAccountId: this.accountId,
      CreationDate: Math.floor(Date.now() / 1000),
      Description: description,
      Enabled: true,
      KeyState: 'Enabled',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      MultiRegion: false,
    };
    this.keys.set(keyId, { meta, material: randomBytes(32).toString('base64'), rotationEnabled: false });
    this.save();
    return meta;
  }

  /** Points `aliasName` (`alias/...`) at a key; refuses an alias that exists. */
  createAlias(aliasName: string, targetKeyId: string): void {
    if (!/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(aliasName) || aliasName.startsWith('alias/aws/')) {
      throw new KmsApiError('ValidationException', `Alias must match alias/[a-zA-Z0-9/_-]+ and not start with alias/aws/: ${aliasName}`);
    }
    if (this.aliases.has(aliasName)) throw new KmsApiError('AlreadyExistsException', `An alias with the name ${aliasName} already exists`);
    const key = this.resolve(targetKeyId);
    this.aliases.set(aliasName, {
      AliasName: aliasName,
      AliasArn: `arn:aws:kms:${this.region}:${this.accountId}:${aliasName}`,
      TargetKeyId: key.meta.KeyId,
    });
    this.save();
  }

  hasAlias(aliasName: string): boolean {
    return this.aliases.has(aliasName);
  }

  /** Every alias, or those of one key. */
  listAliases(keyId?: string): StoredAlias[] {
    const target = keyId === undefined ? undefined : this.resolve(keyId).meta.KeyId;
    return [...this.aliases.values()].filter((a) => target === undefined || a.TargetKeyId === target);
  }

  listKeys(): KeyMetadata[] {
    return [...this.keys.values()].map((k) => k.meta);
  }

  /** Key id, key ARN, alias name or alias ARN (of this region and account) → the key; NotFoundException otherwise. */
  resolve(keyRef: string): StoredKey {
    let ref = keyRef;
    const arnMatch = /^arn:aws[a-z-]*:kms:([^:]*):([^:]*):(key\/.+|alias\/.+)$/.exec(ref);
    if (arnMatch !== null) {
      const [, region, account, resource] = arnMatch as unknown as [string, string, string, string];
      // Keys live in one region and account; an ARN naming another names a key this store does not have.
      if (region !== this.region || account !== this.accountId) throw new KmsApiError('NotFoundException', `Key '${keyRef}' does not exist`);
      ref = resource.startsWith('key/') ? resource.slice(4) : resource;
    }
    if (ref.startsWith('alias/')) {
      const alias = this.aliases.get(ref);
      if (alias === undefined) throw new KmsApiError('NotFoundException', `Alias ${keyRef} is not found.`);
      ref = alias.TargetKeyId;
    }
    const key = this.keys.get(ref);
    if (key === undefined) throw new KmsApiError('NotFoundException', `Key '${keyRef}' does not exist`);
    return key;
  }

  setRotation(keyRef: string, enabled: boolean): void {
    this.resolve(keyRef).rotationEnabled = enabled;
    this.save();
  }

  rotationEnabled(keyRef: string): boolean {
    return this.resolve(keyRef).rotationEnabled;
  }

  /** EnableKey: a Disabled key becomes Enabled (again); a key pending deletion must be cancelled first. */
  enableKey(keyRef: string): void {
    this.setState(this.refuseIfPendingDeletion(keyRef), 'Enabled');
  }

  /** DisableKey: the key keeps its material but refuses every cryptographic operation until enabled. */
  disableKey(keyRef: string): void {
    this.setState(this.refuseIfPendingDeletion(keyRef), 'Disabled');
  }

  /**
   * ScheduleKeyDeletion: the key refuses cryptographic operations (KMSInvalidStateException) until the window ends.
   * This store never deletes the material itself: a local data directory may still hold ciphertext under it.
   */
  scheduleKeyDeletion(keyRef: string, pendingWindowInDays: number = DELETION_WINDOW_DAYS.default): { meta: KeyMetadata; pendingWindowInDays: number } {
    if (!Number.isInteger(pendingWindowInDays) || pendingWindowInDays < DELETION_WINDOW_DAYS.min || pendingWindowInDays > DELETION_WINDOW_DAYS.max) {
      throw new KmsApiError('ValidationException', `PendingWindowInDays must be an integer from ${DELETION_WINDOW_DAYS.min} to ${DELETION_WINDOW_DAYS.max}`);
    }
    const key = this.refuseIfPendingDeletion(keyRef);
    const deletionDate = Math.floor(Date.now() / 1000) + pendingWindowInDays * 24 * 60 * 60;
    this.setState(key, 'PendingDeletion', deletionDate);
    return { meta: key.meta, pendingWindowInDays };
  }

  /** CancelKeyDeletion: as in AWS, the key comes back Disabled, not Enabled. */
  cancelKeyDeletion(keyRef: string): KeyMetadata {
    const key = this.resolve(keyRef);
    if (key.meta.KeyState !== 'PendingDeletion') {
      throw new KmsApiError('KMSInvalidStateException', `${key.meta.Arn} is not pending deletion (current KeyState: ${key.meta.KeyState}).`);
    }
    this.setState(key, 'Disabled');
    return key.meta;
  }

  private refuseIfPendingDeletion(keyRef: string): StoredKey {
    const key = this.resolve(keyRef);
    if (key.meta.KeyState === 'PendingDeletion') throw new KmsApiError('KMSInvalidStateException', `${key.meta.Arn} is pending deletion.`);
    return key;
  }

  private setState(key: StoredKey, state: KeyState, deletionDate?: number): void {
    const { DeletionDate: _previous, ...meta } = key.meta;
    key.meta = { ...meta, KeyState: state, Enabled: state === 'Enabled', ...(deletionDate !== undefined && { DeletionDate: deletionDate }) };
    this.save();
  }

  /** The key for a cryptographic operation: AWS refuses those with a key that is not Enabled. */
  private usableKey(key: StoredKey): StoredKey {
    if (key.meta.KeyState === 'Disabled') throw new KmsApiError('DisabledException', `${key.meta.Arn} is disabled.`);
    if (key.meta.KeyState === 'PendingDeletion') throw new KmsApiError('KMSInvalidStateException', `${key.meta.Arn} is pending deletion.`);
    return key;
  }

  /** Encrypts `plaintext` under an Enabled key with `context` as AAD (a disabled key: see {@link decrypt}). */
  encrypt(keyRef: string, plaintext: Buffer, context?: EncryptionContext): { blob: Buffer; key: KeyMetadata } {
    if (plaintext.length < 1 || plaintext.length > 4096) {
      throw new KmsApiError('ValidationException', 'Plaintext must be between 1 and 4096 bytes');
    }
    const key = this.usableKey(this.resolve(keyRef));
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.material, 'base64'), iv);
    cipher.setAAD(contextAad(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(key.meta.KeyId, 'utf8');
    const blob = Buffer.concat([Buffer.from([BLOB_VERSION, id.length]), id, iv, cipher.getAuthTag(), body]);
    return { blob, key: key.meta };
  }

  /**
   * Decrypts a blob made by {@link encrypt}. A tampered blob or a different context gives
   * InvalidCiphertextException; an `expectedKeyRef` naming another key gives IncorrectKeyException; a key that is
   * not Enabled gives DisabledException (Disabled) or KMSInvalidStateException (PendingDeletion), as AWS does.
   */
  decrypt(blob: Buffer, context?: EncryptionContext, expectedKeyRef?: string): { plaintext: Buffer; key: KeyMetadata } {
    const invalid = new KmsApiError('InvalidCiphertextException', 'The ciphertext is invalid or was made with another encryption context');
    if (blob.length < 2 || blob[0] !== BLOB_VERSION) throw invalid;
    const idLength = blob[1]!;
    const headerBytes = 2 + idLength + IV_BYTES + TAG_BYTES;
    if (blob.length < headerBytes) throw invalid;
    const keyId = blob.subarray(2, 2 + idLength).toString('utf8');
    const key = this.keys.get(keyId);
    if (key === undefined) throw invalid;
    if (expectedKeyRef !== undefined && this.resolve(expectedKeyRef).meta.KeyId !== keyId) {
      throw new KmsApiError('IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext');
    }
    this.usableKey(key);
    const iv = blob.subarray(2 + idLength, 2 + idLength + IV_BYTES);
    const tag = blob.subarray(2 + idLength + IV_BYTES, headerBytes);
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key.material, 'base64'), iv);
    decipher.setAAD(contextAad(context));
    decipher.setAuthTag(tag);
    try {
      return { plaintext: Buffer.concat([decipher.update(blob.subarray(headerBytes)), decipher.final()]), key: key.meta };
    } catch {
      throw invalid;
    }
  }

  private save(): void {
    mkdirSync(dirname(this.filePath), { recursive: true, mode: 0o700 });
    const file: KeystoreFile = { keys: [...this.keys.values()], aliases: [...this.aliases.values()] };
    const tmp = `${this.filePath}.tmp`;
    writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600 });
    renameSync(tmp, this.filePath);
  }
}
