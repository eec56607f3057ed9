/**
 * Envelope encryption of biometric data with the AWS Encryption SDK: a fresh data key per item from
 * `GenerateDataKey` under the domain's KMS key, with an encryption context naming the domain, so a
 * ciphertext moved to another domain does not decrypt.
 */
import type { KMS } from '@aws-sdk/client-kms';
import { AlgorithmSuiteIdentifier, CommitmentPolicy, KmsKeyringNode, buildClient } from '@aws-crypto/client-node';
import { KeyAccessDeniedError, type DomainKeyRef } from '../voiceid/index.js';
import { EnvelopeError } from './errors.js';

/** The encryption-context key that binds a ciphertext to its domain. */
export const DOMAIN_CONTEXT_KEY = 'timbre:domain-arn';

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

/**
 * Key-committing AES-256-GCM without the ECDSA signature of the SDK's default suite. The signature only keeps out
 * principals who may decrypt but not encrypt; every Timbre role that decrypts a domain's data may also encrypt it,
 * and the P-384 signing and verifying took a large share of a live session's CPU. Older signed items still decrypt.
 */
const SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;

/** KMS errors that mean the key refused us (disabled, pending deletion, no permission). */
const KEY_REFUSALS = new Set(['AccessDeniedException', 'DisabledException', 'KMSInvalidStateException', 'NotFoundException']);

/** Encrypts and decrypts byte payloads for a domain. */
export class DomainEnvelope {
  /** @param kms the aggregated `KMS` client (the Encryption SDK calls its methods directly). */
  constructor(private readonly kms: KMS) {}

  /** Encrypts under `kmsKeyId` (the domain's key unless given), bound to the domain. */
  async seal(domain: DomainKeyRef, plaintext: Uint8Array, kmsKeyId = domain.kmsKeyId): Promise<Buffer> {
    const keyring = new KmsKeyringNode({ generatorKeyId: kmsKeyId, clientProvider: () => this.kms });
    try {
      const { result } = await encrypt(keyring, plaintext, { suiteId: SUITE, encryptionContext: { [DOMAIN_CONTEXT_KEY]: domain.domainArn } });
      return result;
    } catch (error) {
      throw asKeyError(error, `Cannot encrypt with KMS key ${kmsKeyId}`);
    }
  }

  /**
   * Decrypts a payload sealed for this domain, with whichever key sealed it (old keys included, which
   * re-encryption needs).
   * @throws EnvelopeError when it was sealed for another domain or was altered.
   */
  async open(domain: DomainKeyRef, ciphertext: Uint8Array): Promise<Buffer> {
    const keyring = new KmsKeyringNode({ discovery: true, clientProvider: () => this.kms });
    let opened: Awaited<ReturnType<typeof decrypt>>;
    try {
      opened = await decrypt(keyring, ciphertext);
    } catch (error) {
      throw asKeyError(error, 'Cannot decrypt biometric data');
    }
    if (opened.messageHeader.encryptionContext[DOMAIN_CONTEXT_KEY] !== domain.domainArn) {
      throw new EnvelopeError(`Ciphertext does not belong to domain ${domain.domainId}`);
    }
    return opened.plaintext;
  }
}

function asKeyError(error: unknown, message: string): Error {
  const cause = error instanceof Error && 'cause' in error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error && KEY_REFUSALS.has(cause.name)) return new KeyAccessDeniedError(`${message}: ${cause.message}`, { cause: error });
  return new EnvelopeError(message, { cause: error });
}
