/** The typed client (timbre/client) against the suite's local Timbre: signing, the generic send, Voice ID's error types. */
import { randomUUID } from 'node:crypto';
import { DescribeDomainCommand } from '@aws-sdk/client-voice-id';
import { describe, expect, it } from 'vitest';
import { TimbreServiceError, TimbreSessionClient, type TimbreSessionClientConfig } from 'timbre/client';
import { makeVoiceIdClient, timbreTestEnv } from '../support/voiceid-client.js';
import { UNKNOWN_ID, createTestDomain } from './helpers.js';

function localClient(overrides: Partial<TimbreSessionClientConfig> = {}): TimbreSessionClient {
  const env = timbreTestEnv();
  return new TimbreSessionClient({ endpoint: env.endpoint, region: env.region, credentials: env.credentials, maxAttempts: 1, ...overrides });
}

/** The error a call rejects with, or a failure when it resolves. */
async function rejection(call: Promise<unknown>): Promise<TimbreServiceError> {
  const outcome = await call.then(() => undefined, (error: unknown) => error);
  expect(outcome).toBeInstanceOf(TimbreServiceError);
  return outcome as TimbreServiceError;
}

describe('TimbreSessionClient against the local API', () => {
  it('signs calls the server accepts: send answers what the official client answers', async () => {
    // Prepare
    const voiceId = makeVoiceIdClient();
    const domain = await createTestDomain(voiceId, `typed-${randomUUID()}`);

    // Act
    const answer = await localClient().send('DescribeDomain', { DomainId: domain.DomainId });

    // Assess: the same domain, timestamps as the wire's epoch seconds.
    const official = await voiceId.send(new DescribeDomainCommand({ DomainId: domain.DomainId }));
    const typed = answer.Domain as Record<string, unknown>;
    expect(typed.DomainId).toBe(domain.DomainId);
    expect(typed.Name).toBe(official.Domain?.Name);
    expect(typed.CreatedAt).toBe(official.Domain!.CreatedAt!.getTime() / 1000);
  });

  it('signs with a credentials provider and with the execute-api signing name as well', async () => {
    const env = timbreTestEnv();
    const viaProvider = localClient({ credentials: async () => ({ ...env.credentials }), signingName: 'execute-api' });
    const answer = await viaProvider.send('ListDomains', { MaxResults: 10 });
    expect(Array.isArray(answer.DomainSummaries)).toBe(true);
  });

  it('names a missing resource ResourceNotFoundException with its ResourceType and the HTTP status', async () => {
    const error = await rejection(localClient().send('DescribeDomain', { DomainId: UNKNOWN_ID }));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.ResourceType).toBe('DOMAIN');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.$metadata.requestId).toMatch(/\S/);
    expect(error.$metadata.attempts).toBe(1);
    expect(error.$fault).toBe('client');
    expect(error.message).toMatch(/\S/);
  });

  it('answers an operation the server does not know with UnknownOperationException', async () => {
    const error = await rejection(localClient().send('NoSuchOperation', {}));
    expect(error.name).toBe('UnknownOperationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('answers bad input with ValidationException, not retried', async () => {
    const error = await rejection(localClient({ maxAttempts: 3 }).send('DescribeDomain', { DomainId: 'short' }));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.attempts).toBe(1);
  });

  it('names refused signatures as AWS does: unknown key, wrong secret', async () => {
    const env = timbreTestEnv();
    const unknownKey = await rejection(localClient({ credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } }).send('ListDomains', {}));
    expect(unknownKey.name).toBe('UnrecognizedClientException');
    expect(unknownKey.$metadata.httpStatusCode).toBe(403);
    const wrongSecret = await rejection(localClient({ credentials: { accessKeyId: env.credentials.accessKeyId, secretAccessKey: 'wrong' } }).send('ListDomains', {}));
    expect(wrongSecret.name).toBe('InvalidSignatureException');
  });
});
