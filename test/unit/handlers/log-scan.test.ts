/**
 * What the handlers log: a run of the API handler and the Connect evaluate handler in this process (a session with a
 * customer's speaker ID, audio, enrolment, evaluation, a bad request and a failing one), with everything written to
 * stdout and stderr captured. The logs must hold no customer speaker ID, no audio and no embedding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/contract/env-names.js';
import { hasEspeak } from '../../support/synthetic-callers.js';
import { localServiceEnv, makeVoiceIdClient, timbreTestEnv } from '../../support/voiceid-client.js';
import { speechWav } from '../../e2e/batch/batch-fixtures.js';
import { createTestDomain } from '../../e2e/helpers.js';

type ApiHandler = (typeof import('../../../lambdas/handlers/api.js'))['handler'];
type EvaluateHandler = (typeof import('../../../lambdas/handlers/connect-evaluate.js'))['handler'];
const saved = { ...process.env };
let api: ApiHandler;
let evaluate: EvaluateHandler;

beforeAll(async () => {
  const env = timbreTestEnv();
  Object.assign(process.env, {
    [ENV.TABLE_NAME]: env.resources.tableName,
    [ENV.AUDIO_BUCKET]: env.resources.audioBucket,
    [ENV.QUOTAS]: '{"domainsPerRegion":100000,"requestsPerSecond":{"*":1000000}}',
    ...localServiceEnv(),
    // The most the handlers would ever log.
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
  });
  ({ handler: api } = await import('../../../lambdas/handlers/api.js'));
  ({ handler: evaluate } = await import('../../../lambdas/handlers/connect-evaluate.js'));
});
afterAll(() => {
  process.env = saved;
});

const SIGNED = { Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261202/us-east-1/voiceid/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' + '0'.repeat(64) };
const context = { awsRequestId: 'log-scan', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:TimbreApi' };

/** Runs `body` with every write to stdout and stderr captured (and still shown). */
async function captured(body: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const tap = (original: typeof process.stdout.write) => ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stdout.write = tap(writes.out);
  process.stderr.write = tap(writes.err);
  try {
    await body();
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
  }
  return chunks.join('');
}

describe.skipIf(!hasEspeak())('the handlers\' logs', () => {
  it('hold no customer speaker ID, audio or embedding', { timeout: 120_000 }, async () => {
    // Prepare
    const { DomainId } = await createTestDomain(makeVoiceIdClient(), `logs-${Date.now()}`);
    const customer = `cust-log-scan-${Date.now()}`;
    const audio = Buffer.from(speechWav('en-us+f3')).toString('base64');
    const send = (operation: string, body: Record<string, unknown>) =>
      api({ headers: { ...SIGNED, 'X-Amz-Target': `VoiceID.${operation}`, 'Content-Type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) }, context);
    const sessionName = `c0ffee00-0000-4000-8000-${String(Date.now()).slice(-12)}`;

    // Act
    const logs = await captured(async () => {
      expect((await send('StartSession', { DomainId, SessionName: sessionName, SpeakerId: customer, AuthenticationConfiguration: { AcceptanceThreshold: 90 }, FraudDetectionConfiguration: {} })).statusCode).toBe(200);
      expect((await send('PutSessionAudio', { DomainId, SessionNameOrId: sessionName, Audio: audio })).statusCode).toBe(200);
      expect((await send('EnrollBySession', { DomainId, SessionNameOrId: sessionName })).statusCode).toBe(200);
      expect((await send('EvaluateSession', { DomainId, SessionNameOrId: sessionName })).statusCode).toBe(200);
      expect((await send('DescribeSpeaker', { DomainId, SpeakerId: customer })).statusCode).toBe(200);
      // A bad request and a refused one, whose errors are what gets logged.
      expect((await send('PutSessionAudio', { DomainId, SessionNameOrId: sessionName, Audio: audio.slice(0, 4000) })).statusCode).toBe(400);
      expect((await send('OptOutSpeaker', { DomainId: 'Zz9Zz9Zz9Zz9Zz9Zz9Zz9Z', SpeakerId: customer })).statusCode).toBe(404);
      const flow = await evaluate({ Details: { ContactData: { Channel: 'VOICE', ContactId: sessionName, InitialContactId: sessionName, CustomerId: customer }, Parameters: { domainId: DomainId } } }, context);
      expect(flow.authenticationDecision).toBe('ACCEPT');
      await evaluate({ Details: { ContactData: { Channel: 'VOICE', ContactId: 'no-such-contact', CustomerId: customer }, Parameters: { domainId: DomainId } } }, context);
    });

    // Assess: the run logged (so the scan means something), and none of it is personal or biometric.
    expect(logs).toContain('"service":"timbre-api"');
    expect(logs).toContain('"service":"timbre-connect-evaluate"');
    expect(logs).not.toContain(customer);
    expect(logs).not.toContain(audio.slice(1000, 1100));
    expect(logs).not.toMatch(/(-?\d\.\d+,\s*){31}/);
    expect(logs).not.toMatch(/[A-Za-z0-9+/]{400}/);
  });
});
