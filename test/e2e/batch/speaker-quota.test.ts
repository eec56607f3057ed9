/**
 * The one per-record error the suite's quotas cannot reach through the API: a record over the domain's speaker
 * quota fails with 402 and stores nothing. The record step runs here, on the suite's real local store and S3, with a
 * quota of one speaker.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeSpeakerCommand } from '@aws-sdk/client-voice-id';
import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../lambdas/scoring/index.js';
import { DynamoDbJobRepository, S3BatchObjects } from '../../../lambdas/store/index.js';
import { DEFAULT_QUOTAS, newUniqueId } from '../../../lambdas/voiceid/index.js';
import { RecordProcessor } from '../../../lambdas/voiceid/jobs/record-processor.js';
import { DEFAULT_MODEL_CARD_FILE, loadSpeakerModel } from '../../../lambdas/voiceprint/index.js';
import { createTestDomain, localStore } from '../helpers.js';
import { localServiceConfig, makeVoiceIdClient, timbreTestEnv } from '../../support/voiceid-client.js';
import { CALLS_BUCKET, ROLE_ARN, ensureBuckets, localS3, put, speechWav } from './batch-fixtures.js';

describe('a batch record over the speaker quota', () => {
  it('fails with 402 and enrols nobody', async () => {
    const client = makeVoiceIdClient();
    const s3 = localS3();
    await ensureBuckets(s3);
    const domain = await createTestDomain(client);
    const audio = await put(s3, CALLS_BUCKET, `quota-${Date.now()}/a.wav`, speechWav('en+m3'));
    const env = timbreTestEnv();
    const jobsTable = { client: DynamoDBDocumentClient.from(new DynamoDBClient(localServiceConfig('dynamodb')), { marshallOptions: { removeUndefinedValues: true } }), tableName: env.resources.tableName };
    const jobs = new DynamoDbJobRepository(jobsTable);
    const model = await loadSpeakerModel(DEFAULT_MODEL_CARD_FILE);
    const processor = new RecordProcessor({
      ...localStore(),
      quotas: { ...DEFAULT_QUOTAS, speakersPerDomain: 1 },
      arn: { region: env.region, accountId: '000000000000' },
      jobs,
      objects: new S3BatchObjects(s3, env.resources.batchBucket),
      roleBuckets: new Set([CALLS_BUCKET]),
      model,
      scorer: createScorer(model.card.scoring),
    });
    const job = {
      domainId: domain.DomainId, jobId: newUniqueId(), type: 'ENROLLMENT' as const, status: 'IN_PROGRESS' as const, dataAccessRoleArn: ROLE_ARN,
      inputS3Uri: `s3://${CALLS_BUCKET}/m.json`, outputS3Uri: `s3://${CALLS_BUCKET}/out`, config: {}, createdAtMs: Date.now(), doneRecords: 0,
    };
    await jobs.createJob(job, {});
    const item = (index: number, speakerId: string) => ({ domainId: job.domainId, type: job.type, jobId: job.jobId, record: { index, requestId: `r${index}`, speakerId, audio: [{ s3Uri: audio, channelId: 0 }] } });
    expect(await processor.process(item(0, 'first'))).toMatchObject({ ok: true, status: 'NEW_ENROLLMENT' });
    expect(await processor.process(item(1, 'second'))).toEqual({ index: 1, requestId: 'r1', ok: false, errorCode: 402, errorMessage: expect.stringMatching(/maximum|quota|limit/i) });
    // Processing a record again returns its recorded outcome and changes nothing.
    expect(await processor.process(item(1, 'second'))).toMatchObject({ ok: false, errorCode: 402 });
    expect((await jobs.getJob(job.domainId, job.type, job.jobId))!.doneRecords).toBe(2);
    await expect(client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'second' }))).rejects.toThrow(/does not exist/);
    // Only the enrolled speaker's voiceprint is stored: the refused one left none behind.
    const { Items = [] } = await jobsTable.client.send(new QueryCommand({
      TableName: env.resources.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :vp)', ExpressionAttributeValues: { ':pk': `DOMAIN#${domain.DomainId}`, ':vp': 'VOICEPRINT#' },
    }));
    expect(Items).toHaveLength(1);
  }, 120_000);
});
