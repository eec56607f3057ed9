/**
 * Speaker enrolment jobs end to end: StartSpeakerEnrollmentJob through the official client, the local Step Functions
 * workflow, real recordings in the real local S3, and the output file read back.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DescribeSpeakerCommand,
  ListSpeakerEnrollmentJobsCommand,
  OptOutSpeakerCommand,
  ServiceQuotaExceededException,
  StartSpeakerEnrollmentJobCommand,
  ValidationException,
  type VoiceIDClient,
} from '@aws-sdk/client-voice-id';
import type { S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDomain } from '../helpers.js';
import { makeVoiceIdClient } from '../../support/voiceid-client.js';
import { NO_FRAUD_CHECK, CALLS_BUCKET, OTHER_BUCKET, ROLE_ARN, ensureBuckets, getJson, localS3, put, speechWav, waitForEnrollmentJob } from './batch-fixtures.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/audio');

describe('StartSpeakerEnrollmentJob', () => {
  let client: VoiceIDClient;
  let s3: S3Client;
  const uri: Record<string, string> = {};

  beforeAll(async () => {
    client = makeVoiceIdClient();
    s3 = localS3();
    await ensureBuckets(s3);
    const prefix = `enrol-${Date.now()}`;
    const voiceA = speechWav('en+m3');
    uri.a = await put(s3, CALLS_BUCKET, `${prefix}/a.wav`, voiceA);
    uri.aOther = await put(s3, OTHER_BUCKET, `${prefix}/a.wav`, voiceA);
    uri.b = await put(s3, CALLS_BUCKET, `${prefix}/b.wav`, speechWav('en+f2'));
    uri.stereo = await put(s3, CALLS_BUCKET, `${prefix}/stereo.wav`, speechWav('en+m7', { channels: 2 }));
    uri.short = await put(s3, CALLS_BUCKET, `${prefix}/short.wav`, speechWav('en+m3', { text: 'Hello there.' }));
    uri.wide = await put(s3, CALLS_BUCKET, `${prefix}/16k.wav`, readFileSync(`${FIXTURES}/speech-16k-s16.wav`));
    uri.mulaw = await put(s3, CALLS_BUCKET, `${prefix}/mulaw.wav`, readFileSync(`${FIXTURES}/speech-8k-mulaw.wav`));
    uri.text = await put(s3, CALLS_BUCKET, `${prefix}/notes.wav`, 'these are not audio samples');
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    big.set(voiceA.subarray(0, 44));
    uri.big = await put(s3, CALLS_BUCKET, `${prefix}/big.wav`, big);
  }, 120_000);

  async function runJob(domainId: string, requests: unknown[], extra: Record<string, unknown> = {}) {
    const manifest = await put(s3, CALLS_BUCKET, `manifests/${domainId}-${Date.now()}.json`, JSON.stringify({ Version: '1.0', SpeakerEnrollmentRequests: requests }));
    const { Job } = await client.send(new StartSpeakerEnrollmentJobCommand({
      DomainId: domainId,
      DataAccessRoleArn: ROLE_ARN,
      InputDataConfig: { S3Uri: manifest },
      OutputDataConfig: { S3Uri: `s3://${CALLS_BUCKET}/results`, KmsKeyId: 'alias/timbre-local' },
      ...extra,
      EnrollmentConfig: { ...NO_FRAUD_CHECK, ...(extra['EnrollmentConfig'] as Record<string, unknown> | undefined) },
    }));
    expect(Job?.JobStatus).toBe('SUBMITTED');
    const ended = await waitForEnrollmentJob(client, domainId, Job!.JobId!);
    const name = manifest.slice(manifest.lastIndexOf('/') + 1);
    const output = ended.JobStatus === 'FAILED' ? undefined : await getJson(s3, `s3://${CALLS_BUCKET}/results/${Job!.JobId}/${name}.out`);
    return { job: ended, output };
  }

  const one = (RequestId: string, SpeakerId: string, S3Uri: string, ChannelId = 0) => ({ RequestId, SpeakerId, AudioSpecifications: [{ S3Uri, ChannelId }] });

  it('enrols good records and reports every bad one with its reason and code, storing nothing for them', async () => {
    const domain = await createTestDomain(client);
    await client.send(new OptOutSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'cust-opted' }));
    const { job, output } = await runJob(domain.DomainId, [
      one('good-a', 'cust-a', uri.a!),
      one('good-stereo', 'cust-s', uri.stereo!, 1),
      one('bad-uri', 'cust-1', 'https://example.com/a.wav'),
      one('outside-role', 'cust-2', uri.aOther!),
      one('dot-dot', 'cust-3', `s3://${CALLS_BUCKET}/x/../${uri.a!.split('/').slice(3).join('/')}`),
      one('encoded-dots', 'cust-4', `s3://${CALLS_BUCKET}/%2e%2e/a.wav`),
      one('missing', 'cust-5', `s3://${CALLS_BUCKET}/nothing-here.wav`),
      one('not-wav', 'cust-6', uri.text!),
      one('wrong-rate', 'cust-7', uri.wide!),
      one('wrong-encoding', 'cust-8', uri.mulaw!),
      one('no-such-channel', 'cust-9', uri.a!, 1),
      one('too-big', 'cust-10', uri.big!),
      one('too-little-speech', 'cust-11', uri.short!),
      one('opted-out', 'cust-opted', uri.b!),
      { RequestId: 'no-audio', SpeakerId: 'cust-12', AudioSpecifications: [] },
    ]);
    expect(job.JobStatus).toBe('COMPLETED_WITH_ERRORS');
    expect(job.JobProgress?.PercentComplete).toBe(100);
    expect(job.FailureDetails).toBeUndefined();
    expect(job.EndedAt).toBeInstanceOf(Date);
    expect(Object.keys(output!).sort()).toEqual(['Errors', 'SuccessfulEnrollments', 'Version']);
    expect(output!.Version).toBe('1.0');
    const successes = output!.SuccessfulEnrollments as Array<Record<string, string>>;
    expect(successes.map((s) => [s.RequestId, s.CustomerSpeakerId, s.EnrollmentStatus])).toEqual([
      ['good-a', 'cust-a', 'NEW_ENROLLMENT'],
      ['good-stereo', 'cust-s', 'NEW_ENROLLMENT'],
    ]);
    for (const s of successes) {
      expect(Object.keys(s).sort()).toEqual(['CustomerSpeakerId', 'EnrollmentStatus', 'GeneratedSpeakerId', 'RequestId']);
      const { Speaker } = await client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: s.CustomerSpeakerId }));
      expect(Speaker?.Status).toBe('ENROLLED');
      expect(Speaker?.GeneratedSpeakerId).toBe(s.GeneratedSpeakerId);
    }
    const errors = Object.fromEntries((output!.Errors as Array<{ RequestId: string; ErrorCode: number; ErrorMessage: string }>).map((e) => {
      expect(Object.keys(e).sort()).toEqual(['ErrorCode', 'ErrorMessage', 'RequestId']);
      return [e.RequestId, [e.ErrorCode, e.ErrorMessage]];
    }));
    expect(Object.keys(errors)).toHaveLength(13);
    expect(errors['bad-uri']).toEqual([400, expect.stringMatching(/not a valid S3 URI/)]);
    expect(errors['outside-role']).toEqual([400, expect.stringMatching(/outside the buckets/)]);
    expect(errors['dot-dot']).toEqual([400, expect.stringMatching(/not allowed/)]);
    expect(errors['encoded-dots']).toEqual([400, expect.stringMatching(/not allowed/)]);
    expect(errors.missing).toEqual([400, expect.stringMatching(/does not exist/)]);
    expect(errors['not-wav']).toEqual([400, expect.stringMatching(/not a RIFF WAV/)]);
    expect(errors['wrong-rate']).toEqual([400, expect.stringMatching(/16000 Hz/)]);
    expect(errors['wrong-encoding']).toEqual([400, expect.stringMatching(/not PCM/)]);
    expect(errors['no-such-channel']).toEqual([400, expect.stringMatching(/ChannelId 1 does not exist/)]);
    expect(errors['too-big']).toEqual([400, expect.stringMatching(/20 MB/)]);
    expect(errors['too-little-speech']).toEqual([400, expect.stringMatching(/do not have enough speech/)]);
    expect(errors['opted-out']).toEqual([409, expect.stringMatching(/opted out/)]);
    expect(errors['no-audio']).toEqual([400, expect.stringMatching(/AudioSpecifications/)]);
    // No speaker was made for a failed record.
    for (const id of ['cust-1', 'cust-2', 'cust-5', 'cust-11']) {
      await expect(client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: id }))).rejects.toThrow(/does not exist/);
    }
  }, 180_000);

  it('skips an enrolled speaker by default and overwrites it with OVERWRITE', async () => {
    const domain = await createTestDomain(client);
    const first = await runJob(domain.DomainId, [one('r1', 'cust-a', uri.a!)]);
    const id = (first.output!.SuccessfulEnrollments as Array<Record<string, string>>)[0]!.GeneratedSpeakerId;
    const skipped = await runJob(domain.DomainId, [one('r1', 'cust-a', uri.b!)]);
    expect(skipped.job.JobStatus).toBe('COMPLETED');
    expect(skipped.output!.SuccessfulEnrollments).toEqual([{ RequestId: 'r1', GeneratedSpeakerId: id, CustomerSpeakerId: 'cust-a', EnrollmentStatus: 'DUPLICATE_SKIPPED' }]);
    const overwritten = await runJob(domain.DomainId, [one('r1', 'cust-a', uri.b!)], { EnrollmentConfig: { ExistingEnrollmentAction: 'OVERWRITE' } });
    expect(overwritten.output!.SuccessfulEnrollments).toEqual([{ RequestId: 'r1', GeneratedSpeakerId: id, CustomerSpeakerId: 'cust-a', EnrollmentStatus: 'ENROLLMENT_OVERWRITE' }]);
    expect(overwritten.job.EnrollmentConfig).toEqual({ ...NO_FRAUD_CHECK, ExistingEnrollmentAction: 'OVERWRITE' });
  }, 180_000);

  it('fails the whole job with FailureDetails 400 for a manifest that cannot be used, changing nothing', async () => {
    const cases: Array<[string, string | undefined, RegExp]> = [
      ['missing', undefined, /does not exist/],
      ['not JSON', '{"Version": "1.0", ', /not valid JSON/],
      ['wrong Version', JSON.stringify({ Version: '2.0', SpeakerEnrollmentRequests: [] }), /Version/],
      ['duplicate RequestIds', JSON.stringify({ Version: '1.0', SpeakerEnrollmentRequests: [one('same', 'c1', uri.a!), one('same', 'c2', uri.b!)] }), /more than once/],
      ['too many records', JSON.stringify({ Version: '1.0', SpeakerEnrollmentRequests: Array.from({ length: 10_001 }, (_, i) => one(`r${i}`, `c${i}`, uri.a!)) }), /at most 10000/],
    ];
    for (const [what, body, message] of cases) {
      const domain = await createTestDomain(client);
      const key = `manifests/${domain.DomainId}-broken.json`;
      if (body !== undefined) await put(s3, CALLS_BUCKET, key, body);
      const { Job } = await client.send(new StartSpeakerEnrollmentJobCommand({
        DomainId: domain.DomainId, DataAccessRoleArn: ROLE_ARN, InputDataConfig: { S3Uri: `s3://${CALLS_BUCKET}/${key}` }, OutputDataConfig: { S3Uri: `s3://${CALLS_BUCKET}/results` },
      }));
      const ended = await waitForEnrollmentJob(client, domain.DomainId, Job!.JobId!);
      expect(ended.JobStatus, what).toBe('FAILED');
      expect(ended.FailureDetails?.StatusCode, what).toBe(400);
      expect(ended.FailureDetails?.Message, what).toMatch(message);
      await expect(client.send(new DescribeSpeakerCommand({ DomainId: domain.DomainId, SpeakerId: 'c1' }))).rejects.toThrow(/does not exist/);
    }
  }, 180_000);

  it('answers the same job for a repeated ClientToken, lists jobs by status, and refuses bad requests', async () => {
    const domain = await createTestDomain(client);
    const manifest = await put(s3, CALLS_BUCKET, `manifests/${domain.DomainId}-token.json`, JSON.stringify({ Version: '1.0', SpeakerEnrollmentRequests: [one('r1', 'cust-t', uri.a!)] }));
    const request = { DomainId: domain.DomainId, ClientToken: 'same-token', DataAccessRoleArn: ROLE_ARN, InputDataConfig: { S3Uri: manifest }, OutputDataConfig: { S3Uri: `s3://${CALLS_BUCKET}/results` }, EnrollmentConfig: NO_FRAUD_CHECK };
    const first = await client.send(new StartSpeakerEnrollmentJobCommand(request));
    const again = await client.send(new StartSpeakerEnrollmentJobCommand(request));
    expect(again.Job?.JobId).toBe(first.Job?.JobId);
    await waitForEnrollmentJob(client, domain.DomainId, first.Job!.JobId!);
    const { JobSummaries } = await client.send(new ListSpeakerEnrollmentJobsCommand({ DomainId: domain.DomainId, JobStatus: 'COMPLETED' }));
    expect(JobSummaries?.map((j) => j.JobId)).toEqual([first.Job!.JobId]);
    expect((await client.send(new ListSpeakerEnrollmentJobsCommand({ DomainId: domain.DomainId, JobStatus: 'FAILED' }))).JobSummaries).toEqual([]);
    await expect(client.send(new StartSpeakerEnrollmentJobCommand({ ...request, ClientToken: undefined, DataAccessRoleArn: 'not-a-role' }))).rejects.toBeInstanceOf(ValidationException);
    await expect(client.send(new StartSpeakerEnrollmentJobCommand({ ...request, ClientToken: undefined, InputDataConfig: { S3Uri: 'https://x/y.json' } }))).rejects.toBeInstanceOf(ValidationException);
  }, 120_000);

  it('allows one active enrolment job per domain', async () => {
    const domain = await createTestDomain(client);
    const records = Array.from({ length: 6 }, (_, i) => one(`r${i}`, `cust-${i}`, uri.a!));
    const manifest = await put(s3, CALLS_BUCKET, `manifests/${domain.DomainId}-active.json`, JSON.stringify({ Version: '1.0', SpeakerEnrollmentRequests: records }));
    const request = { DomainId: domain.DomainId, DataAccessRoleArn: ROLE_ARN, InputDataConfig: { S3Uri: manifest }, OutputDataConfig: { S3Uri: `s3://${CALLS_BUCKET}/results` }, EnrollmentConfig: NO_FRAUD_CHECK };
    const first = await client.send(new StartSpeakerEnrollmentJobCommand(request));
    await expect(client.send(new StartSpeakerEnrollmentJobCommand(request))).rejects.toBeInstanceOf(ServiceQuotaExceededException);
    await waitForEnrollmentJob(client, domain.DomainId, first.Job!.JobId!);
    const next = await client.send(new StartSpeakerEnrollmentJobCommand(request));
    expect((await waitForEnrollmentJob(client, domain.DomainId, next.Job!.JobId!)).JobStatus).toBe('COMPLETED');
  }, 180_000);
});
