/**
 * Isolation between domains: every operation that takes an ID, called in domain B with the IDs of domain A's
 * watchlist, speaker, fraudster, session and job, answers an error that names nothing of A, and A is unchanged after.
 * The table lists every served operation that takes such an ID; a check makes sure none is missed.
 */
import { DescribeFraudsterCommand, DescribeSpeakerCommand, DescribeWatchlistCommand, StartSpeakerEnrollmentJobCommand } from '@aws-sdk/client-voice-id';
import { beforeAll, describe, expect, it } from 'vitest';
import { SERVED_OPERATIONS } from '../../lambdas/api/index.js';
import { makeVoiceIdClient } from '../support/voiceid-client.js';
import { CALLS_BUCKET, ROLE_ARN } from './batch/batch-fixtures.js';
import { createTestDomain, fakeVoiceprint, localVoiceId, signedCall } from './helpers.js';

const client = makeVoiceIdClient();

/** A's resources, made through the API (and the service layer for the fraudster, which has no API create). */
interface DomainA {
  domainId: string;
  watchlistId: string;
  speakerId: string;
  customerSpeakerId: string;
  fraudsterId: string;
  sessionId: string;
  sessionName: string;
  jobId: string;
}

async function call(operation: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, string> }> {
  const response = await signedCall(`VoiceID.${operation}`, JSON.stringify(body));
  return { status: response.status, body: response.text === '' ? {} : (JSON.parse(response.text) as Record<string, string>) };
}

/** Each operation that takes one of A's IDs, as called from domain B, with the answer it must give. */
function crossDomainCalls(a: DomainA, b: string, bWatchlist: string): Array<[string, Record<string, unknown>, string]> {
  const session = { DomainId: b, SessionNameOrId: a.sessionId };
  return [
    ['DescribeWatchlist', { DomainId: b, WatchlistId: a.watchlistId }, 'WATCHLIST'],
    ['UpdateWatchlist', { DomainId: b, WatchlistId: a.watchlistId, Name: 'taken-over' }, 'WATCHLIST'],
    ['DeleteWatchlist', { DomainId: b, WatchlistId: a.watchlistId }, 'WATCHLIST'],
    ['ListFraudsters', { DomainId: b, WatchlistId: a.watchlistId }, 'WATCHLIST'],
    ['DescribeSpeaker', { DomainId: b, SpeakerId: a.speakerId }, 'SPEAKER'],
    ['DeleteSpeaker', { DomainId: b, SpeakerId: a.speakerId }, 'SPEAKER'],
    ['OptOutSpeaker', { DomainId: b, SpeakerId: a.speakerId }, 'SPEAKER'],
    ['DescribeFraudster', { DomainId: b, FraudsterId: a.fraudsterId }, 'FRAUDSTER'],
    ['DeleteFraudster', { DomainId: b, FraudsterId: a.fraudsterId }, 'FRAUDSTER'],
    ['AssociateFraudster', { DomainId: b, FraudsterId: a.fraudsterId, WatchlistId: bWatchlist }, 'FRAUDSTER'],
    ['DisassociateFraudster', { DomainId: b, FraudsterId: a.fraudsterId, WatchlistId: bWatchlist }, 'FRAUDSTER'],
    ['DescribeSession', session, 'SESSION'],
    ['UpdateSession', { ...session, SpeakerId: 'someone-else' }, 'SESSION'],
    ['PutSessionAudio', { ...session, Audio: Buffer.from(new Int16Array(8000).buffer).toString('base64'), Encoding: 'PCM_S16LE' }, 'SESSION'],
    ['EnrollBySession', session, 'SESSION'],
    ['EndSession', session, 'SESSION'],
    ['EvaluateSession', session, 'SESSION'],
    ['EvaluateSession', { DomainId: b, SessionNameOrId: a.sessionName }, 'SESSION'],
    ['StartSession', { DomainId: b, SessionName: `x-${Date.now()}`, FraudDetectionConfiguration: { WatchlistId: a.watchlistId } }, 'WATCHLIST'],
    ['DescribeSpeakerEnrollmentJob', { DomainId: b, JobId: a.jobId }, 'BATCH_JOB'],
    ['DescribeFraudsterRegistrationJob', { DomainId: b, JobId: a.jobId }, 'BATCH_JOB'],
  ];
}

describe('isolation between domains', () => {
  let a: DomainA;
  let b: string;
  let bWatchlist: string;

  beforeAll(async () => {
    const domainA = await createTestDomain(client, `iso-a-${Date.now()}`);
    const domainB = await createTestDomain(client, `iso-b-${Date.now()}`);
    b = domainB.DomainId;
    bWatchlist = domainB.WatchlistDetails!.DefaultWatchlistId!;
    const watchlist = await call('CreateWatchlist', { DomainId: domainA.DomainId, Name: 'a-list' });
    const customerSpeakerId = `iso-${Date.now()}`;
    const speaker = await call('OptOutSpeaker', { DomainId: domainA.DomainId, SpeakerId: customerSpeakerId });
    const fraudster = await localVoiceId().fraudsters.register(domainA.DomainId, fakeVoiceprint(7));
    const sessionName = `iso-session-${Date.now()}`;
    const session = await call('StartSession', { DomainId: domainA.DomainId, SessionName: sessionName, AuthenticationConfiguration: { AcceptanceThreshold: 90 } });
    const { Job } = await client.send(new StartSpeakerEnrollmentJobCommand({
      DomainId: domainA.DomainId, DataAccessRoleArn: ROLE_ARN,
      InputDataConfig: { S3Uri: `s3://${CALLS_BUCKET}/isolation/no-such-manifest.json` }, OutputDataConfig: { S3Uri: `s3://${CALLS_BUCKET}/isolation` },
    }));
    a = {
      domainId: domainA.DomainId,
      watchlistId: (watchlist.body.Watchlist as unknown as { WatchlistId: string }).WatchlistId,
      speakerId: (speaker.body.Speaker as unknown as { GeneratedSpeakerId: string }).GeneratedSpeakerId,
      customerSpeakerId,
      fraudsterId: fraudster.generatedFraudsterId,
      sessionId: (session.body.Session as unknown as { SessionId: string }).SessionId,
      sessionName,
      jobId: Job!.JobId!,
    };
  }, 60_000);

  it('covers every served operation that takes the ID of a watchlist, speaker, fraudster, session or job', () => {
    const covered = new Set(crossDomainCalls(a, b, bWatchlist).map(([operation]) => operation));
    const domainWide = ['CreateDomain', 'DescribeDomain', 'UpdateDomain', 'DeleteDomain', 'ListDomains', 'CreateWatchlist', 'ListWatchlists', 'ListSpeakers',
      'TagResource', 'UntagResource', 'ListTagsForResource', 'StartSpeakerEnrollmentJob', 'ListSpeakerEnrollmentJobs', 'StartFraudsterRegistrationJob', 'ListFraudsterRegistrationJobs'];
    expect(SERVED_OPERATIONS.filter((operation) => !covered.has(operation) && !domainWide.includes(operation))).toEqual([]);
  });

  it("answers every operation in domain B with A's IDs as not found, naming nothing of A", async () => {
    for (const [operation, body, resourceType] of crossDomainCalls(a, b, bWatchlist)) {
      const answer = await call(operation, body);
      expect({ operation, status: answer.status, type: answer.body.ResourceType }).toEqual({ operation, status: 404, type: resourceType });
      const text = JSON.stringify(answer.body);
      for (const secret of [a.domainId, a.customerSpeakerId, a.sessionName]) expect(text, operation).not.toContain(secret);
    }
  });

  it('leaves domain A as it was', async () => {
    const watchlist = await client.send(new DescribeWatchlistCommand({ DomainId: a.domainId, WatchlistId: a.watchlistId }));
    expect(watchlist.Watchlist?.Name).toBe('a-list');
    const speaker = await client.send(new DescribeSpeakerCommand({ DomainId: a.domainId, SpeakerId: a.speakerId }));
    expect(speaker.Speaker).toMatchObject({ Status: 'OPTED_OUT', CustomerSpeakerId: a.customerSpeakerId });
    const fraudster = await client.send(new DescribeFraudsterCommand({ DomainId: a.domainId, FraudsterId: a.fraudsterId }));
    expect(fraudster.Fraudster?.WatchlistIds).toHaveLength(1);
    const session = await call('DescribeSession', { DomainId: a.domainId, SessionNameOrId: a.sessionId });
    expect(session.body.Session).toMatchObject({ StreamingStatus: 'PENDING_CONFIGURATION', SessionName: a.sessionName });
    expect((session.body.Session as unknown as Record<string, unknown>).CustomerSpeakerId).toBeUndefined();
  });
});
