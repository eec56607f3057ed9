/**
 * Sessions through the local API: Timbre's session operations as signed awsJson calls, EvaluateSession with the
 * official client, real speech (LibriSpeech train-clean-5 from the shared data folder: skipped when absent).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CreateWatchlistCommand, EvaluateSessionCommand, ResourceNotFoundException } from '@aws-sdk/client-voice-id';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../lambdas/store/table.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libriSpeechFiles } from '../support/shared-data.js';
import { ENROL_TEXT, hasEspeak, speak } from '../support/synthetic-callers.js';
import { localServiceConfig, makeVoiceIdClient, timbreTestEnv } from '../support/voiceid-client.js';
import { UNKNOWN_ID, createTestDomain, fakeEmbedding, localStore, localVoiceId, signedCall } from './helpers.js';

const client = makeVoiceIdClient();

/** One signed call of a session operation: the status and the parsed body. */
async function call(operation: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, any> }> {
  const response = await signedCall(`VoiceID.${operation}`, JSON.stringify(body));
  return { status: response.status, body: response.text === '' ? {} : JSON.parse(response.text) };
}

async function ok(operation: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const response = await call(operation, body);
  if (response.status !== 200) throw new Error(`${operation} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
let sessionCount = 0;
const newName = (): string => `call-${Date.now()}-${(sessionCount += 1)}`;

// Speaker 19 (enrolled from its first four utterances, probed with two others), speaker 226 (the fraudster) and
// speaker 118 (another voice).
const enrolFiles = libriSpeechFiles('19', 6);
const otherFiles = libriSpeechFiles('226', 5);
const strangerFiles = libriSpeechFiles('118', 1);
const hasSpeech = enrolFiles.length === 6 && otherFiles.length === 5 && strangerFiles.length === 1;
if (!hasSpeech) console.warn('sessions.test.ts: shared data (librispeech-train-clean-5) absent; skipping the tests that need real speech');

/** A session of `files` in domain `domainId`, as FILE audio one after another. @returns its name */
async function sessionOf(domainId: string, files: readonly Uint8Array[], config: Record<string, unknown>, endOfStream = false): Promise<string> {
  const name = newName();
  await ok('StartSession', { DomainId: domainId, SessionName: name, ...config });
  for (const [i, file] of files.entries()) {
    await ok('PutSessionAudio', { DomainId: domainId, SessionNameOrId: name, Audio: b64(file), ...(endOfStream && i === files.length - 1 && { EndOfStream: true }) });
  }
  return name;
}

describe('session operations without speech', () => {
  let domainId: string;
  beforeAll(async () => {
    domainId = (await createTestDomain(client, 'sessions-plain')).DomainId;
  });

  it('starts, describes by name and by id_ spelling, updates and ends a session', async () => {
    const name = newName();
    const started = (await ok('StartSession', { DomainId: domainId, SessionName: name, SpeakerId: 'cust-1', FraudDetectionConfiguration: {} })).Session;
    expect(started).toMatchObject({ SessionName: name, DomainId: domainId, StreamingStatus: 'PENDING_CONFIGURATION', CustomerSpeakerId: 'cust-1' });
    expect(started.SessionId).toMatch(/^id#[a-zA-Z0-9]{22}$/);
    expect(started.FraudDetectionConfiguration.RiskThreshold).toBe(50);
    expect(started.StreamingConfiguration.AuthenticationMinimumSpeechInSeconds).toBe(10);

    const byId = (await ok('DescribeSession', { DomainId: domainId, SessionNameOrId: started.SessionId.replace('#', '_') })).Session;
    expect(byId.SessionId).toBe(started.SessionId);

    const updated = (await ok('UpdateSession', { DomainId: domainId, SessionNameOrId: name, AuthenticationConfiguration: { AcceptanceThreshold: 80 } })).Session;
    expect(updated.AuthenticationConfiguration).toEqual({ AcceptanceThreshold: 80 });
    expect(updated.CustomerSpeakerId).toBe('cust-1');

    const ended = (await ok('EndSession', { DomainId: domainId, SessionNameOrId: name })).Session;
    expect(ended.StreamingStatus).toBe('ENDED');
    expect((await ok('EndSession', { DomainId: domainId, SessionNameOrId: name })).Session.StreamingStatus).toBe('ENDED');
  });

  it('refuses a second active session of a name (ANOTHER_ACTIVE_STREAM) and allows one after the first ended', async () => {
    const name = newName();
    const first = (await ok('StartSession', { DomainId: domainId, SessionName: name })).Session;
    const again = await call('StartSession', { DomainId: domainId, SessionName: name });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ ConflictType: 'ANOTHER_ACTIVE_STREAM' });
    await ok('EndSession', { DomainId: domainId, SessionNameOrId: name });
    const second = (await ok('StartSession', { DomainId: domainId, SessionName: name })).Session;
    expect(second.SessionId).not.toBe(first.SessionId);
    expect((await ok('DescribeSession', { DomainId: domainId, SessionNameOrId: name })).Session.SessionId).toBe(second.SessionId);
  });

  it('answers the first session for a repeated ClientToken', async () => {
    const request = { DomainId: domainId, SessionName: newName(), ClientToken: `tok-${Date.now()}` };
    const first = (await ok('StartSession', request)).Session;
    const repeat = (await ok('StartSession', request)).Session;
    expect(repeat.SessionId).toBe(first.SessionId);
  });

  it('refuses PutSessionAudio on a stream session, and bad audio with a ValidationException that changes nothing', async () => {
    const streamed = await ok('StartSession', {
      DomainId: domainId,
      SessionName: newName(),
      StreamArn: 'arn:aws:kinesisvideo:us-east-1:111122223333:stream/connect-contact-1/1700000000000',
      StartFragmentNumber: '91343852333181432392682062607743920146264440055',
    });
    const refused = await call('PutSessionAudio', { DomainId: domainId, SessionNameOrId: streamed.Session.SessionId, Audio: b64(new Uint8Array(320)), Encoding: 'PCM_S16LE' });
    expect(refused).toMatchObject({ status: 409, body: { ConflictType: 'ANOTHER_ACTIVE_STREAM' } });

    const name = newName();
    await ok('StartSession', { DomainId: domainId, SessionName: name });
    const garbage = await call('PutSessionAudio', { DomainId: domainId, SessionNameOrId: name, Audio: b64(new TextEncoder().encode('not audio at all, just words')) });
    expect(garbage.status).toBe(400);
    expect(garbage.body.__type).toContain('ValidationException');
    const odd = await call('PutSessionAudio', { DomainId: domainId, SessionNameOrId: name, Audio: b64(new Uint8Array(3)), Encoding: 'PCM_S16LE' });
    expect(odd.status).toBe(400);
    const s3 = await call('PutSessionAudio', { DomainId: domainId, SessionNameOrId: name, S3Uri: 's3://other-bucket/a/../b.wav' });
    expect(s3.status).toBe(400);
    const tooBig = await call('PutSessionAudio', { DomainId: domainId, SessionNameOrId: name, Audio: b64(new Uint8Array(4 * 1024 * 1024 + 2)), Encoding: 'PCM_S16LE' });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.__type).toContain('ValidationException');
    const described = (await ok('DescribeSession', { DomainId: domainId, SessionNameOrId: name })).Session;
    expect(described).toMatchObject({ StreamingStatus: 'PENDING_CONFIGURATION', NetSpeechSeconds: 0 });
  });

  it('answers ResourceNotFoundException SESSION for an unknown session, through the official client too', async () => {
    const unknown = await call('DescribeSession', { DomainId: domainId, SessionNameOrId: 'no-such-call' });
    expect(unknown).toMatchObject({ status: 404, body: { ResourceType: 'SESSION' } });
    await expect(client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: `id#${UNKNOWN_ID}` }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers SPEAKER_ID_NOT_PROVIDED and leaves fraud detection out when it is not configured', async () => {
    const name = newName();
    await ok('StartSession', { DomainId: domainId, SessionName: name, AuthenticationConfiguration: { AcceptanceThreshold: 90 } });
    const evaluation = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: name }));
    expect(evaluation.AuthenticationResult?.Decision).toBe('SPEAKER_ID_NOT_PROVIDED');
    expect(evaluation.FraudDetectionResult).toBeUndefined();
    const none = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: (await ok('StartSession', { DomainId: domainId, SessionName: newName() })).Session.SessionId }));
    expect(none.AuthenticationResult).toBeUndefined();
    expect(none.FraudDetectionResult).toBeUndefined();
  });

  it('answers SPEAKER_NOT_ENROLLED, not an error, for a speaker whose voiceprint another speaker model made', async () => {
    await localVoiceId().speakers.recordEnrollment(domainId, 'enrolled-under-old-model', { embedding: fakeEmbedding(5, 256), modelId: 'retired-model-v0' });
    const name = newName();
    await ok('StartSession', { DomainId: domainId, SessionName: name, SpeakerId: 'enrolled-under-old-model', AuthenticationConfiguration: { AcceptanceThreshold: 90 } });
    const evaluation = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: name }));
    expect(evaluation.AuthenticationResult?.Decision).toBe('SPEAKER_NOT_ENROLLED');
  });

  it('refuses EnrollBySession without a speaker (SPEAKER_NOT_SET) and for an opted-out speaker (SPEAKER_OPTED_OUT)', async () => {
    const bare = newName();
    await ok('StartSession', { DomainId: domainId, SessionName: bare });
    expect(await call('EnrollBySession', { DomainId: domainId, SessionNameOrId: bare })).toMatchObject({ status: 409, body: { ConflictType: 'SPEAKER_NOT_SET' } });
    await localVoiceId().speakers.optOut(domainId, 'opted-out-1');
    const opted = newName();
    await ok('StartSession', { DomainId: domainId, SessionName: opted, SpeakerId: 'opted-out-1', AuthenticationConfiguration: { AcceptanceThreshold: 90 } });
    expect(await call('EnrollBySession', { DomainId: domainId, SessionNameOrId: opted })).toMatchObject({ status: 409, body: { ConflictType: 'SPEAKER_OPTED_OUT' } });
    const evaluation = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: opted }));
    expect(evaluation.AuthenticationResult?.Decision).toBe('SPEAKER_OPTED_OUT');
  });
});

describe.skipIf(!hasSpeech)('sessions on real speech', () => {
  let domainId: string;
  const speaker = `cust-${Date.now()}`;

  beforeAll(async () => {
    domainId = (await createTestDomain(client, 'sessions-speech')).DomainId;
  }, 60_000);

  it('enrols a speaker from 30 s of a call, and the encrypted state in DynamoDB is not the plaintext', async () => {
    const name = newName();
    await ok('StartSession', { DomainId: domainId, SessionName: name, SpeakerId: speaker });
    await ok('PutSessionAudio', { DomainId: domainId, SessionNameOrId: name, Audio: b64(enrolFiles[0]!) });
    expect(await ok('EnrollBySession', { DomainId: domainId, SessionNameOrId: name })).toEqual({ Status: 'IN_PROGRESS' });

    const stored = await DynamoDBDocumentClient.from(new DynamoDBClient(localServiceConfig('dynamodb'))).send(
      new GetCommand({
        TableName: timbreTestEnv().resources.tableName,
        Key: keys.session(domainId, (await ok('DescribeSession', { DomainId: domainId, SessionNameOrId: name })).Session.SessionId),
      }),
    );
    const sealed = stored.Item?.voiceState as Uint8Array;
    expect(sealed).toBeInstanceOf(Uint8Array);
    // The Encryption SDK's message format starts with version 2 and a committing suite id, never with the engine's
    // format number (1, or 2 since the spoof state).
    expect([1, 2]).not.toContain(Buffer.from(sealed.subarray(0, 4)).readUInt32LE(0));

    for (const file of enrolFiles.slice(1, 4)) await ok('PutSessionAudio', { DomainId: domainId, SessionNameOrId: name, Audio: b64(file) });
    const session = (await ok('DescribeSession', { DomainId: domainId, SessionNameOrId: name })).Session;
    expect(session.NetSpeechSeconds).toBeGreaterThanOrEqual(30);
    expect(session.EnrollmentRequestDetails).toEqual({ Status: 'COMPLETED' });
    expect(session.GeneratedSpeakerId).toMatch(/^id#/);
    expect((await localVoiceId().speakers.describe(domainId, speaker)).status).toBe('ENROLLED');
    // Another enrolment of an enrolled speaker needs OVERWRITE.
    expect(await call('EnrollBySession', { DomainId: domainId, SessionNameOrId: (await sessionOf(domainId, [], { SpeakerId: speaker })) })).toMatchObject({
      status: 409,
      body: { ConflictType: 'ENROLLMENT_ALREADY_EXISTS' },
    });
    await ok('EndSession', { DomainId: domainId, SessionNameOrId: name });
    const after = await DynamoDBDocumentClient.from(new DynamoDBClient(localServiceConfig('dynamodb'))).send(
      new GetCommand({ TableName: timbreTestEnv().resources.tableName, Key: keys.session(domainId, session.SessionId) }),
    );
    expect(after.Item?.voiceState).toBeUndefined();
  }, 240_000);

  it('answers the final results of a session that ended with its audio, though its voice state is gone', async () => {
    // A watchlist of its own: the server keeps a watchlist's fraudsters in memory for a minute, and the fraud test
    // below adds to the default one.
    const { Watchlist } = await client.send(new CreateWatchlistCommand({ DomainId: domainId, Name: `ended-${Date.now()}` }));
    const auth = { SpeakerId: speaker, AuthenticationConfiguration: { AcceptanceThreshold: 90 }, FraudDetectionConfiguration: { WatchlistId: Watchlist!.WatchlistId } };
    const ended = await sessionOf(domainId, enrolFiles.slice(4, 5), auth, true);
    const first = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: ended }));
    expect(first.StreamingStatus).toBe('ENDED');
    expect(first.AuthenticationResult).toMatchObject({ Decision: 'ACCEPT', CustomerSpeakerId: speaker });
    expect(first.FraudDetectionResult?.Decision).toBe('LOW_RISK');
    const again = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: ended }));
    expect(again.AuthenticationResult?.AuthenticationResultId).toBe(first.AuthenticationResult?.AuthenticationResultId);
  }, 120_000);

  it('accepts the same voice, rejects another, and keeps result IDs until new audio arrives', async () => {
    const auth = { SpeakerId: speaker, AuthenticationConfiguration: { AcceptanceThreshold: 90 } };
    const same = await sessionOf(domainId, enrolFiles.slice(4, 5), auth);
    const first = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: same }));
    expect(first.AuthenticationResult).toMatchObject({ Decision: 'ACCEPT', CustomerSpeakerId: speaker });
    const repeat = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: same }));
    expect(repeat.AuthenticationResult?.AuthenticationResultId).toBe(first.AuthenticationResult?.AuthenticationResultId);
    await ok('PutSessionAudio', { DomainId: domainId, SessionNameOrId: same, Audio: b64(enrolFiles[5]!) });
    const later = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: same }));
    expect(later.AuthenticationResult?.AuthenticationResultId).not.toBe(first.AuthenticationResult?.AuthenticationResultId);
    expect(later.AuthenticationResult?.Decision).toBe('ACCEPT');

    const other = await sessionOf(domainId, strangerFiles, auth);
    const rejected = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: other }));
    expect(rejected.AuthenticationResult?.Decision).toBe('REJECT');
    expect(rejected.AuthenticationResult!.Score!).toBeLessThan(first.AuthenticationResult!.Score!);

    const unknown = await sessionOf(domainId, otherFiles.slice(0, 1), { SpeakerId: 'nobody-enrolled', AuthenticationConfiguration: { AcceptanceThreshold: 50 } });
    expect((await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: unknown }))).AuthenticationResult?.Decision).toBe('SPEAKER_NOT_ENROLLED');
  }, 240_000);

  it('answers NOT_ENOUGH_SPEECH for a short call, and NOT_ENOUGH_SPEECH to an enrolment when the call ends first', async () => {
    const name = newName();
    await ok('StartSession', { DomainId: domainId, SessionName: name, SpeakerId: 'short-caller', AuthenticationConfiguration: { AcceptanceThreshold: 50 }, FraudDetectionConfiguration: {} });
    const twoSeconds = await ok('PutSessionAudio', { DomainId: domainId, SessionNameOrId: name, Audio: b64(pcmOf(2)), Encoding: 'PCM_S16LE', SampleRateHz: 8000 });
    expect(twoSeconds.Session.StreamingStatus).toBe('ONGOING');
    const evaluation = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: name }));
    // No such speaker comes first; fraud detection has no speaker rule and waits for speech.
    expect(evaluation.AuthenticationResult?.Decision).toBe('SPEAKER_NOT_ENROLLED');
    expect(evaluation.FraudDetectionResult?.Decision).toBe('NOT_ENOUGH_SPEECH');
    const enrolling = (await ok('EnrollBySession', { DomainId: domainId, SessionNameOrId: name })).Status;
    expect(enrolling).toBe('IN_PROGRESS');
    const ended = (await ok('EndSession', { DomainId: domainId, SessionNameOrId: name })).Session;
    expect(ended.EnrollmentRequestDetails.Status).toBe('NOT_ENOUGH_SPEECH');

    const enrolledShort = await sessionOf(domainId, [], { SpeakerId: speaker, AuthenticationConfiguration: { AcceptanceThreshold: 50 } });
    await ok('PutSessionAudio', { DomainId: domainId, SessionNameOrId: enrolledShort, Audio: b64(pcmOf(1)), Encoding: 'PCM_S16LE', EndOfStream: true });
    expect((await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: enrolledShort }))).AuthenticationResult?.Decision).toBe('NOT_ENOUGH_SPEECH');
  }, 120_000);

  it('flags a caller on the watchlist as HIGH_RISK with KNOWN_FRAUDSTER and the closest fraudster', async () => {
    const voiceId = localVoiceId();
    // The fraudster's voiceprint is made from other recordings of the caller, as an agent's report would be.
    const registered = await sessionOf(domainId, otherFiles.slice(1, 4), { SpeakerId: `fraud-src-${Date.now()}` });
    const enrolled = await ok('EnrollBySession', { DomainId: domainId, SessionNameOrId: registered });
    expect(enrolled.Status).toBe('COMPLETED');
    const sourceSpeaker = (await ok('DescribeSession', { DomainId: domainId, SessionNameOrId: registered })).Session.GeneratedSpeakerId;
    const store = localStore();
    const domain = await store.domains.getDomain(domainId);
    const voiceprint = await store.voiceprints.getVoiceprint({ domainId, domainArn: domain!.arn, kmsKeyId: domain!.kmsKeyId }, sourceSpeaker, Date.now());
    const fraudster = await voiceId.fraudsters.register(domainId, voiceprint!);

    const caller = await sessionOf(domainId, otherFiles.slice(4, 5), { FraudDetectionConfiguration: { RiskThreshold: 50 } });
    const evaluation = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: caller }));
    expect(evaluation.FraudDetectionResult).toMatchObject({ Decision: 'HIGH_RISK', Reasons: ['KNOWN_FRAUDSTER'] });
    expect(evaluation.FraudDetectionResult?.RiskDetails?.KnownFraudsterRisk?.GeneratedFraudsterId).toBe(fraudster.generatedFraudsterId);

    const innocent = await sessionOf(domainId, strangerFiles, { FraudDetectionConfiguration: { RiskThreshold: 50 } });
    const low = await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: innocent }));
    expect(low.FraudDetectionResult?.Decision).toBe('LOW_RISK');
  }, 240_000);
});

// Held out of the countermeasure's training (training/timbre_train/cm_split.py): LibriSpeech train-clean-5
// speaker 1088 as the real caller, flite's slt voice as an engine the CM never saw, espeak-ng en-us as one it did.
const heldOutReal = libriSpeechFiles('1088', 2);
function hasFlite(): boolean {
  try {
    execFileSync('flite', ['-lv'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const canSynthesise = hasEspeak() && hasFlite();
if (heldOutReal.length < 2) console.warn('sessions.test.ts: shared data (librispeech-train-clean-5 speaker 1088) absent; skipping the real-voice spoofing check');
if (!canSynthesise) console.warn('sessions.test.ts: espeak-ng or flite not installed; skipping the synthetic-caller spoofing checks');

describe('voice spoofing risk', () => {
  let domainId: string;
  let dir: string;
  beforeAll(async () => {
    domainId = (await createTestDomain(client, 'sessions-spoof')).DomainId;
    dir = mkdtempSync(join(tmpdir(), 'spoof-callers-'));
  }, 60_000);

  /** The fraud detection result of a session of `files` at RiskThreshold 50, through the official client. */
  async function fraudOf(files: readonly Uint8Array[]) {
    const name = await sessionOf(domainId, files, { FraudDetectionConfiguration: { RiskThreshold: 50 } });
    return (await client.send(new EvaluateSessionCommand({ DomainId: domainId, SessionNameOrId: name }))).FraudDetectionResult!;
  }

  it.skipIf(!canSynthesise)('flags synthetic callers (flite slt, never seen in training; espeak-ng en-us) HIGH_RISK with VOICE_SPOOFING', async () => {
    const flite = join(dir, 'slt.wav');
    execFileSync('flite', ['-voice', 'slt', '-t', ENROL_TEXT[0]!, '-o', flite]);
    const espeak = join(dir, 'en-us.wav');
    speak('en-us', ENROL_TEXT[1]!, espeak);
    for (const file of [flite, espeak]) {
      const result = await fraudOf([readFileSync(file)]);
      expect(result.RiskDetails?.VoiceSpoofingRisk?.RiskScore, file).toBeGreaterThanOrEqual(50);
      expect(result).toMatchObject({ Decision: 'HIGH_RISK', Reasons: ['VOICE_SPOOFING'] });
    }
  }, 240_000);

  it.skipIf(heldOutReal.length < 2)('does not flag a real voice held out of training', async () => {
    const result = await fraudOf(heldOutReal);
    expect(result.RiskDetails?.VoiceSpoofingRisk?.RiskScore).toBeLessThan(50);
    expect(result).toMatchObject({ Decision: 'LOW_RISK', Reasons: [] });
  }, 240_000);

  it('leaves VoiceSpoofingRisk out while there is not enough speech', async () => {
    const result = await fraudOf([]);
    expect(result.Decision).toBe('NOT_ENOUGH_SPEECH');
    expect(result.RiskDetails).toBeUndefined();
  });
});

/** `seconds` of a 440 Hz tone as 8 kHz 16-bit PCM (not speech: the VAD finds little or none). */
function pcmOf(seconds: number): Uint8Array {
  const samples = new Int16Array(Math.round(seconds * 8000)).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
  return new Uint8Array(samples.buffer);
}
