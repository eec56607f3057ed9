/**
 * A Connect call end to end on the suite's local stack: a speaker enrolled through the typed session client, then
 * calls recorded as Connect streams them, played through the local Kinesis Video endpoint while the flow's start
 * and evaluate Lambdas run through the local Lambda Invoke API (the start Lambda invokes the call-audio consumer
 * asynchronously, as in AWS). Synthetic voices (espeak-ng), so it runs where ../shared/data is absent.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateWatchlistCommand } from '@aws-sdk/client-voice-id';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMkv, decodeAudio, resample } from '../../lambdas/audio/index.js';
import { TimbreSessionClient } from '../../lambdas/client/index.js';
import { simulateContactFlow, type SimulatedCall } from '../../lambdas/local/connect/contact-flow-simulator.js';
import { ENROL_TEXT, PROBE_TEXT, SHORT_TEXT, VOICES, hasEspeak, speak } from '../support/synthetic-callers.js';
import { makeVoiceIdClient, timbreTestEnv } from '../support/voiceid-client.js';
import { createTestDomain, localStore, localVoiceId } from './helpers.js';

const env = timbreTestEnv();
const dir = mkdtempSync(join(tmpdir(), 'timbre-connect-call-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `text` in `voice` as Connect's caller track: 8 kHz 16-bit PCM. */
async function callerAudio(voice: string, text: string, name: string): Promise<Int16Array> {
  const wav = join(dir, `${name}.wav`);
  speak(voice, text, wav);
  const pcm = resample(await decodeAudio(readFileSync(wav)), 8000);
  return Int16Array.from(pcm.samples, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
}

let fragment = 91343852333181500000n;
/** One contact's call as Connect streams it; consecutive calls get increasing fragment numbers, as a reused stream has. */
function call(contactId: string, fromCustomer: Int16Array): Uint8Array {
  const mkv = connectMkv({ contactId, fromCustomer, firstFragmentNumber: fragment });
  fragment += BigInt(Math.ceil(fromCustomer.length / 8000)) + 10n;
  return mkv;
}

const uuid = (n: number): string => `c0ffee00-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Plays a call through the flow, polling fast: the recording is served as fast as it can be read. */
function play(recording: Omit<SimulatedCall, 'pace'>) {
  return simulateContactFlow({ ...recording, pace: 'fast' }, {
    region: env.region,
    credentials: env.serviceCredentials,
    kinesisVideoEndpoint: env.endpoints.kinesisvideo,
    lambdaEndpoint: env.endpoints.lambda,
    functions: { connectStart: env.resources.connectStartFunction, connectEvaluate: env.resources.connectEvaluateFunction },
    pollIntervalMs: 500,
    maxPolls: 120,
  });
}

describe.skipIf(!hasEspeak())('an Amazon Connect call through the flow Lambdas', () => {
  const voiceId = makeVoiceIdClient();
  const anna = `anna-${Date.now()}`;
  let domainId = '';
  let annaProbe: Int16Array;
  let bertProbe: Int16Array;

  beforeAll(async () => {
    domainId = (await createTestDomain(voiceId, `connect-${Date.now()}`)).DomainId;
    // Anna enrols through the typed client: 30 s of her speech in one session, then the agent's EnrollBySession.
    const sessions = new TimbreSessionClient({ endpoint: env.endpoint, region: env.region, credentials: env.credentials });
    const { Session } = await sessions.startSession({ DomainId: domainId, SessionName: `enrol-${Date.now()}`, SpeakerId: anna });
    const ref = { DomainId: domainId, SessionNameOrId: Session.SessionId };
    for (const [i, text] of ENROL_TEXT.entries()) {
      const wav = join(dir, `anna-enrol-${i}.wav`);
      speak(VOICES.anna, text, wav);
      await sessions.putSessionAudio({ ...ref, Audio: readFileSync(wav) });
    }
    expect((await sessions.enrollBySession(ref)).Status).toBe('COMPLETED');
    await sessions.endSession(ref);
    annaProbe = await callerAudio(VOICES.anna, PROBE_TEXT, 'anna-probe');
    bertProbe = await callerAudio(VOICES.bert, PROBE_TEXT, 'bert-probe');
  }, 180_000);

  it('authenticates the enrolled voice, and rejects another voice claiming her ID', { timeout: 180_000 }, async () => {
    const genuine = await play({ mkv: call(uuid(1), annaProbe), customerId: anna, parameters: { domainId } });
    expect(genuine.start).toMatchObject({ sessionId: expect.stringMatching(/^id_[a-zA-Z0-9]{22}$/), streamingStatus: 'PENDING_CONFIGURATION' });
    expect(genuine.last).toMatchObject({
      authenticationDecision: 'ACCEPT',
      authenticationResult: 'Authenticated',
      enrollmentStatus: 'ENROLLED',
      // The caller is espeak-ng, so the countermeasure rightly calls it a spoof: the flow sees both answers.
      fraudResult: 'High_Risk',
      fraudReasons: 'VOICE_SPOOFING',
      generatedSpeakerId: expect.stringMatching(/^id_/),
    });
    expect(Number(genuine.last.authenticationScore)).toBeGreaterThanOrEqual(90);
    // STRING_MAP values: letters, digits, - and _ only.
    for (const value of Object.values(genuine.last)) expect(value).toMatch(/^[a-zA-Z0-9_-]+$/);

    const impostor = await play({ mkv: call(uuid(2), bertProbe), customerId: anna, parameters: { domainId } });
    expect(impostor.last).toMatchObject({ authenticationDecision: 'REJECT', authenticationResult: 'Not_Authenticated' });
    expect(Number(impostor.last.authenticationScore)).toBeLessThan(90);
  });

  it('answers the decisions that need no score: not enough speech, not enrolled, no speaker, opted out', { timeout: 180_000 }, async () => {
    const short = await play({ mkv: call(uuid(3), await callerAudio(VOICES.anna, SHORT_TEXT, 'anna-short')), customerId: anna, parameters: { domainId } });
    expect(short.last).toMatchObject({ streamingStatus: 'ENDED', authenticationDecision: 'NOT_ENOUGH_SPEECH', authenticationResult: 'Inconclusive', fraudResult: 'Inconclusive' });
    expect(short.last.authenticationScore).toBeUndefined();

    const unknown = await play({ mkv: call(uuid(4), annaProbe), customerId: `nobody-${Date.now()}`, parameters: { domainId } });
    expect(unknown.last).toMatchObject({ authenticationDecision: 'SPEAKER_NOT_ENROLLED', authenticationResult: 'Not_Enrolled', enrollmentStatus: 'NOT_ENROLLED' });

    const anonymous = await play({ mkv: call(uuid(5), annaProbe), parameters: { domainId } });
    expect(anonymous.last).toMatchObject({ authenticationDecision: 'SPEAKER_ID_NOT_PROVIDED', authenticationResult: 'No_Speaker_Id' });

    const optedOut = `out-${Date.now()}`;
    await localVoiceId().speakers.optOut(domainId, optedOut);
    const refused = await play({ mkv: call(uuid(6), annaProbe), customerId: optedOut, parameters: { domainId } });
    expect(refused.last).toMatchObject({ authenticationDecision: 'SPEAKER_OPTED_OUT', authenticationResult: 'Opted_Out', enrollmentStatus: 'OPTED_OUT' });
  });

  it('flags a listed fraudster calling as High_Risk with KNOWN_FRAUDSTER and names them', { timeout: 180_000 }, async () => {
    // Bert's voiceprint goes on a watchlist of its own through the service layer, as a fraud analyst's report would.
    const { Watchlist } = await voiceId.send(new CreateWatchlistCommand({ DomainId: domainId, Name: `fraud-${Date.now()}` }));
    const bert = `bert-${Date.now()}`;
    const sessions = new TimbreSessionClient({ endpoint: env.endpoint, region: env.region, credentials: env.credentials });
    const { Session } = await sessions.startSession({ DomainId: domainId, SessionName: `bert-${Date.now()}`, SpeakerId: bert });
    const ref = { DomainId: domainId, SessionNameOrId: Session.SessionId };
    for (const [i, text] of ENROL_TEXT.entries()) {
      const wav = join(dir, `bert-enrol-${i}.wav`);
      speak(VOICES.bert, text, wav);
      await sessions.putSessionAudio({ ...ref, Audio: readFileSync(wav) });
    }
    expect((await sessions.enrollBySession(ref)).Status).toBe('COMPLETED');
    const store = localStore();
    const domain = (await store.domains.getDomain(domainId))!;
    const bertSpeaker = await store.speakers.findSpeakerByCustomerId(domainId, bert);
    const voiceprint = await store.voiceprints.getVoiceprint({ domainId, domainArn: domain.arn, kmsKeyId: domain.kmsKeyId }, bertSpeaker!.generatedSpeakerId, Date.now());
    const fraudster = await localVoiceId(store).fraudsters.register(domainId, voiceprint!, [Watchlist!.WatchlistId!]);

    const fraud = await play({ mkv: call(uuid(7), bertProbe), customerId: anna, parameters: { domainId, watchlistId: Watchlist!.WatchlistId! } });
    expect(fraud.last).toMatchObject({
      fraudDecision: 'HIGH_RISK',
      fraudResult: 'High_Risk',
      fraudReasons: 'KNOWN_FRAUDSTER-VOICE_SPOOFING', // a synthetic fraudster: the countermeasure flags it too
      knownFraudsterId: fraudster.generatedFraudsterId.replace('#', '_'),
    });
    expect(Number(fraud.last.fraudRiskScore)).toBeGreaterThanOrEqual(50);
  });

  it('reads only its own contact from a stream Connect reused for the next call', { timeout: 180_000 }, async () => {
    // Anna's call, then Bert's on the same stream: the consumer must stop at Bert's first fragment.
    const reused = Buffer.concat([call(uuid(8), annaProbe), call(uuid(9), bertProbe)]);
    const first = await play({ mkv: reused, contactId: uuid(8), customerId: anna, parameters: { domainId } });
    expect(first.last).toMatchObject({ authenticationDecision: 'ACCEPT' });
    const sessions = new TimbreSessionClient({ endpoint: env.endpoint, region: env.region, credentials: env.credentials });
    const { Session } = await sessions.describeSession({ DomainId: domainId, SessionNameOrId: uuid(8) });
    // Anna's part alone is this long; with Bert's read too the session would hold more net speech than that.
    expect(Session.NetSpeechSeconds).toBeGreaterThan(5);
    expect(Session.NetSpeechSeconds).toBeLessThanOrEqual(annaProbe.length / 8000);
  });

  it('answers Expired for a speaker unheard for three years, before anything is deleted', { timeout: 120_000 }, async () => {
    // Last runs in this file: Anna's last access moves three years and a day back, as if she had not called since.
    const store = localStore();
    const speaker = (await store.speakers.findSpeakerByCustomerId(domainId, anna))!;
    const longAgo = Date.now() - (3 * 365 + 2) * 86_400_000;
    await store.speakers.updateSpeaker({ ...speaker, lastAccessedAtMs: longAgo }, longAgo + 3 * 365 * 86_400_000);
    const expired = await play({ mkv: call(uuid(12), annaProbe), customerId: anna, parameters: { domainId } });
    expect(expired.last).toMatchObject({ authenticationDecision: 'SPEAKER_EXPIRED', authenticationResult: 'Expired', enrollmentStatus: 'EXPIRED' });
    expect(expired.last.authenticationScore).toBeUndefined();
  });

  it('answers the flow an error it can branch on when the event is bad or media streaming was not started', { timeout: 60_000 }, async () => {
    const badParameter = await play({ mkv: call(uuid(10), annaProbe), customerId: anna, parameters: { domainId: 'not-a-domain' } });
    expect(badParameter.last).toEqual({ authenticationResult: 'Error', fraudResult: 'Error', errorType: 'InvalidFlowEvent' });
    expect(badParameter.evaluations).toEqual([]);

    const lambda = new LambdaClient({ region: env.region, endpoint: env.endpoints.lambda, credentials: env.serviceCredentials });
    const event = { Details: { ContactData: { Channel: 'VOICE', ContactId: uuid(11), InitialContactId: uuid(11), CustomerId: anna }, Parameters: { domainId } } };
    const response = await lambda.send(new InvokeCommand({ FunctionName: env.resources.connectStartFunction, Payload: new TextEncoder().encode(JSON.stringify(event)) }));
    expect(JSON.parse(new TextDecoder().decode(response.Payload))).toEqual({ authenticationResult: 'Error', fraudResult: 'Error', errorType: 'MediaStreamingNotStarted' });

    const unknownSession = await lambda.send(new InvokeCommand({ FunctionName: env.resources.connectEvaluateFunction, Payload: new TextEncoder().encode(JSON.stringify(event)) }));
    expect(JSON.parse(new TextDecoder().decode(unknownSession.Payload))).toEqual({ authenticationResult: 'Error', fraudResult: 'Error', errorType: 'ResourceNotFoundException' });
  });
});
