import { RequestValidationError } from './errors.js';
import type { KeyDirectory } from './ports.js';

/**
 * Checks that a domain's `KmsKeyId` names a usable symmetric key in KMS (DescribeKey), as Voice ID does
 * on CreateDomain and UpdateDomain.
 * @throws RequestValidationError naming the key when it does not exist, is disabled, or is asymmetric.
 */
export async function requireUsableKey(keys: KeyDirectory, kmsKeyId: string): Promise<void> {
  const key = await keys.describeKey(kmsKeyId);
  if (key === undefined) {
    throw new RequestValidationError(`The KMS key ${kmsKeyId} does not exist or is not accessible`);
  }
  if (!key.enabled) throw new RequestValidationError(`The KMS key ${kmsKeyId} is not enabled`);
  if (!key.symmetric) {
    throw new RequestValidationError(`The KMS key ${kmsKeyId} is asymmetric; Voice ID domains need a symmetric key`);
  }
}
