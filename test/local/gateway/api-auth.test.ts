import { CreateDomainCommand, DescribeDomainCommand, ListDomainsCommand } from '@aws-sdk/client-voice-id';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { NodeSha256 } from '../../../lambdas/local/gateway/sigv4-verifier.js';
import { makeVoiceIdClient, timbreTestEnv } from '../../support/voiceid-client.js';

async function failureOf(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the request was accepted');
}

describe('local API server authentication', () => {
  it('passes a correctly signed request through to the handler', async () => {
    const client = makeVoiceIdClient();
    // Whatever the handler answers, it is not one of the authentication refusals.
    const outcome = await client.send(new ListDomainsCommand({ MaxResults: 10 })).then(
      () => 'ok',
      (error: { name: string }) => error.name,
    );
    expect(['MissingAuthenticationTokenException', 'UnrecognizedClientException', 'InvalidSignatureException']).not.toContain(outcome);
  });

  it('refuses a request without an Authorization header with MissingAuthenticationTokenException', async () => {
    const response = await fetch(timbreTestEnv().endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'VoiceID.ListDomains' },
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await response.json()).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
  });

  it('refuses a body over API Gateway\'s 10 MB payload quota with 413 before reading the rest', async () => {
    const response = await fetch(timbreTestEnv().endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'VoiceID.ListDomains' },
      body: `{"NextToken":"${'x'.repeat(10 * 1024 * 1024)}"}`,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('x-amzn-errortype')).toBe('RequestEntityTooLargeException');
    expect(await response.json()).toEqual({ message: 'Request Too Long' });
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const client = makeVoiceIdClient({ credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: timbreTestEnv().credentials.secretAccessKey } });
    expect(await failureOf(client.send(new ListDomainsCommand({})))).toEqual({ name: 'UnrecognizedClientException', status: 403 });
  });

  it('refuses a signature made with the wrong secret with InvalidSignatureException', async () => {
    const client = makeVoiceIdClient({ credentials: { accessKeyId: timbreTestEnv().credentials.accessKeyId, secretAccessKey: 'not-the-secret' } });
    expect(await failureOf(client.send(new ListDomainsCommand({})))).toEqual({ name: 'InvalidSignatureException', status: 403 });
  });

  it('refuses a request signed for another region with InvalidSignatureException', async () => {
    const client = makeVoiceIdClient({ region: 'eu-west-1' });
    expect(await failureOf(client.send(new ListDomainsCommand({})))).toEqual({ name: 'InvalidSignatureException', status: 403 });
  });

  it('accepts the execute-api signing name that deployed Timbre needs', async () => {
    const client = makeVoiceIdClient({ signingName: 'execute-api' } as never);
    const outcome = await client.send(new ListDomainsCommand({})).then(
      () => 'ok',
      (error: { name: string }) => error.name,
    );
    expect(['MissingAuthenticationTokenException', 'UnrecognizedClientException', 'InvalidSignatureException']).not.toContain(outcome);
  });

  it('refuses a signed request whose body was changed after signing', async () => {
    const client = makeVoiceIdClient();
    // Runs after the signer: the body no longer matches the signature.
    const tamper = ((next: (args: { request: { body: string } }) => Promise<unknown>) => async (args: { request: { body: string } }) => {
      args.request.body = '{"MaxResults":2}';
      return next(args);
    }) as never;
    client.middlewareStack.addRelativeTo(tamper, { relation: 'after', toMiddleware: 'awsAuthMiddleware', name: 'tamperBody' } as never);
    expect(await failureOf(client.send(new ListDomainsCommand({ MaxResults: 1 })))).toEqual({ name: 'InvalidSignatureException', status: 403 });
  });

  it('refuses a request whose signature leaves out X-Amz-Target, so a signed DescribeDomain cannot be replayed as DeleteDomain', async () => {
    // Prepare: a DescribeDomain signed over host and x-amz-date only
    const env = timbreTestEnv();
    const client = makeVoiceIdClient();
    const { Domain: domain } = await client.send(
      new CreateDomainCommand({ Name: 'unsigned-target', ServerSideEncryptionConfiguration: { KmsKeyId: env.resources.kmsKeyArn } }),
    );
    const url = new URL(env.endpoint);
    const body = JSON.stringify({ DomainId: domain?.DomainId });
    const signer = new SignatureV4({ credentials: env.credentials, region: env.region, service: 'voiceid', sha256: NodeSha256 });
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {}, headers: { host: url.host }, body });
    // Act: the same signature with the operation swapped
    const response = await fetch(env.endpoint, {
      method: 'POST',
      headers: { ...signed.headers, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'VoiceID.DeleteDomain' },
      body,
    });
    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ __type: 'InvalidSignatureException', message: "'X-Amz-Target' must be a signed header" });
    const described = await client.send(new DescribeDomainCommand({ DomainId: domain?.DomainId }));
    expect(described.Domain?.DomainId).toBe(domain?.DomainId);
  });
});
