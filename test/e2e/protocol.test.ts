import { EvaluateSessionCommand } from '@aws-sdk/client-voice-id';
import { describe, expect, it } from 'vitest';
import { makeVoiceIdClient } from '../support/voiceid-client.js';
import { UNKNOWN_ID, createTestDomain, signedCall } from './helpers.js';

const client = makeVoiceIdClient();

describe('wire protocol', () => {
  it.each([
    ['EvaluateSession', () => new EvaluateSessionCommand({ DomainId: UNKNOWN_ID, SessionNameOrId: 'contact-1' })],
  ])('answers %s with a typed 501 naming it as not yet available', async (operation, command) => {
    await expect(client.send(command() as never)).rejects.toMatchObject({
      name: 'OperationNotYetAvailableException',
      message: expect.stringContaining(`${operation} is not yet available`),
      $metadata: { httpStatusCode: 501 },
    });
  });

  it('answers UnknownOperationException for a target Voice ID does not have', async () => {
    const response = await signedCall('VoiceID.StartSession', '{}');
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
