/** Shared set-up for the Voice ID end-to-end tests: domains made through the API, seeds made through the store. */
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { CreateDomainCommand, type Domain, type VoiceIDClient } from '@aws-sdk/client-voice-id';
import { createStore, type TimbreStore } from '../../lambdas/store/index.js';
import { DEFAULT_QUOTAS, createVoiceIdService, type VoiceIdService, type Voiceprint } from '../../lambdas/voiceid/index.js';
import { DEFAULT_MODEL_CARD_FILE, loadModelCard } from '../../lambdas/voiceprint/index.js';
import { localServiceConfig, timbreTestEnv } from '../support/voiceid-client.js';

/** The store the API uses, reached directly: the API serves no enrolment or fraudster registration to seed through. */
export function localStore(): TimbreStore {
  const env = timbreTestEnv();
  return createStore({
    dynamodb: new DynamoDBClient(localServiceConfig('dynamodb')),
    s3: new S3Client(localServiceConfig('s3')),
    kmsConfig: localServiceConfig('kms'),
    tableName: env.resources.tableName,
    audioBucket: env.resources.audioBucket,
  });
}

/** Voice ID's services over the local store, for seeding speakers and fraudsters. */
export function localVoiceId(store = localStore()): VoiceIdService {
  return createVoiceIdService({ ...store, quotas: DEFAULT_QUOTAS, arn: { region: timbreTestEnv().region, accountId: '000000000000' } });
}

/** Creates a domain through the API with the suite's KMS key. */
export async function createTestDomain(client: VoiceIDClient, name = `e2e-${Date.now()}`): Promise<Domain & { DomainId: string; Arn: string }> {
  const { Domain: domain } = await client.send(
    new CreateDomainCommand({ Name: name, ServerSideEncryptionConfiguration: { KmsKeyId: timbreTestEnv().resources.kmsKeyArn } }),
  );
  if (domain?.DomainId === undefined || domain.Arn === undefined) throw new Error('CreateDomain returned no domain');
  return domain as Domain & { DomainId: string; Arn: string };
}

/** A deterministic fake embedding (the real ones come from the voiceprint model). */
export function fakeEmbedding(seed: number, dimensions = 192): Float32Array {
  return Float32Array.from({ length: dimensions }, (_, i) => Math.sin(seed * 31 + i));
}

/** The card id of the speaker model the local Timbre runs (the shipped default). */
export const DEFAULT_MODEL_ID = loadModelCard(join(import.meta.dirname, '../..', DEFAULT_MODEL_CARD_FILE)).id;

/** An embedding as a voiceprint of the model the local Timbre runs. */
export function defaultModelVoiceprint(embedding: Float32Array): Voiceprint {
  return { embedding, modelId: DEFAULT_MODEL_ID };
}

/** A deterministic fake voiceprint of the model the local Timbre runs. */
export function fakeVoiceprint(seed: number, dimensions = 192): Voiceprint {
  return defaultModelVoiceprint(fakeEmbedding(seed, dimensions));
}

/** An ID of the right format that names nothing. */
export const UNKNOWN_ID = 'Zz9Zz9Zz9Zz9Zz9Zz9Zz9Z';

/** A raw, correctly signed awsJson1_0 call, for wire details the official client hides (unknown targets, bad JSON). */
export async function signedCall(target: string, body: string): Promise<{ status: number; headers: Headers; text: string }> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { Hash } = await import('@smithy/hash-node');
  const env = timbreTestEnv();
  const url = new URL(env.endpoint);
  const signer = new SignatureV4({ service: 'voiceid', region: env.region, credentials: env.credentials, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname || '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
    body,
  });
  const response = await fetch(env.endpoint, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
