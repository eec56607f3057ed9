/**
 * A manifest uploaded to the batch bucket starts its job with no API call (S3 event → EventBridge → the state
 * machine), once per object; and a job whose runner stopped mid-way resumes from the records not yet done.
 */
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeSpeakerEnrollmentJobCommand,
  ListSpeakerEnrollmentJobsCommand,
  ListSpeakersCommand,
  StartSpeakerEnrollmentJobCommand,
  type VoiceIDClient,
} from '@aws-sdk/client-voice-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/contract/env-names.js';
import { createTestDomain } from '../helpers.js';
import { localServiceConfig, localServiceEnv, makeVoiceIdClient, timbreTestEnv } from '../../support/voiceid-client.js';
import { NO_FRAUD_CHECK, CALLS_BUCKET, ROLE_ARN, batchBucket, ensureBuckets, TEXT, getJson, localS3, put, speechWav, waitForEnrollmentJob } from './batch-fixtures.js';

describe('batch jobs started by upload, and resumed after their runner stopped', () => {
  let client: VoiceIDClient;
  let s3: S3Client;
  let audio: string;
  let longAudio: string;
  let tooShort: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    client = makeVoiceIdClient();
    s3 = localS3();
    await ensureBuckets(s3);
    audio = await put(s3, CALLS_BUCKET, `upload-${Date.now()}/a.wav`, speechWav('en+m3'));
    // Long recordings keep the resumed job's records busy for seconds; a clip with too little speech fails at once.
    longAudio = await put(s3, CALLS_BUCKET, `upload-${Date.now()}/long.wav`, speechWav('en+f2', { text: TEXT.repeat(6) }));
    tooShort = await put(s3, CALLS_BUCKET, `upload-${Date.now()}/short.wav`, speechWav('en+m3', { text: 'Hello.' }));
  }, 60_000);

  afterAll(() => {
    process.env = saved;
  });

  it('starts an enrolment job from jobs/<DomainId>/enrol/<name>.json with its settings file, once per object', async () => {
    const domain = await createTestDomain(client);
    const folder = `jobs/${domain.DomainId}/enrol`;
    await put(s3, batchBucket(), `${folder}/callers.settings.json`, JSON.stringify({ EnrollmentConfig: { ...NO_FRAUD_CHECK, ExistingEnrollmentAction: 'OVERWRITE' }, JobName: 'from-upload' }));
    const manifest = JSON.stringify({ Version: '1.0', SpeakerEnrollmentRequests: [{ RequestId: 'u1', SpeakerId: 'cust-upload', AudioSpecifications: [{ S3Uri: audio, ChannelId: 0 }] }] });
    // S3 events arrive at least once: the same object twice must start one job.
    await put(s3, batchBucket(), `${folder}/callers.json`, manifest);
    await put(s3, batchBucket(), `${folder}/callers.json`, manifest);
    let jobId: string | undefined;
    while (jobId === undefined) {
      const { JobSummaries = [] } = await client.send(new ListSpeakerEnrollmentJobsCommand({ DomainId: domain.DomainId }));
      jobId = JobSummaries[0]?.JobId;
      if (jobId === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const job = await waitForEnrollmentJob(client, domain.DomainId, jobId);
    expect(job.JobStatus).toBe('COMPLETED');
    expect(job.JobName).toBe('from-upload');
    expect(job.EnrollmentConfig).toEqual({ ...NO_FRAUD_CHECK, ExistingEnrollmentAction: 'OVERWRITE' });
    expect(job.OutputDataConfig).toEqual({ S3Uri: `s3://${batchBucket()}/results/${domain.DomainId}`, KmsKeyId: timbreTestEnv().resources.kmsKeyArn });
    expect(job.DataAccessRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    const output = await getJson(s3, `s3://${batchBucket()}/results/${domain.DomainId}/${jobId}/callers.json.out`);
    expect(output.SuccessfulEnrollments).toEqual([expect.objectContaining({ RequestId: 'u1', CustomerSpeakerId: 'cust-upload', EnrollmentStatus: 'NEW_ENROLLMENT' })]);
    const { JobSummaries } = await client.send(new ListSpeakerEnrollmentJobsCommand({ DomainId: domain.DomainId }));
    expect(JobSummaries).toHaveLength(1);
  }, 120_000);

  it('resumes a job whose execution was stopped mid-way from the records not yet done, each record once', async () => {
    const domain = await createTestDomain(client);
    // r0 fails within milliseconds (too little speech) while r1–r7 still take seconds, so the stop that follows
    // the first finished record always lands mid-way, however fast the machine.
    const records = Array.from({ length: 8 }, (_, i) => ({ RequestId: `r${i}`, SpeakerId: `cust-${i}`, AudioSpecifications: [{ S3Uri: i === 0 ? tooShort : longAudio, ChannelId: 0 }] }));
    const manifest = await put(s3, CALLS_BUCKET, `manifests/${domain.DomainId}-resume.json`, JSON.stringify({ Version: '1.0', SpeakerEnrollmentRequests: records }));
    const { Job } = await client.send(new StartSpeakerEnrollmentJobCommand({
      DomainId: domain.DomainId, DataAccessRoleArn: ROLE_ARN, InputDataConfig: { S3Uri: manifest }, OutputDataConfig: { S3Uri: `s3://${CALLS_BUCKET}/results` }, EnrollmentConfig: NO_FRAUD_CHECK,
    }));
    const jobId = Job!.JobId!;
    // Wait for the first record to finish, then stop the runner, as a stopped `timbre serve` would.
    for (;;) {
      const { Job: now } = await client.send(new DescribeSpeakerEnrollmentJobCommand({ DomainId: domain.DomainId, JobId: jobId }));
      if ((now?.JobProgress?.PercentComplete ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const env = timbreTestEnv();
    const sfn = new SFNClient(localServiceConfig('sfn'));
    await sfn.send(new StopExecutionCommand({ executionArn: `${env.resources.batchStateMachineArn.replace(':stateMachine:', ':execution:')}:${jobId}` }));
    const stopped = await client.send(new DescribeSpeakerEnrollmentJobCommand({ DomainId: domain.DomainId, JobId: jobId }));
    expect(stopped.Job?.JobStatus).toBe('IN_PROGRESS');
    expect(stopped.Job?.JobProgress?.PercentComplete).toBeLessThan(100);

    // What local mode runs when `timbre serve` starts again.
    Object.assign(process.env, localServiceEnv(), {
      AWS_ENDPOINT_URL_SFN: env.endpoints.sfn,
      [ENV.TABLE_NAME]: env.resources.tableName,
      [ENV.AUDIO_BUCKET]: env.resources.audioBucket,
      [ENV.BATCH_BUCKET]: env.resources.batchBucket,
      [ENV.BATCH_STATE_MACHINE_ARN]: env.resources.batchStateMachineArn,
    });
    const { handler } = await import('../../../lambdas/handlers/batch-resume.js');
    const { resumed } = await handler({}, {});
    expect(resumed).toBeGreaterThanOrEqual(1);
    const ended = await waitForEnrollmentJob(client, domain.DomainId, jobId);
    expect(ended.JobStatus).toBe('COMPLETED_WITH_ERRORS');
    const output = await getJson(s3, `s3://${CALLS_BUCKET}/results/${jobId}/${domain.DomainId}-resume.json.out`);
    const ids = (output.SuccessfulEnrollments as Array<{ RequestId: string; EnrollmentStatus: string }>).map((s) => s.RequestId);
    expect(ids).toEqual(records.slice(1).map((r) => r.RequestId));
    expect(output.Errors).toEqual([expect.objectContaining({ RequestId: 'r0', ErrorCode: 400 })]);
    const { SpeakerSummaries } = await client.send(new ListSpeakersCommand({ DomainId: domain.DomainId }));
    expect(SpeakerSummaries).toHaveLength(7);
  }, 180_000);
});
