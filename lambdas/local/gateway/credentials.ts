import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirError } from '../shared/errors.js';

/** The access key pair the local API accepts. */
export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Where the generated credentials of `dataDir` are kept. */
export function credentialsFilePath(dataDir: string): string {
  return join(dataDir, 'credentials.json');
}

/**
 * Returns the credentials the local server accepts: `explicit` when given, else the pair kept in
 * `<dataDir>/credentials.json`, generated (AWS-shaped, `AKIA…` + 40 chars) on first use.
 */
export function loadOrCreateCredentials(dataDir: string, explicit?: LocalCredentials): LocalCredentials {
  if (explicit !== undefined) return explicit;
  const path = credentialsFilePath(dataDir);
  if (existsSync(path)) {
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LocalCredentials>;
      if (typeof parsed.accessKeyId === 'string' && typeof parsed.secretAccessKey === 'string') {
        return { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
      }
    } catch (error) {
      throw new DataDirError(path, 'is not valid JSON', { cause: error });
    }
    throw new DataDirError(path, 'lacks accessKeyId / secretAccessKey');
  }
  const idBytes = randomBytes(16);
  const suffix = Array.from(idBytes, (b) => KEY_ID_ALPHABET[b % KEY_ID_ALPHABET.length]).join('');
  const created = {
    accessKeyId: `AKIA${suffix}`,
    secretAccessKey: randomBytes(30).toString('base64').replace(/[+/=]/g, 'x').slice(0, 40),
  };
  writeFileSync(path, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}
