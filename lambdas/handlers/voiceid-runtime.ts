/** Builds Voice ID's services for a Lambda from its configuration, with SDK clients that honour AWS_ENDPOINT_URL_<SERVICE>. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { createStore } from '../store/index.js';
import { createVoiceIdService, type VoiceIdService } from '../voiceid/index.js';
import type { ApiConfig } from './api-config.js';

/**
 * Voice ID's services over DynamoDB, S3 (path-style, which local S3 needs) and KMS.
 * @example const voiceId = createVoiceIdRuntime(readApiConfig(context.invokedFunctionArn));
 */
export function createVoiceIdRuntime(config: ApiConfig): VoiceIdService {
  const store = createStore({
    dynamodb: new DynamoDBClient({}),
    s3: new S3Client({ forcePathStyle: true }),
    kmsConfig: {},
    tableName: config.tableName,
    audioBucket: config.audioBucket,
  });
  return createVoiceIdService({ ...store, quotas: config.quotas, arn: { region: config.region, accountId: config.accountId } });
}
