/**
 * Exactly once per record under retries: the record step dies after its enrolment or registration but before its
 * outcome is written (the outcome write is the one injected fault), then runs again as Step Functions' retry would.
 * The real local store and S3 show one fraudster, one speaker and one outcome, with the first attempt's ID.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DescribeSpeakerCommand, ListFraudstersCommand } from '@aws-sdk/client-voice-id';
import { beforeAll, describe, expect, it } from 'vitest';
import { createScorer } from '../../../lambdas/scoring/index.js';
import { DynamoDbJobRepository, S3BatchObjects } from '../../../lambdas/store/index.js';
import { DEFAULT_QUOTAS, newUniqueId } from '../../../lambdas/voiceid/index.js';
import type { JobRecord, JobRepository, JobType } from '../../../lambdas/voiceid/jobs/index.js';
import { RecordProcessor } from '../../../lambdas/voiceid/jobs/record-processor.js';
import { DEFAULT_MODEL_CARD_FILE, loadSpeakerModel, type SpeakerModel } from '../../../lambdas/voiceprint/index.js';
import { createTestDomain, localStore } from '../helpers.js';
import { localServiceConfig, makeVoiceIdClient, timbreTestEnv } from '../../support/voiceid-client.js';
import { CALLS_BUCKET, ROLE_ARN, ensureBuckets, localS3, put, speechWav } from './batch-fixtures.js';

/** The runner dying between the side effect and the outcome write, once. */
class LambdaDiedError extends Error {}

describe('a batch record retried after its side effect', () => {
  const client = makeVoiceIdClient();
  const s3 = localS3();
  const env = timbreTestEnv();
  const jobs = new DynamoDbJobRepository({
    client: DynamoDBDocumentClient.from(new DynamoDBClient(localServiceConfig('dynamodb')), { marshallOptions: { removeUndefinedValues: true } }),
    tableName: env.resources.tableName,
  });
  let model: SpeakerModel;
  let audio: string;

  beforeAll(async () => {
    await ensureBuckets(s3);
    model = await loadSpeakerModel(DEFAULT_MODEL_CARD_FILE);
    audio = await put(s3, CALLS_BUCKET, `retry-${Date.now()}/a.wav`, speechWav('en+m7'));
  }, 60_000);

  function processorWith(repository: JobRepository): RecordProcessor {
    return new RecordProcessor({
      ...localStore(),
      quotas: DEFAULT_QUOTAS,
      arn: { region: env.region, accountId: '000000000000' },
      jobs: repository,
      objects: new S3BatchObjects(s3, env.resources.batchBucket),
      roleBuckets: new Set([CALLS_BUCKET]),
      model,
      scorer: createScorer(model.card.scoring),
    });
  }

  /** The real repository, except that writing an outcome fails the first time. */
  function dyingOnce(): JobRepository {
    let died = false;
    return Object.assign(Object.create(jobs) as JobRepository, {
      recordOutcome: async (...args: Parameters<JobRepository['recordOutcome']>) => {
        if (!died) {
          died = true;
          throw new LambdaDiedError('the Lambda timed out before writing the outcome');
        }
        return jobs.recordOutcome(...args);
      },
    });
  }

  async function newJob(type: JobType, domainId: string, config: JobRecord['config']): Promise<JobRecord> {
    const job: JobRecord = {
      domainId, jobId: newUniqueId(), type, status: 'IN_PROGRESS', dataAccessRoleArn: ROLE_ARN,
      inputS3Uri: `s3://${CALLS_BUCKET}/m.json`, outputS3Uri: `s3://${CALLS_BUCKET}/out`, config, createdAtMs: Date.now(), doneRecords: 0,
    };
    await jobs.createJob(job, {});
    return job;
  }

  it('registers one fraudster and records one outcome, with the ID the first attempt chose', async () => {
    // Prepare
    const domain = await createTestDomain(client);
    const job = await newJob('REGISTRATION', domain.DomainId, { DuplicateRegistrationAction: 'SKIP' });
    const item = { domainId: job.domainId, type: job.type, jobId: job.jobId, record: { index: 0, requestId: 'fraud-0', audio: [{ s3Uri: audio, channelId: 0 }] } };
    // Act
    await expect(processorWith(dyingOnce()).process(item)).rejects.toBeInstanceOf(LambdaDiedError);
    const claimed = await jobs.getClaim(job.jobId, 0);
    const retried = await processorWith(jobs).process(item);
    // Assess
    expect(claimed).toMatchObject({ status: 'NEW_REGISTRATION', requestId: 'fraud-0' });
    expect(retried).toMatchObject({ ok: true, status: 'NEW_REGISTRATION', generatedId: claimed!.generatedId });
    const { FraudsterSummaries = [] } = await client.send(new ListFraudstersCommand({ DomainId: domain.DomainId }));
    expect(FraudsterSummaries.map((f) => f.GeneratedFraudsterId)).toEqual([claimed!.generatedId]);
    expect(await jobs.listOutcomes(job.jobId)).toHaveLength(1);
    expect((await jobs.getJob(job.domainId, job.type, job.jobId))!.doneRecords).toBe(1);
  }, 120_000);

  it('reports the first attempt\'s NEW_ENROLLMENT, not a DUPLICATE_SKIPPED of its own enrolment', async () => {
    // Prepare
    const domain = await createTestDomain(client);
    const job = await newJob('ENROLLMENT', domain.DomainId, { ExistingEnrollmentAction: 'SKIP', FraudDetectionConfig: { FraudDetectionAction: 'IGNORE' } });
    const item = { domainId: job.domainId, type: job.type, jobId: job.jobId, record: { index: 0, requestId: 'spk-0', speakerId: 'caller-0', audio: [{ s3Uri: audio, channelId: 0 }] } };
    // Act
    await expect(processorWith(dyingOnce()).process(item)).rejects.toBeInstanceOf(LambdaDiedError);
    const { Speaker } = await client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'caller-0' }));
    const retried = await processorWith(jobs).process(item);
    // Assess
    expect(Speaker?.Status).toBe('ENROLLED');
    expect(retried).toMatchObject({ ok: true, status: 'NEW_ENROLLMENT', generatedId: Speaker!.GeneratedSpeakerId });
    expect(await jobs.listOutcomes(job.jobId)).toHaveLength(1);
    expect((await jobs.getJob(job.domainId, job.type, job.jobId))!.doneRecords).toBe(1);
  }, 120_000);
});
