import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { KeyDescription, KeyDirectory } from '../voiceid/index.js';

/** KMS errors that mean "no such key (that you can see)" rather than a failure to ask. */
const MISSING_KEY_ERRORS = new Set(['NotFoundException', 'InvalidArnException', 'AccessDeniedException', 'ValidationException']);

/** `KeyDirectory` over KMS DescribeKey. */
export class KmsKeyDirectory implements KeyDirectory {
  constructor(private readonly kms: KMSClient) {}

  async describeKey(keyId: string): Promise<KeyDescription | undefined> {
    try {
      const { KeyMetadata: meta } = await this.kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      if (meta?.Arn === undefined) return undefined;
      const spec = meta.KeySpec ?? meta.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
      return {
        keyArn: meta.Arn,
        enabled: meta.Enabled !== false && (meta.KeyState === undefined || meta.KeyState === 'Enabled'),
        symmetric: spec === 'SYMMETRIC_DEFAULT' && (meta.KeyUsage === undefined || meta.KeyUsage === 'ENCRYPT_DECRYPT'),
      };
    } catch (error) {
      if (error instanceof Error && MISSING_KEY_ERRORS.has(error.name)) return undefined;
      throw error;
    }
  }
}
