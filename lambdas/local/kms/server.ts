import { createServer, type Server } from 'node:http';
import { closeServer, listenLocal, readBody, sendJson } from '../shared/http-util.js';
import type { LocalCredentials } from '../gateway/credentials.js';
import { SigV4Verifier } from '../gateway/sigv4-verifier.js';
import { KmsApiError, KmsKeystore, type EncryptionContext } from './keystore.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

type Request = Record<string, unknown>;
type Operation = (store: KmsKeystore, input: Request) => Record<string, unknown>;

function str(input: Request, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value.length === 0) throw new KmsApiError('ValidationException', `${name} is required`);
  return value;
}

function blob(input: Request, name: string): Buffer {
  return Buffer.from(str(input, name), 'base64');
}

function context(input: Request, name = 'EncryptionContext'): EncryptionContext | undefined {
  return input[name] as EncryptionContext | undefined;
}

function dataKeyBytes(input: Request): number {
  if (typeof input.NumberOfBytes === 'number') {
    if (input.NumberOfBytes < 1 || input.NumberOfBytes > 1024) throw new KmsApiError('ValidationException', 'NumberOfBytes must be 1–1024');
    return input.NumberOfBytes;
  }
  if (input.KeySpec === 'AES_256') return 32;
  if (input.KeySpec === 'AES_128') return 16;
  throw new KmsApiError('ValidationException', 'KeySpec (AES_256 or AES_128) or NumberOfBytes is required');
}

function generateDataKey(store: KmsKeystore, input: Request): { Plaintext: string; CiphertextBlob: string; KeyId: string } {
  const plaintext = Buffer.from(crypto.getRandomValues(new Uint8Array(dataKeyBytes(input))));
  const { blob: sealed, key } = store.encrypt(str(input, 'KeyId'), plaintext, context(input));
  return { Plaintext: plaintext.toString('base64'), CiphertextBlob: sealed.toString('base64'), KeyId: key.Arn };
}

/** The TrentService operations the local server answers. */
const OPERATIONS: Record<string, Operation> = {
  CreateKey: (store, input) => ({ KeyMetadata: store.createKey(typeof input.Description === 'string' ? input.Description : '') }),
  DescribeKey: (store, input) => ({ KeyMetadata: store.resolve(str(input, 'KeyId')).meta }),
  ListKeys: (store) => ({ Keys: store.listKeys().map((k) => ({ KeyId: k.KeyId, KeyArn: k.Arn })), Truncated: false }),
  CreateAlias: (store, input) => {
    store.createAlias(str(input, 'AliasName'), str(input, 'TargetKeyId'));
    return {};
  },
  ListAliases: (store, input) => ({
    Aliases: store.listAliases(typeof input.KeyId === 'string' ? input.KeyId : undefined),
    Truncated: false,
  }),
  Encrypt: (store, input) => {
    const { blob: sealed, key } = store.encrypt(str(input, 'KeyId'), blob(input, 'Plaintext'), context(input));
    return { CiphertextBlob: sealed.toString('base64'), KeyId: key.Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
  Decrypt: (store, input) => {
    const keyRef = typeof input.KeyId === 'string' ? input.KeyId : undefined;
    const { plaintext, key } = store.decrypt(blob(input, 'CiphertextBlob'), context(input), keyRef);
    return { Plaintext: plaintext.toString('base64'), KeyId: key.Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
  GenerateDataKey: generateDataKey,
  GenerateDataKeyWithoutPlaintext: (store, input) => {
    const { CiphertextBlob, KeyId } = generateDataKey(store, input);
    return { CiphertextBlob, KeyId };
  },
  ReEncrypt: (store, input) => {
    const sourceRef = typeof input.SourceKeyId === 'string' ? input.SourceKeyId : undefined;
    const { plaintext, key: source } = store.decrypt(blob(input, 'CiphertextBlob'), context(input, 'SourceEncryptionContext'), sourceRef);
    const { blob: sealed, key } = store.encrypt(str(input, 'DestinationKeyId'), plaintext, context(input, 'DestinationEncryptionContext'));
    return {
      CiphertextBlob: sealed.toString('base64'),
      SourceKeyId: source.Arn,
      KeyId: key.Arn,
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  },
  EnableKeyRotation: (store, input) => {
    store.setRotation(str(input, 'KeyId'), true);
    return {};
  },
  DisableKeyRotation: (store, input) => {
    store.setRotation(str(input, 'KeyId'), false);
    return {};
  },
  GetKeyRotationStatus: (store, input) => ({ KeyRotationEnabled: store.rotationEnabled(str(input, 'KeyId')) }),
  EnableKey: (store, input) => {
    store.enableKey(str(input, 'KeyId'));
    return {};
  },
  DisableKey: (store, input) => {
    store.disableKey(str(input, 'KeyId'));
    return {};
  },
  ScheduleKeyDeletion: (store, input) => {
    const window = input.PendingWindowInDays;
    if (window !== undefined && typeof window !== 'number') throw new KmsApiError('ValidationException', 'PendingWindowInDays must be a number');
    const { meta, pendingWindowInDays } = store.scheduleKeyDeletion(str(input, 'KeyId'), window);
    return { KeyId: meta.Arn, DeletionDate: meta.DeletionDate, KeyState: meta.KeyState, PendingWindowInDays: pendingWindowInDays };
  },
  CancelKeyDeletion: (store, input) => ({ KeyId: store.cancelKeyDeletion(str(input, 'KeyId')).Arn }),
};

/** A running local KMS server. */
export interface LocalKms {
  endpoint: string;
  keystore: KmsKeystore;
  stop(): Promise<void>;
}

/** Who may call the server: requests must be SigV4-signed for `kms` in `region` with `credentials`. */
export interface KmsAuth {
  credentials: LocalCredentials;
  region: string;
}

/**
 * Serves the KMS JSON 1.1 API (`X-Amz-Target: TrentService.<Op>`) on 127.0.0.1 over `keystore`.
 * Every request must carry a valid SigV4 signature (any local user can reach loopback, and the
 * keys decrypt stored voiceprints); others get KMS's 400 with the authentication error.
 */
export async function startKmsServer(keystore: KmsKeystore, auth: KmsAuth, port = 0): Promise<LocalKms> {
  const verifier = new SigV4Verifier({ ...auth, services: ['kms'] });
  const server: Server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const name = target.replace(/^TrentService\./, '');
      // Own entries only: `constructor` or `hasOwnProperty` are not operations.
      const operation = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
      try {
        const body = await readBody(req);
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const failure = await verifier.verify({ method: req.method ?? 'POST', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
        if (failure !== undefined) throw new KmsApiError(failure.errorType, failure.message);
        if (operation === undefined) throw new KmsApiError('UnknownOperationException', `Unknown operation ${target}`);
        const input = (body.length === 0 ? {} : JSON.parse(body.toString('utf8'))) as Request;
        sendJson(res, 200, CONTENT_TYPE, operation(keystore, input));
      } catch (error) {
        if (error instanceof KmsApiError) {
          sendJson(res, 400, CONTENT_TYPE, { __type: error.errorType, message: error.message });
        } else if (error instanceof SyntaxError) {
          sendJson(res, 400, CONTENT_TYPE, { __type: 'SerializationException', message: error.message });
        } else {
          sendJson(res, 500, CONTENT_TYPE, { __type: 'KMSInternalException', message: String(error) });
        }
      }
    })();
  });
  const actualPort = await listenLocal(server, port);
  return { endpoint: `http://127.0.0.1:${actualPort}`, keystore, stop: () => closeServer(server) };
}
