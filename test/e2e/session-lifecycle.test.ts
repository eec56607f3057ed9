/**
 * The session rules that need a clock or a small quota, through the session service over the local store (the API's
 * stack runs Voice ID's quotas and the real clock): the concurrent-session quota, the idle timeout, the sweep,
 * and SPEAKER_EXPIRED for a speaker whose last access is three years old.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSessionVoiceEngine } from '../../lambdas/voiceid/session-engine.js';
import { createSessionService, type SessionService, type SessionVoiceEngine } from '../../lambdas/voiceid/sessions/index.js';
import { DEFAULT_QUOTAS, QuotaExceededError, ResourceNotFoundError, createVoiceIdService, type VoiceIdDependencies } from '../../lambdas/voiceid/index.js';
import { DEFAULT_MODEL_CARD_FILE, loadSpeakerModel } from '../../lambdas/voiceprint/index.js';
import { makeVoiceIdClient, timbreTestEnv } from '../support/voiceid-client.js';
import { truncateToHourMs } from '../../lambdas/voiceid/index.js';
import { libriSpeechFiles } from '../support/shared-data.js';
import { createTestDomain, defaultModelVoiceprint, fakeVoiceprint, localStore } from './helpers.js';

const client = makeVoiceIdClient();
const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

describe('session quota, idle timeout and expiry', () => {
  let engine: SessionVoiceEngine;
  let now = Date.now();
  let deps: VoiceIdDependencies;
  let sessions: SessionService;

  beforeAll(async () => {
    engine = createSessionVoiceEngine(await loadSpeakerModel(join(import.meta.dirname, '../..', DEFAULT_MODEL_CARD_FILE)));
    deps = {
      ...localStore(),
      quotas: { ...DEFAULT_QUOTAS, activeSessionsPerDomain: 2, sessionIdleSeconds: 60 },
      arn: { region: timbreTestEnv().region, accountId: '000000000000' },
      clock: () => now,
    };
    sessions = createSessionService(deps, engine);
  }, 60_000);

  it('refuses a session over the quota, ends idle sessions to make room, and reads an idle session as ENDED', async () => {
    const domainId = (await createTestDomain(client, 'sessions-quota')).DomainId;
    const first = await sessions.start({ domainId, sessionName: 'q-1' });
    now += 30_000;
    await sessions.start({ domainId, sessionName: 'q-2' });
    await expect(sessions.start({ domainId, sessionName: 'q-3' })).rejects.toBeInstanceOf(QuotaExceededError);

    // q-1 is now idle (61 s without activity); q-2 is not (31 s).
    now += 31_000;
    const third = await sessions.start({ domainId, sessionName: 'q-3' });
    expect(third.streamingStatus).toBe('PENDING_CONFIGURATION');
    expect((await sessions.describe(domainId, first.sessionId)).streamingStatus).toBe('ENDED');
    await expect(sessions.start({ domainId, sessionName: 'q-4' })).rejects.toBeInstanceOf(QuotaExceededError);

    // Read after the timeout, a session is ENDED and its slot is free.
    now += 61_000;
    expect((await sessions.describe(domainId, 'q-2')).streamingStatus).toBe('ENDED');
    await expect(sessions.start({ domainId, sessionName: 'q-4' })).resolves.toMatchObject({ sessionName: 'q-4' });
  });

  it('lets the sweep end idle sessions of every domain', async () => {
    const domainId = (await createTestDomain(client, 'sessions-sweep')).DomainId;
    // Years back, so that the sweep finds only this session and not those other test files are running.
    let then = now - 10 * YEAR_MS;
    const sweeper = createSessionService({ ...deps, clock: () => then }, engine);
    await sweeper.start({ domainId, sessionName: 'sweep-1' });
    then += 61_000;
    expect(await sweeper.endIdleSessions(1000)).toBe(1);
    expect((await deps.sessions.findSessionByName(domainId, 'sweep-1'))?.record.streamingStatus).toBe('ENDED');
    await expect(sessions.describe(domainId, 'no-such')).rejects.toBeInstanceOf(ResourceNotFoundError);
  });

  it('answers SPEAKER_EXPIRED for a speaker last accessed more than three years ago, even while DynamoDB holds it', async () => {
    const domainId = (await createTestDomain(client, 'sessions-expired')).DomainId;
    const past = { ...deps, clock: () => now - 4 * YEAR_MS };
    await createVoiceIdService(past).speakers.recordEnrollment(domainId, 'old-caller', fakeVoiceprint(3));
    const name = `expired-${now}`;
    await sessions.start({ domainId, sessionName: name, speakerId: 'old-caller', authentication: { acceptanceThreshold: 90 } });
    const evaluation = await sessions.evaluate(domainId, name);
    expect(evaluation.authentication?.decision).toBe('SPEAKER_EXPIRED');
  });

  const speech = libriSpeechFiles('19', 5);
  it.skipIf(speech.length < 5)('refreshes LastAccessedAt and the voiceprint expiry on ACCEPT, at most hourly', async () => {
    const domainId = (await createTestDomain(client, 'sessions-access')).DomainId;
    let state: Uint8Array | undefined;
    for (const file of speech.slice(0, 4)) state = (await engine.addAudio(state, { kind: 'file', bytes: file }, false)).state;
    const enrolledAt = now - 5 * 60 * 60 * 1000;
    await createVoiceIdService({ ...deps, clock: () => enrolledAt }).speakers.recordEnrollment(domainId, 'returning', defaultModelVoiceprint((await engine.voiceprint(state!))!));

    const name = `access-${now}`;
    await sessions.start({ domainId, sessionName: name, speakerId: 'returning', authentication: { acceptanceThreshold: 90 } });
    await sessions.putAudio(domainId, name, { bytes: speech[4]!, encoding: 'FILE' });
    expect((await sessions.evaluate(domainId, name)).authentication?.decision).toBe('ACCEPT');

    const speaker = await deps.speakers.findSpeakerByCustomerId(domainId, 'returning');
    expect(speaker?.lastAccessedAtMs).toBe(truncateToHourMs(now));
  }, 120_000);
});
