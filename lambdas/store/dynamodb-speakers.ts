/** Speakers in the single table: one item per speaker plus one customer-ID → generated-ID mapping item. */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  QuotaExceededError,
  ResourceConflictError,
  type Page,
  type PageRequest,
  type SpeakerRecord,
  type SpeakerRepository,
} from '../voiceid/index.js';
import {
  GSI1,
  PK,
  type TableRef,
  isConditionFailure,
  keys,
  queryDomainItems,
  queryDueItems,
  sortableMs,
  transactIfConditionsHold,
} from './table.js';
import { countedWrite, releaseCount } from './counted-write.js';

/** DynamoDB adapter of `SpeakerRepository`. */
export class DynamoDbSpeakerRepository implements SpeakerRepository {
  constructor(private readonly table: TableRef) {}

  async getSpeaker(domainId: string, generatedSpeakerId: string): Promise<SpeakerRecord | undefined> {
    const result = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.speaker(domainId, generatedSpeakerId), ConsistentRead: true }),
    );
    return result.Item === undefined ? undefined : speakerFromItem(result.Item);
  }

  async findSpeakerByCustomerId(domainId: string, customerSpeakerId: string): Promise<SpeakerRecord | undefined> {
    const mapping = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.customerSpeaker(domainId, customerSpeakerId), ConsistentRead: true }),
    );
    const generatedId = mapping.Item?.generatedSpeakerId;
    return typeof generatedId === 'string' ? this.getSpeaker(domainId, generatedId) : undefined;
  }

  async createSpeaker(speaker: SpeakerRecord, options: { maxSpeakers: number; biometricsExpireAtMs: number | undefined }): Promise<void> {
    const { maxSpeakers } = options;
    const customerMapping =
      speaker.customerSpeakerId === undefined
        ? []
        : [{ ...keys.customerSpeaker(speaker.domainId, speaker.customerSpeakerId), generatedSpeakerId: speaker.generatedSpeakerId }];
    await countedWrite(this.table, {
      domain: {
        domainId: speaker.domainId,
        counter: {
          attribute: 'speakerCount',
          max: maxSpeakers,
          full: () => new QuotaExceededError('speakersPerDomain', maxSpeakers, `The domain already has the maximum of ${maxSpeakers} speakers`),
        },
      },
      newItems: [speakerItem(speaker, options.biometricsExpireAtMs), ...customerMapping],
      conflict: () => new ResourceConflictError('CONCURRENT_CHANGES', 'The speaker was created by a concurrent request'),
    });
  }

  async updateSpeaker(speaker: SpeakerRecord, biometricsExpireAtMs: number | undefined): Promise<void> {
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: speakerItem(speaker, biometricsExpireAtMs),
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ResourceConflictError('CONCURRENT_CHANGES', 'The speaker was deleted by a concurrent request');
      throw error;
    }
  }

  async deleteSpeaker(speaker: SpeakerRecord): Promise<boolean> {
    const { tableName } = this.table;
    return transactIfConditionsHold(this.table, [
      {
        Delete: {
          TableName: tableName,
          Key: keys.speaker(speaker.domainId, speaker.generatedSpeakerId),
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        },
      },
      ...(speaker.customerSpeakerId === undefined
        ? []
        : [{ Delete: { TableName: tableName, Key: keys.customerSpeaker(speaker.domainId, speaker.customerSpeakerId) } }]),
      releaseCount(tableName, keys.domain(speaker.domainId), 'speakerCount'),
    ]);
  }

  async listSpeakersDueForExpiry(nowMs: number, limit: number): Promise<SpeakerRecord[]> {
    return (await queryDueItems(this.table, EXPIRY_PARTITION, nowMs, limit)).map(speakerFromItem);
  }

  async markBiometricsExpired(speaker: SpeakerRecord): Promise<void> {
    // Leaving the expiry index is the record of it; the status stays ENROLLED and reads report EXPIRED.
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.speaker(speaker.domainId, speaker.generatedSpeakerId),
        UpdateExpression: 'REMOVE #gpk, #gsk',
        ConditionExpression: 'attribute_exists(#pk) AND lastAccessedAtMs = :seen',
        ExpressionAttributeNames: { '#gpk': GSI1.partitionKey, '#gsk': GSI1.sortKey, '#pk': PK },
        ExpressionAttributeValues: { ':seen': speaker.lastAccessedAtMs },
      }),
    ).catch((error: unknown) => {
      // Deleted or re-enrolled meanwhile: nothing to mark.
      if (!isConditionFailure(error)) throw error;
    });
  }

  async listSpeakers(domainId: string, page: PageRequest): Promise<Page<SpeakerRecord>> {
    const result = await queryDomainItems(this.table, domainId, 'SPEAKER#', page);
    return { ...result, items: result.items.map(speakerFromItem) };
  }
}

/** GSI1 partition of enrolled speakers, sorted by when their biometrics expire. */
const EXPIRY_PARTITION = 'SPEAKER_EXPIRY';

/** The stored speaker, in the expiry partition of GSI1 when its biometrics expire. */
function speakerItem(speaker: SpeakerRecord, expiresAtMs: number | undefined): Record<string, unknown> {
  return {
    ...keys.speaker(speaker.domainId, speaker.generatedSpeakerId),
    ...(expiresAtMs !== undefined && {
      [GSI1.partitionKey]: EXPIRY_PARTITION,
      [GSI1.sortKey]: `${sortableMs(expiresAtMs)}#${speaker.domainId}#${speaker.generatedSpeakerId}`,
    }),
    domainId: speaker.domainId,
    generatedSpeakerId: speaker.generatedSpeakerId,
    ...(speaker.customerSpeakerId !== undefined && { customerSpeakerId: speaker.customerSpeakerId }),
    status: speaker.status,
    createdAtMs: speaker.createdAtMs,
    updatedAtMs: speaker.updatedAtMs,
    ...(speaker.lastAccessedAtMs !== undefined && { lastAccessedAtMs: speaker.lastAccessedAtMs }),
  };
}

function speakerFromItem(item: Record<string, unknown>): SpeakerRecord {
  return {
    domainId: String(item.domainId),
    generatedSpeakerId: String(item.generatedSpeakerId),
    ...(typeof item.customerSpeakerId === 'string' && { customerSpeakerId: item.customerSpeakerId }),
    status: item.status as SpeakerRecord['status'],
    createdAtMs: item.createdAtMs as number,
    updatedAtMs: item.updatedAtMs as number,
    ...(typeof item.lastAccessedAtMs === 'number' && { lastAccessedAtMs: item.lastAccessedAtMs }),
  };
}
