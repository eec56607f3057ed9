import { CreateDomainCommand } from '@aws-sdk/client-voice-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/contract/env-names.js';
import { localServiceEnv, makeVoiceIdClient, timbreTestEnv } from '../../support/voiceid-client.js';

// The handler reads its configuration from this worker's environment, pointed at the suite's local services.
const saved = { ...process.env };
type Handler = (typeof import('../../../lambdas/handlers/api.js'))['handler'];
let handler: Handler;

beforeAll(async () => {
  const env = timbreTestEnv();
  Object.assign(process.env, {
    [ENV.TABLE_NAME]: env.resources.tableName,
    [ENV.AUDIO_BUCKET]: env.resources.audioBucket,
    [ENV.QUOTAS]: '{"domainsPerRegion":"three"}',
    ...localServiceEnv(),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  ({ handler } = await import('../../../lambdas/handlers/api.js'));
});

afterAll(() => {
  process.env = saved;
});

// API Gateway has verified this signature; the handler only reads which headers it covers.
const authorization = (signedHeaders: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261201/us-east-1/voiceid/aws4_request, SignedHeaders=${signedHeaders}, Signature=${'0'.repeat(64)}`;
const SIGNED = { Authorization: authorization('content-type;host;x-amz-date;x-amz-target') };

const context = { awsRequestId: 'test-request', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:TimbreApi' };

describe('api handler', () => {
  it('answers InternalServerException while its configuration is broken, then serves once it is fixed', async () => {
    // Act: a malformed TIMBRE_QUOTAS
    const broken = await handler({ headers: { ...SIGNED, 'X-Amz-Target': 'VoiceID.ListDomains' }, body: '{}' }, context);
    // Assess
    expect(broken.statusCode).toBe(500);
    expect(broken.headers['x-amzn-ErrorType']).toBe('InternalServerException');
    expect(broken.body).not.toContain('three');
    // Act: fixed configuration
    // The suite shares one table, so the account's domain counter includes other files' domains.
    // Its rate counters are the suite's too, so the rates are raised as the global setup raises them.
    process.env[ENV.QUOTAS] = '{"domainsPerRegion":100000,"requestsPerSecond":{"*":1000000}}';
    const fixed = await handler({ headers: { ...SIGNED, 'X-Amz-Target': 'VoiceID.ListDomains' }, body: '{"MaxResults":1}' }, context);
    // Assess
    expect(fixed.statusCode).toBe(200);
  });

  it('reads headers case-insensitively, decodes base64 bodies and echoes the Lambda request ID', async () => {
    // Prepare
    const { Domain: domain } = await makeVoiceIdClient().send(
      new CreateDomainCommand({ Name: 'handler', ServerSideEncryptionConfiguration: { KmsKeyId: timbreTestEnv().resources.kmsKeyArn } }),
    );
    const body = Buffer.from(JSON.stringify({ DomainId: domain?.DomainId })).toString('base64');
    // Act
    const response = await handler({ headers: { authorization: SIGNED.Authorization, 'x-amz-target': 'VoiceID.DescribeDomain' }, body, isBase64Encoded: true }, context);
    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-amzn-RequestId']).toBe('test-request');
    expect(JSON.parse(response.body).Domain.Name).toBe('handler');
  });

  it('names ARNs after the account of the invoked function', async () => {
    const response = await handler(
      { headers: { ...SIGNED, 'X-Amz-Target': 'VoiceID.CreateDomain' }, body: JSON.stringify({ Name: 'acct', ServerSideEncryptionConfiguration: { KmsKeyId: timbreTestEnv().resources.kmsKeyArn } }) },
      context,
    );
    expect(JSON.parse(response.body).Domain.Arn).toMatch(/^arn:aws:voiceid:[a-z0-9-]+:123456789012:domain\//);
  });

  it('refuses a request whose signature leaves out X-Amz-Target or Content-Type, which API Gateway lets through', async () => {
    // Prepare
    const { Domain: domain } = await makeVoiceIdClient().send(
      new CreateDomainCommand({ Name: 'unsigned-target', ServerSideEncryptionConfiguration: { KmsKeyId: timbreTestEnv().resources.kmsKeyArn } }),
    );
    const body = JSON.stringify({ DomainId: domain?.DomainId });
    // Act
    const headerSigned = await handler({ headers: { Authorization: authorization('host;x-amz-date'), 'X-Amz-Target': 'VoiceID.DeleteDomain' }, body }, context);
    const querySigned = await handler(
      { headers: { 'X-Amz-Target': 'VoiceID.DeleteDomain' }, queryStringParameters: { 'X-Amz-SignedHeaders': 'host;x-amz-target' }, body },
      context,
    );
    const described = await handler({ headers: { ...SIGNED, 'X-Amz-Target': 'VoiceID.DescribeDomain' }, body }, context);
    // Assess
    expect(headerSigned.statusCode).toBe(403);
    expect(headerSigned.headers['x-amzn-ErrorType']).toBe('InvalidSignatureException');
    expect(JSON.parse(headerSigned.body).Message).toBe("'X-Amz-Target' must be a signed header");
    expect(JSON.parse(querySigned.body).Message).toBe("'Content-Type' must be a signed header");
    expect(described.statusCode).toBe(200);
  });
});
