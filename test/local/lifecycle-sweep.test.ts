import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDomainCommand, DeleteDomainCommand } from '@aws-sdk/client-voice-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaRegistry } from '../../lambdas/local/lambda/registry.js';
import { buildTimbreStack, synthesizeTemplate } from '../../lambdas/local/template/synthesize.js';
import { TemplateResolver } from '../../lambdas/local/template/resolver.js';
import { GSI1, keys } from '../../lambdas/store/table.js';
import { localServiceConfig, localServiceEnv, makeVoiceIdClient, timbreTestEnv } from '../support/voiceid-client.js';

const LOCAL_ACCOUNT_ID = '000000000000';

/** The scheduled event EventBridge sends the sweep (its content is ignored). */
const scheduledEvent = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };

describe('the lifecycle sweep function in local mode', () => {
  let registry: LambdaRegistry;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    const env = timbreTestEnv();
    // The same template the suite's local Timbre was provisioned from (quotas only touch the API function).
    const { stackName, template } = await synthesizeTemplate(buildTimbreStack(), { account: LOCAL_ACCOUNT_ID, region: env.region });
    registry = new LambdaRegistry(new TemplateResolver(template, { region: env.region, accountId: LOCAL_ACCOUNT_ID, stackName }), localServiceEnv());
  });

  afterAll(() => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });

  it('purges a deleted domain whose 30 days are over, with its audio, when invoked with a scheduled event', async () => {
    const env = timbreTestEnv();
    const sweep = registry.all().find((fn) => fn.entry === 'lambdas/handlers/lifecycle-sweep.ts');
    expect(sweep?.environment).toMatchObject({ TIMBRE_TABLE_NAME: env.resources.tableName, TIMBRE_AUDIO_BUCKET: env.resources.audioBucket });

    const client = makeVoiceIdClient();
    const { Domain } = await client.send(new CreateDomainCommand({ Name: 'sweep-me', ServerSideEncryptionConfiguration: { KmsKeyId: env.resources.kmsKeyArn } }));
    const domainId = Domain!.DomainId!;
    const s3 = new S3Client(localServiceConfig('s3'));
    await s3.send(new PutObjectCommand({ Bucket: env.resources.audioBucket, Key: `audio/${domainId}/speaker/enrol-1`, Body: Buffer.from([1, 2, 3]) }));
    await client.send(new DeleteDomainCommand({ DomainId: domainId }));
    // Backdate the purge time (GSI1's sort key is the zero-padded purge time) so the domain is due now.
    const ddb = new DynamoDBClient(localServiceConfig('dynamodb'));
    const key = Object.fromEntries(Object.entries(keys.domain(domainId)).map(([name, value]) => [name, { S: value }]));
    await ddb.send(new UpdateItemCommand({
      TableName: env.resources.tableName,
      Key: key,
      UpdateExpression: 'SET #gsk = :due, purgeAtMs = :one',
      ExpressionAttributeNames: { '#gsk': GSI1.sortKey },
      ExpressionAttributeValues: { ':due': { S: `${'1'.padStart(15, '0')}#${domainId}` }, ':one': { N: '1' } },
    }));

    const result = await registry.invoke(sweep!.name, scheduledEvent, env.region, LOCAL_ACCOUNT_ID) as { purgedDomains: number; expiredSpeakers: number };

    expect(result.purgedDomains).toBeGreaterThanOrEqual(1);
    expect((await ddb.send(new GetItemCommand({ TableName: env.resources.tableName, Key: key }))).Item).toBeUndefined();
    const left = await s3.send(new ListObjectsV2Command({ Bucket: env.resources.audioBucket, Prefix: `audio/${domainId}/` }));
    expect(left.KeyCount ?? 0).toBe(0);
  });
});
