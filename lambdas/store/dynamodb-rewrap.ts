/** Moves one binary attribute of a domain's items to a new KMS key, a page at a time (voiceprints, session voice state). */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainKeyRef, ReencryptionPage } from '../voiceid/index.js';
import type { DomainEnvelope } from './envelope.js';
import { CorruptItemError } from './errors.js';
import { PK, SK, type TableRef, isConditionFailure, queryDomainItems } from './table.js';

/** Which of a domain's items hold a sealed payload, and in which attribute. */
export interface SealedItems {
  readonly sortKeyPrefix: string;
  readonly attribute: string;
}

/**
 * Re-wraps `sealed.attribute` of up to `limit` of the domain's items (those that have it) under `keyArn`. Each write is
 * conditional on the old ciphertext: an item a request changed meanwhile was written under the domain's new key
 * already (or deleted), so it is counted as skipped rather than overwritten with stale data.
 */
export async function rewrapDomainItems(
  table: TableRef,
  envelope: DomainEnvelope,
  domain: DomainKeyRef,
  keyArn: string,
  sealed: SealedItems,
  cursor: string | undefined,
  limit: number,
): Promise<ReencryptionPage> {
  const page = await queryDomainItems(table, domain.domainId, sealed.sortKeyPrefix, { cursor, limit }, {
    expression: 'attribute_exists(#sealed)',
    values: {},
    names: { '#sealed': sealed.attribute },
  });
  // The items of a page go at once: each is a KMS round trip or two and a write, independent of the others.
  const moved = await Promise.all(page.items.map(async (item) => {
    const ciphertext = item[sealed.attribute];
    if (!(ciphertext instanceof Uint8Array)) throw new CorruptItemError(String(item[SK]), `${sealed.attribute} is not binary`);
    const next = await envelope.rewrap(domain, ciphertext, keyArn);
    return next !== undefined && (await replaceIfUnchanged(table, item, sealed.attribute, ciphertext, next));
  }));
  const rewrapped = moved.filter(Boolean).length;
  return { rewrapped, skipped: moved.length - rewrapped, ...(page.cursor !== undefined && { cursor: page.cursor }) };
}

async function replaceIfUnchanged(table: TableRef, item: Record<string, unknown>, attribute: string, old: Uint8Array, next: Uint8Array): Promise<boolean> {
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { [PK]: item[PK], [SK]: item[SK] },
        UpdateExpression: 'SET #sealed = :next',
        ConditionExpression: '#sealed = :old',
        ExpressionAttributeNames: { '#sealed': attribute },
        ExpressionAttributeValues: { ':next': next, ':old': old },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
