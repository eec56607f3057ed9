/**
 * Scheduled Lambda entry point that purges soft-deleted Voice ID domains once their 30 days are over
 * (records, voiceprints and audio). Run it daily, e.g. from an EventBridge schedule; the domain record's
 * TTL is only a backstop and would leave the rest behind.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { createStore } from '../store/index.js';
import { createVoiceIdService } from '../voiceid/index.js';
import { readApiConfig } from './api-config.js';

const logger = new Logger({ serviceName: 'timbre-domain-purge' });

/** Purges every domain that is due, in batches; returns how many were purged. */
export const handler = async (_event: unknown, context: { invokedFunctionArn?: string }): Promise<{ purged: number }> => {
  const config = readApiConfig(context.invokedFunctionArn);
  const store = createStore({
    dynamodb: new DynamoDBClient({}),
    s3: new S3Client({ forcePathStyle: true }),
    kmsConfig: {},
    tableName: config.tableName,
    audioBucket: config.audioBucket,
  });
  const voiceId = createVoiceIdService({ ...store, quotas: config.quotas, arn: { region: config.region, accountId: config.accountId } });
  let purged = 0;
  for (let batch = await voiceId.domains.purgeDue(); batch.length > 0; batch = await voiceId.domains.purgeDue()) {
    purged += batch.length;
    logger.info('Purged deleted domains', { domainIds: batch });
  }
  return { purged };
};
