import {
  DescribeSpeakerEnrollmentJobCommand,
  ListFraudsterRegistrationJobsCommand,
  ListSpeakerEnrollmentJobsCommand,
  StartFraudsterRegistrationJobCommand,
  StartSpeakerEnrollmentJobCommand,
  DescribeFraudsterRegistrationJobCommand,
  EvaluateSessionCommand,
} from '@aws-sdk/client-voice-id';
import { describe, expect, it } from 'vitest';
import { makeVoiceIdClient } from '../support/voiceid-client.js';
import { UNKNOWN_ID, createTestDomain, signedCall } from './helpers.js';

const client = makeVoiceIdClient();
const job = { DomainId: UNKNOWN_ID, JobId: UNKNOWN_ID };
const start = {
  DomainId: UNKNOWN_ID,
  DataAccessRoleArn: 'arn:aws:iam::000000000000:role/VoiceIdBatch',
  InputDataConfig: { S3Uri: 's3://in/manifest.json' },
  OutputDataConfig: { S3Uri: 's3://out/results' },
};

describe('wire protocol', () => {
  it.each([
    ['StartSpeakerEnrollmentJob', () => new StartSpeakerEnrollmentJobCommand(start)],
    ['DescribeSpeakerEnrollmentJob', () => new DescribeSpeakerEnrollmentJobCommand(job)],
    ['ListSpeakerEnrollmentJobs', () => new ListSpeakerEnrollmentJobsCommand({ DomainId: UNKNOWN_ID })],
    ['StartFraudsterRegistrationJob', () => new StartFraudsterRegistrationJobCommand(start)],
    ['DescribeFraudsterRegistrationJob', () => new DescribeFraudsterRegistrationJobCommand(job)],
    ['ListFraudsterRegistrationJobs', () => new ListFraudsterRegistrationJobsCommand({ DomainId: UNKNOWN_ID })],
    ['EvaluateSession', () => new EvaluateSessionCommand({ DomainId: UNKNOWN_ID, SessionNameOrId: 'contact-1' })],
  ])('serves %s (every Voice ID operation is served): a typed 4xx for an unknown domain, not a 501', async (_operation, command) => {
    const error = (await client.send(command() as never).then(() => undefined, (e: unknown) => e)) as { name: string; $metadata: { httpStatusCode: number } };
    expect(['ResourceNotFoundException', 'ValidationException']).toContain(error.name);
    expect([400, 404]).toContain(error.$metadata.httpStatusCode);
  });

  it('answers UnknownOperationException for a target Voice ID does not have', async () => {
    const response = await signedCall('VoiceID.StartCall', '{}');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(JSON.parse(response.text).__type).toBe('com.amazonaws.voiceid#UnknownOperationException');
  });

  it('answers SerializationException for a body that is not JSON', async () => {
    const response = await signedCall('VoiceID.DescribeDomain', '{"DomainId":');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ __type: 'com.amazonaws.voiceid#SerializationException' });
  });

  it('sends timestamps as epoch-second numbers and a request ID', async () => {
    const domain = await createTestDomain(client);
    const response = await signedCall('VoiceID.DescribeDomain', JSON.stringify({ DomainId: domain.DomainId }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/.+/);
    const body = JSON.parse(response.text);
    expect(typeof body.Domain.CreatedAt).toBe('number');
    expect(Math.abs(body.Domain.CreatedAt - Date.now() / 1000)).toBeLessThan(120);
  });

  it('answers Delete operations with an empty 200 body', async () => {
    const domain = await createTestDomain(client);
    const response = await signedCall('VoiceID.DeleteDomain', JSON.stringify({ DomainId: domain.DomainId }));
    expect(response).toMatchObject({ status: 200, text: '' });
  });
});
