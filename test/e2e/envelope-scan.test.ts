/**
 * Envelope encryption everywhere: after a run that enrols through a session, evaluates, runs a batch enrolment and a
 * fraudster registration job, every item of Timbre's table and every object of Timbre's audio bucket is scanned. Any
 * biometric payload (voiceprints, session voice state, audio) must be an AWS Encryption SDK message, readable only
 * through KMS; nothing may look like an embedding (a long list of numbers) or raw audio (RIFF, Ogg, FLAC, PCM in a
 * string). The suite's other files run against the same table, so the scan covers what they stored too.
 */
import { DynamoDBClient, paginateScan, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { StartFraudsterRegistrationJobCommand, StartSpeakerEnrollmentJobCommand } from '@aws-sdk/client-voice-id';
import { describe, expect, it } from 'vitest';
import { TimbreSessionClient } from '../../lambdas/client/index.js';
import { hasEspeak } from '../support/synthetic-callers.js';
import { localServiceConfig, makeVoiceIdClient, timbreTestEnv } from '../support/voiceid-client.js';
import { CALLS_BUCKET, ROLE_ARN, ensureBuckets, localS3, put, speechWav, waitForEnrollmentJob, waitForRegistrationJob } from './batch/batch-fixtures.js';
import { createTestDomain } from './helpers.js';

/** An AWS Encryption SDK message: format version 2 with a committing suite (0x0478, or 0x0578 with a signature). */
function isEncryptionSdkMessage(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0x02 && bytes[1] !== undefined && (bytes[1] === 0x04 || bytes[1] === 0x05) && bytes[2] === 0x78;
}

const AUDIO_MAGIC = [/^RIFF/, /^OggS/, /^fLaC/, /^\x1aE\xdf\xa3/];

/** What in one attribute would be readable biometric data, described; undefined when nothing is. */
function readableBiometrics(name: string, value: AttributeValue): string | undefined {
  if (value.B !== undefined && !isEncryptionSdkMessage(value.B)) return `${name}: ${value.B.length} bytes that are not an Encryption SDK message`;
  if (value.L !== undefined && value.L.length >= 32 && value.L.every((v) => v.N !== undefined)) return `${name}: a list of ${value.L.length} numbers`;
  if (value.NS !== undefined && value.NS.length >= 32) return `${name}: a set of ${value.NS.length} numbers`;
  if (value.S !== undefined) {
    if (value.S.length > 2048 && /^[A-Za-z0-9+/=]+$/.test(value.S)) return `${name}: ${value.S.length} characters of base64`;
    if (AUDIO_MAGIC.some((m) => m.test(value.S!))) return `${name}: a string that starts like an audio file`;
  }
  for (const [key, member] of Object.entries(value.M ?? {})) {
    const found = readableBiometrics(`${name}.${key}`, member);
    if (found !== undefined) return found;
  }
  for (const [i, member] of (value.L ?? []).entries()) {
    const found = readableBiometrics(`${name}[${i}]`, member);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The one secret that is not biometric and is kept as plain bytes: the pagination-token signing key. */
const isPaginationKey = (item: Record<string, AttributeValue>): boolean => item.pk?.S === 'CONFIG' && item.sk?.S === '#PAGINATION_KEY';

describe.skipIf(!hasEspeak())('envelope encryption of everything biometric', () => {
  it('leaves no voiceprint, voice state or audio readable without KMS in the table or the audio bucket', { timeout: 300_000 }, async () => {
    // Prepare: a run that stores every kind of biometric data.
    const env = timbreTestEnv();
    const client = makeVoiceIdClient();
    const { DomainId } = await createTestDomain(client, `scan-${Date.now()}`);
    const sessions = new TimbreSessionClient({ endpoint: env.endpoint, region: env.region, credentials: env.credentials });
    const caller = speechWav('en-us+f3');
    const { Session } = await sessions.startSession({ DomainId, SessionName: `scan-${Date.now()}`, SpeakerId: 'scan-caller', AuthenticationConfiguration: { AcceptanceThreshold: 90 }, FraudDetectionConfiguration: {} });
    const ref = { DomainId, SessionNameOrId: Session.SessionId };
    await sessions.putSessionAudio({ ...ref, Audio: caller });
    expect((await sessions.enrollBySession(ref)).Status).toBe('COMPLETED');
    await sessions.evaluateSession(ref);
    // A second session left open, so its voice state is in the table while the scan runs.
    const open = await sessions.startSession({ DomainId, SessionName: `scan-open-${Date.now()}`, SpeakerId: 'scan-caller', AuthenticationConfiguration: { AcceptanceThreshold: 90 } });
    await sessions.putSessionAudio({ DomainId, SessionNameOrId: open.Session.SessionId, Audio: caller });
    const s3 = localS3();
    await ensureBuckets(s3);
    const enrolUri = await put(s3, CALLS_BUCKET, `scan/${DomainId}/enrol.wav`, speechWav('en-gb+m3'));
    const fraudUri = await put(s3, CALLS_BUCKET, `scan/${DomainId}/fraud.wav`, speechWav('en-us+m7'));
    const enrolManifest = await put(s3, CALLS_BUCKET, `scan/${DomainId}/enrol.json`, JSON.stringify({ Version: '1.0', SpeakerEnrollmentRequests: [{ RequestId: 'r1', SpeakerId: 'scan-batch', AudioSpecifications: [{ S3Uri: enrolUri, ChannelId: 0 }] }] }));
    const fraudManifest = await put(s3, CALLS_BUCKET, `scan/${DomainId}/fraud.json`, JSON.stringify({ Version: '1.0', FraudsterRegistrationRequests: [{ RequestId: 'f1', AudioSpecifications: [{ S3Uri: fraudUri, ChannelId: 0 }] }] }));
    const output = { S3Uri: `s3://${CALLS_BUCKET}/scan/${DomainId}/out` };
    const enrolJob = await client.send(new StartSpeakerEnrollmentJobCommand({ DomainId, DataAccessRoleArn: ROLE_ARN, InputDataConfig: { S3Uri: enrolManifest }, OutputDataConfig: output,
      // The caller is espeak-ng: the countermeasure would fail the record; this test is about what gets stored.
      EnrollmentConfig: { FraudDetectionConfig: { FraudDetectionAction: 'IGNORE' } } }));
    expect((await waitForEnrollmentJob(client, DomainId, enrolJob.Job!.JobId!)).JobStatus).toBe('COMPLETED');
    const fraudJob = await client.send(new StartFraudsterRegistrationJobCommand({ DomainId, DataAccessRoleArn: ROLE_ARN, InputDataConfig: { S3Uri: fraudManifest }, OutputDataConfig: output }));
    expect((await waitForRegistrationJob(client, DomainId, fraudJob.Job!.JobId!)).JobStatus).toBe('COMPLETED');

    // Act: scan the table and the audio bucket.
    const dynamodb = new DynamoDBClient(localServiceConfig('dynamodb'));
    const findings: string[] = [];
    let encryptedItems = 0;
    for await (const page of paginateScan({ client: dynamodb }, { TableName: env.resources.tableName })) {
      for (const item of page.Items ?? []) {
        if (isPaginationKey(item)) continue;
        if (Object.values(item).some((v) => v.B !== undefined)) encryptedItems += 1;
        for (const [name, value] of Object.entries(item)) {
          const found = readableBiometrics(name, value);
          if (found !== undefined) findings.push(`${item.pk?.S} ${item.sk?.S} ${found}`);
        }
      }
    }
    let objects = 0;
    let token: string | undefined;
    do {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: env.resources.audioBucket, ContinuationToken: token }));
      for (const object of listed.Contents ?? []) {
        const body = await (await s3.send(new GetObjectCommand({ Bucket: env.resources.audioBucket, Key: object.Key! }))).Body!.transformToByteArray();
        objects += 1;
        if (!isEncryptionSdkMessage(body)) findings.push(`s3://${env.resources.audioBucket}/${object.Key}: not an Encryption SDK message`);
      }
      token = listed.NextContinuationToken;
    } while (token !== undefined);

    // Assess: this run stored voiceprints (session enrolment, batch enrolment, fraudster), a voice state and audio.
    expect(findings).toEqual([]);
    expect(encryptedItems).toBeGreaterThanOrEqual(4);
    expect(objects).toBeGreaterThanOrEqual(2);
  });

  it('tells an Encryption SDK message from plaintext, so the scan can fail', () => {
    expect(isEncryptionSdkMessage(Uint8Array.from([0x02, 0x05, 0x78, 0x01]))).toBe(true);
    expect(readableBiometrics('embedding', { B: new Uint8Array(new Float32Array(192).buffer) })).toMatch(/not an Encryption SDK message/);
    expect(readableBiometrics('v', { L: Array.from({ length: 192 }, () => ({ N: '0.1' })) })).toMatch(/list of 192 numbers/);
    expect(readableBiometrics('a', { S: 'RIFF....WAVEfmt ' })).toMatch(/audio file/);
  });
});
