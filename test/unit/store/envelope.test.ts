/** DomainEnvelope against the suite's local KMS: which Encryption SDK suite it writes, and what it still reads. */
import { KMS } from '@aws-sdk/client-kms';
import { CommitmentPolicy, KmsKeyringNode, buildClient } from '@aws-crypto/client-node';
import { describe, expect, it } from 'vitest';
import { DOMAIN_CONTEXT_KEY, DomainEnvelope } from '../../../lambdas/store/index.js';
import { newUniqueId } from '../../../lambdas/voiceid/index.js';
import { localServiceConfig, timbreTestEnv } from '../../support/voiceid-client.js';

const kms = new KMS(localServiceConfig('kms'));
const envelope = new DomainEnvelope(kms);

function domainRef() {
  const domainId = newUniqueId();
  return { domainId, domainArn: `arn:aws:voiceid:us-east-1:123456789012:domain/${domainId}`, kmsKeyId: timbreTestEnv().resources.kmsKeyArn };
}

/** A message's algorithm suite: bytes 1–2 of a version-2 Encryption SDK message header. */
const suiteOf = (message: Uint8Array): number => (message[1]! << 8) | message[2]!;

describe('DomainEnvelope', () => {
  it('seals with key-committing AES-256-GCM without an ECDSA signature, and opens what it sealed', async () => {
    const domain = domainRef();
    const sealed = await envelope.seal(domain, Buffer.from('voice state'));
    expect(sealed[0]).toBe(0x02);
    expect(suiteOf(sealed)).toBe(0x0478);
    expect((await envelope.open(domain, sealed)).toString()).toBe('voice state');
  });

  it('still opens items written with the signed default suite', async () => {
    const domain = domainRef();
    const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const keyring = new KmsKeyringNode({ generatorKeyId: domain.kmsKeyId, clientProvider: () => kms });
    const { result } = await encrypt(keyring, Buffer.from('older voiceprint'), { encryptionContext: { [DOMAIN_CONTEXT_KEY]: domain.domainArn } });
    expect(suiteOf(result)).toBe(0x0578);
    expect((await envelope.open(domain, result)).toString()).toBe('older voiceprint');
  });
});
