/**
 * Fraudster registration jobs and the enrolment fraud check end to end: duplicates found among the domain's
 * fraudsters (SKIP with FraudsterSimilarityScore, REGISTER_AS_NEW), FAIL and IGNORE, and a batch-enrolled speaker
 * then verified against a fresh recording of the same voice.
 */
import {
  DescribeFraudsterCommand,
  EvaluateSessionCommand,
  ListFraudsterRegistrationJobsCommand,
  ListFraudstersCommand,
  StartFraudsterRegistrationJobCommand,
  StartSpeakerEnrollmentJobCommand,
  type VoiceIDClient,
} from '@aws-sdk/client-voice-id';
import type { S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { TimbreSessionClient } from '../../../lambdas/client/index.js';
import { DEFAULT_ACCEPT_THRESHOLD } from '../../../lambdas/voiceid/index.js';
import { createTestDomain, localStore } from '../helpers.js';
import { makeVoiceIdClient, timbreTestEnv } from '../../support/voiceid-client.js';
import { CALLS_BUCKET, NO_FRAUD_CHECK, ROLE_ARN, ensureBuckets, getJson, localS3, put, speechWav, waitForEnrollmentJob, waitForRegistrationJob } from './batch-fixtures.js';

describe('StartFraudsterRegistrationJob and the enrolment fraud check', () => {
  let client: VoiceIDClient;
  let s3: S3Client;
  const uri: Record<string, string> = {};

  beforeAll(async () => {
    client = makeVoiceIdClient();
    s3 = localS3();
    await ensureBuckets(s3);
    const prefix = `register-${Date.now()}`;
    uri.fraudster = await put(s3, CALLS_BUCKET, `${prefix}/fraudster.wav`, speechWav('en+f4'));
    uri.fraudsterAgain = await put(s3, CALLS_BUCKET, `${prefix}/fraudster-again.wav`, speechWav('en+f4', { text: 'Good morning, I would like to move some money out of this account today, because my card was lost on the train and I need the funds before the weekend. Can you tell me the balance, the last three payments and the phone number you have on file for me? I also want to change the address to a new flat near the station. '.repeat(2) }));
    // espeak-ng's voices share one synthesizer; en+m7 is one the model keeps well apart from en+f4.
    uri.customer = await put(s3, CALLS_BUCKET, `${prefix}/customer.wav`, speechWav('en+m7'));
    uri.short = await put(s3, CALLS_BUCKET, `${prefix}/short.wav`, speechWav('en+f4', { text: 'Hi.' }));
  }, 120_000);

  const request = (RequestId: string, S3Uri: string) => ({ RequestId, AudioSpecifications: [{ S3Uri, ChannelId: 0 }] });

  async function register(domainId: string, requests: unknown[], RegistrationConfig?: Record<string, unknown>) {
    const manifest = await put(s3, CALLS_BUCKET, `manifests/${domainId}-${Date.now()}-fraud.json`, JSON.stringify({ Version: '1.0', FraudsterRegistrationRequests: requests }));
    const { Job } = await client.send(new StartFraudsterRegistrationJobCommand({
      DomainId: domainId, DataAccessRoleArn: ROLE_ARN, InputDataConfig: { S3Uri: manifest },
      OutputDataConfig: { S3Uri: `s3://${CALLS_BUCKET}/fraud-results/`, KmsKeyId: 'alias/timbre-local' },
      ...(RegistrationConfig === undefined ? {} : { RegistrationConfig }),
    }));
    const job = await waitForRegistrationJob(client, domainId, Job!.JobId!);
    const output = await getJson(s3, `s3://${CALLS_BUCKET}/fraud-results/${Job!.JobId}/${manifest.slice(manifest.lastIndexOf('/') + 1)}.out`);
    return { job, output };
  }

  async function enrol(domainId: string, speakerId: string, S3Uri: string, EnrollmentConfig?: Record<string, unknown>) {
    const manifest = await put(s3, CALLS_BUCKET, `manifests/${domainId}-${Date.now()}-enrol.json`, JSON.stringify({ Version: '1.0', SpeakerEnrollmentRequests: [{ RequestId: 'e1', SpeakerId: speakerId, AudioSpecifications: [{ S3Uri, ChannelId: 0 }] }] }));
    const { Job } = await client.send(new StartSpeakerEnrollmentJobCommand({
      DomainId: domainId, DataAccessRoleArn: ROLE_ARN, InputDataConfig: { S3Uri: manifest }, OutputDataConfig: { S3Uri: `s3://${CALLS_BUCKET}/results` },
      ...(EnrollmentConfig === undefined ? {} : { EnrollmentConfig }),
    }));
    await waitForEnrollmentJob(client, domainId, Job!.JobId!);
    return getJson(s3, `s3://${CALLS_BUCKET}/results/${Job!.JobId}/${manifest.slice(manifest.lastIndexOf('/') + 1)}.out`);
  }

  it('registers new fraudsters, skips a duplicate with its similarity score, and registers it anyway with REGISTER_AS_NEW', async () => {
    const domain = await createTestDomain(client);
    const first = await register(domain.DomainId, [request('f1', uri.fraudster!), request('f-short', uri.short!)]);
    expect(first.job.JobStatus).toBe('COMPLETED_WITH_ERRORS');
    expect(Object.keys(first.output).sort()).toEqual(['Errors', 'SuccessfulRegistrations', 'Version']);
    const [registered] = first.output.SuccessfulRegistrations as Array<Record<string, unknown>>;
    expect(Object.keys(registered!).sort()).toEqual(['GeneratedFraudsterId', 'RegistrationStatus', 'RequestId']);
    expect(registered).toMatchObject({ RequestId: 'f1', RegistrationStatus: 'NEW_REGISTRATION' });
    expect(first.output.Errors).toEqual([{ RequestId: 'f-short', ErrorCode: 400, ErrorMessage: expect.stringMatching(/enough speech/) }]);
    const fraudsterId = registered!.GeneratedFraudsterId as string;
    const { Fraudster } = await client.send(new DescribeFraudsterCommand({ DomainId: domain.DomainId, FraudsterId: fraudsterId }));
    expect(Fraudster?.WatchlistIds).toEqual([domain.WatchlistDetails!.DefaultWatchlistId]);

    const duplicate = await register(domain.DomainId, [request('f2', uri.fraudsterAgain!)]);
    expect(duplicate.job.JobStatus).toBe('COMPLETED');
    const [skipped] = duplicate.output.SuccessfulRegistrations as Array<Record<string, unknown>>;
    expect(skipped).toEqual({ RequestId: 'f2', GeneratedFraudsterId: fraudsterId, RegistrationStatus: 'DUPLICATE_SKIPPED', FraudsterSimilarityScore: expect.any(Number) });
    expect(skipped!.FraudsterSimilarityScore as number).toBeGreaterThanOrEqual(50);

    const anew = await register(domain.DomainId, [request('f3', uri.fraudsterAgain!)], { DuplicateRegistrationAction: 'REGISTER_AS_NEW' });
    const [registeredAgain] = anew.output.SuccessfulRegistrations as Array<Record<string, unknown>>;
    expect(registeredAgain).toMatchObject({ RequestId: 'f3', RegistrationStatus: 'NEW_REGISTRATION' });
    expect(registeredAgain!.GeneratedFraudsterId).not.toBe(fraudsterId);
    expect(anew.job.RegistrationConfig).toEqual({ DuplicateRegistrationAction: 'REGISTER_AS_NEW' });
    const { FraudsterSummaries } = await client.send(new ListFraudstersCommand({ DomainId: domain.DomainId }));
    expect(FraudsterSummaries).toHaveLength(2);
    const { JobSummaries } = await client.send(new ListFraudsterRegistrationJobsCommand({ DomainId: domain.DomainId }));
    expect(JobSummaries).toHaveLength(3);
  }, 240_000);

  it('fails the enrolment of a known fraudster and of a synthetic voice (FAIL), naming each risk, and enrols them with IGNORE', async () => {
    const domain = await createTestDomain(client);
    await register(domain.DomainId, [request('f1', uri.fraudster!)]);
    // A known fraudster's voice (and, being espeak-ng, a synthetic one): both risks are named, in Voice ID's order.
    const failed = await enrol(domain.DomainId, 'cust-suspect', uri.fraudsterAgain!);
    expect(failed.SuccessfulEnrollments).toEqual([]);
    expect(failed.Errors).toEqual([{ RequestId: 'e1', ErrorCode: 400, ErrorMessage: expect.stringMatching(/failed the fraud check: known-fraudster risk \d+ and voice spoofing risk \d+ are at or above the RiskThreshold 50/) }]);
    // A voice no fraudster has, but synthetic: the countermeasure alone fails it.
    const synthetic = await enrol(domain.DomainId, 'cust-synthetic', uri.customer!, { FraudDetectionConfig: { FraudDetectionAction: 'FAIL', RiskThreshold: 50 } });
    expect(synthetic.SuccessfulEnrollments).toEqual([]);
    expect(synthetic.Errors).toEqual([{ RequestId: 'e1', ErrorCode: 400, ErrorMessage: expect.stringMatching(/failed the fraud check: voice spoofing risk \d+ is at or above the RiskThreshold 50$/) }]);
    const ignored = await enrol(domain.DomainId, 'cust-suspect', uri.fraudsterAgain!, { FraudDetectionConfig: { FraudDetectionAction: 'IGNORE' } });
    expect(ignored.SuccessfulEnrollments).toEqual([expect.objectContaining({ CustomerSpeakerId: 'cust-suspect', EnrollmentStatus: 'NEW_ENROLLMENT' })]);
  }, 240_000);

  it('verifies a batch-enrolled speaker with EvaluateSession on a new recording of the same voice as ACCEPT', async () => {
    const domain = await createTestDomain(client);
    const output = await enrol(domain.DomainId, 'cust-verified', uri.fraudster!, NO_FRAUD_CHECK);
    const [enrolled] = output.SuccessfulEnrollments as Array<Record<string, string>>;
    const store = localStore();
    expect(await store.audio.listAudio(domain.DomainId, enrolled!.GeneratedSpeakerId!)).toHaveLength(1);
    // The caller calls: a session on the customer ID, a new recording, Voice ID's EvaluateSession.
    const env = timbreTestEnv();
    const sessions = new TimbreSessionClient({ endpoint: env.endpoint, region: env.region, credentials: env.credentials });
    const { Session } = await sessions.startSession({ DomainId: domain.DomainId, SessionName: `verify-${Date.now()}`, SpeakerId: 'cust-verified', AuthenticationConfiguration: { AcceptanceThreshold: DEFAULT_ACCEPT_THRESHOLD } });
    const probe = speechWav('en+f4', { text: 'Hello, this is me calling again about my account, I need to check a payment that I made last week to the electricity company. '.repeat(2) });
    await sessions.putSessionAudio({ DomainId: domain.DomainId, SessionNameOrId: Session.SessionId, Audio: probe });
    const evaluation = await client.send(new EvaluateSessionCommand({ DomainId: domain.DomainId, SessionNameOrId: Session.SessionId }));
    expect(evaluation.AuthenticationResult).toMatchObject({ Decision: 'ACCEPT', CustomerSpeakerId: 'cust-verified', GeneratedSpeakerId: enrolled!.GeneratedSpeakerId });
  }, 120_000);
});
