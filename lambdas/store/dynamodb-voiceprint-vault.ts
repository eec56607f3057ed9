/**
 * Voiceprints in the single table, envelope-encrypted with the domain's key, with the id of the model that made them
 * (`modelId`). Each carries the TTL `expiresAt`; reads also check it, because TTL deletion may lag by days.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainKeyRef, ReencryptionPage, Voiceprint, VoiceprintVault } from '../voiceid/index.js';
import { rewrapDomainItems } from './dynamodb-rewrap.js';
import type { DomainEnvelope } from './envelope.js';
import { CorruptItemError } from './errors.js';
import { TTL, type TableRef, ttlSeconds, keys } from './table.js';

/**
 * The model of voiceprints stored before voiceprints named their model: only the shipped default
 * (models/timbre-default.json's card id) existed then, so existing deployments keep their enrolments.
 */
export const LEGACY_VOICEPRINT_MODEL_ID = 'timbre-spk-v1';

/** DynamoDB + KMS adapter of `VoiceprintVault`. */
export class DynamoDbVoiceprintVault implements VoiceprintVault {
  constructor(
    private readonly table: TableRef,
    private readonly envelope: DomainEnvelope,
  ) {}

  async putVoiceprint(domain: DomainKeyRef, ownerId: string, { embedding, modelId }: Voiceprint, expiresAtMs: number): Promise<void> {
    const plaintext = new Uint8Array(embedding.buffer, embedding.byteOffset, embedding.byteLength);
    const ciphertext = await this.envelope.seal(domain, plaintext);
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: {
          ...keys.voiceprint(domain.domainId, ownerId),
          ownerId,
          ciphertext,
          modelId,
          dimensions: embedding.length,
          // A fraudster's voiceprint never expires: no TTL attribute at all.
          ...(Number.isSafeInteger(expiresAtMs) && expiresAtMs < Number.MAX_SAFE_INTEGER && { [TTL]: ttlSeconds(expiresAtMs) }),
        },
      }),
    );
  }

  async getVoiceprint(domain: DomainKeyRef, ownerId: string, nowMs: number): Promise<Voiceprint | undefined> {
    const result = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.voiceprint(domain.domainId, ownerId), ConsistentRead: true }),
    );
    const item = result.Item;
    if (item === undefined) return undefined;
    if (typeof item[TTL] === 'number' && item[TTL] * 1000 <= nowMs) return undefined;
    const plaintext = await this.envelope.open(domain, asBytes(item, `voiceprint ${ownerId}`));
    if (plaintext.byteLength % 4 !== 0) throw new CorruptItemError(`voiceprint ${ownerId}`, 'length is not a whole number of floats');
    const embedding = new Float32Array(plaintext.buffer.slice(plaintext.byteOffset, plaintext.byteOffset + plaintext.byteLength));
    return { embedding, modelId: typeof item.modelId === 'string' ? item.modelId : LEGACY_VOICEPRINT_MODEL_ID };
  }

  async deleteVoiceprint(domainId: string, ownerId: string): Promise<void> {
    await this.table.client.send(new DeleteCommand({ TableName: this.table.tableName, Key: keys.voiceprint(domainId, ownerId) }));
  }

  reencryptPage(domain: DomainKeyRef, keyArn: string, cursor: string | undefined, limit: number): Promise<ReencryptionPage> {
    return rewrapDomainItems(this.table, this.envelope, domain, keyArn, { sortKeyPrefix: 'VOICEPRINT#', attribute: 'ciphertext' }, cursor, limit);
  }
}

function asBytes(item: Record<string, unknown>, what: string): Uint8Array {
  if (!(item.ciphertext instanceof Uint8Array)) throw new CorruptItemError(what, 'no ciphertext');
  return item.ciphertext;
}
