/** Wires the storage adapters onto one table, one bucket and KMS. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMS, type KMSClientConfig } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_QUOTAS, type VoiceIdStorage } from '../voiceid/index.js';
import { DynamoDbClientTokenRepository } from './dynamodb-client-tokens.js';
import { DynamoDbDomainRepository } from './dynamodb-domains.js';
import { DynamoDbFraudsterRepository } from './dynamodb-fraudsters.js';
import { DynamoDbSessionRepository } from './dynamodb-sessions.js';
import { DynamoDbSpeakerRepository } from './dynamodb-speakers.js';
import { DynamoDbRequestCounter } from './dynamodb-request-counter.js';
import { DynamoDbTokenKeySource } from './dynamodb-token-key.js';
import { DynamoDbVoiceprintVault } from './dynamodb-voiceprint-vault.js';
import { DynamoDbWatchlistRepository } from './dynamodb-watchlists.js';
import { DomainEnvelope } from './envelope.js';
import { KmsKeyDirectory } from './kms-key-directory.js';
import { S3AudioVault } from './s3-audio-vault.js';

/** Where Timbre's data lives and the clients that reach it. */
export interface StoreOptions {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  /** Settings of the KMS client (the Encryption SDK needs the aggregated `KMS` class, built here). */
  readonly kmsConfig: KMSClientConfig;
  readonly tableName: string;
  readonly audioBucket: string;
  /** The idle timeout (quota sessionIdleSeconds) active sessions' TTL allows for. @default 600 */
  readonly sessionIdleSeconds?: number;
}

/** Every storage port Voice ID's services need, as this folder's adapters provide them. */
export type TimbreStore = VoiceIdStorage;

/**
 * Builds the storage adapters.
 * @example const store = createStore({ dynamodb: new DynamoDBClient({}), s3, kmsConfig: {}, tableName, audioBucket });
 */
export function createStore(options: StoreOptions): TimbreStore {
  const table = {
    client: DynamoDBDocumentClient.from(options.dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    tableName: options.tableName,
  };
  const kms = new KMS(options.kmsConfig);
  const envelope = new DomainEnvelope(kms);
  return {
    clientTokens: new DynamoDbClientTokenRepository(table),
    domains: new DynamoDbDomainRepository(table),
    watchlists: new DynamoDbWatchlistRepository(table),
    speakers: new DynamoDbSpeakerRepository(table),
    fraudsters: new DynamoDbFraudsterRepository(table),
    keys: new KmsKeyDirectory(kms),
    voiceprints: new DynamoDbVoiceprintVault(table, envelope),
    audio: new S3AudioVault(options.s3, options.audioBucket, envelope),
    tokenKeys: new DynamoDbTokenKeySource(table),
    requestCounter: new DynamoDbRequestCounter(table),
    sessions: new DynamoDbSessionRepository(table, envelope, () => options.sessionIdleSeconds ?? DEFAULT_QUOTAS.sessionIdleSeconds),
  };
}
