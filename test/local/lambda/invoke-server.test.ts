import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient, ResourceNotFoundException, type LambdaServiceException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA_KEY } from '../../../lib/contract/stack-contract.js';
import { startLambdaInvokeServer, type LocalLambdaInvoke } from '../../../lambdas/local/lambda/invoke-server.js';
import { LambdaRegistry } from '../../../lambdas/local/lambda/registry.js';
import { LOCAL_ACCOUNT_ID } from '../../../lambdas/local/local-services.js';
import { S3RVER_CREDENTIALS } from '../../../lambdas/local/s3/s3rver-process.js';
import { TemplateResolver } from '../../../lambdas/local/template/resolver.js';
import { localServiceConfig, timbreTestEnv } from '../../support/voiceid-client.js';
import { withEnv } from '../support/with-env.js';

const REGION = 'us-east-1';
const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const decode = (payload: Uint8Array | undefined): unknown => JSON.parse(new TextDecoder().decode(payload));

describe('local Lambda Invoke endpoint', () => {
  let invoke: LocalLambdaInvoke;
  let lambda: LambdaClient;
  let dir: string;
  const backgroundErrors: unknown[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'timbre-invoke-'));
    // A one-function template, resolved and run the way the local mode runs the stack's functions.
    const resolver = new TemplateResolver({
      Resources: {
        EchoFunction: {
          Type: 'AWS::Lambda::Function',
          Metadata: { [ENTRY_METADATA_KEY]: 'test/local/support/invoke-test-handler.ts' },
          Properties: { Handler: 'index.handler', Timeout: 5, Environment: { Variables: { INVOKE_TEST_MARK: 'from-template' } } },
        },
      },
    }, { region: REGION, accountId: LOCAL_ACCOUNT_ID, stackName: 'InvokeTest' });
    invoke = await startLambdaInvokeServer(new LambdaRegistry(resolver), {
      credentials: S3RVER_CREDENTIALS, region: REGION, accountId: LOCAL_ACCOUNT_ID, onError: (error) => backgroundErrors.push(error),
    });
    lambda = new LambdaClient({ region: REGION, endpoint: invoke.endpoint, credentials: S3RVER_CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(async () => {
    lambda?.destroy();
    await invoke?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers RequestResponse with the function’s result, by name or ARN', async () => {
    const byName = await lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction', Payload: encode({ hello: 'world' }) }));
    expect(byName.StatusCode).toBe(200);
    expect(byName.FunctionError).toBeUndefined();
    expect(decode(byName.Payload)).toEqual({ echo: { hello: 'world' }, functionName: 'EchoFunction', mark: 'from-template' });
    const arn = `arn:aws:lambda:${REGION}:${LOCAL_ACCOUNT_ID}:function:EchoFunction`;
    const byArn = await lambda.send(new InvokeCommand({ FunctionName: arn, InvocationType: 'RequestResponse', Payload: encode({ n: 1 }) }));
    expect(decode(byArn.Payload)).toMatchObject({ echo: { n: 1 } });
  });

  it('reports a function that throws as Lambda does: 200, X-Amz-Function-Error Unhandled, the error payload', async () => {
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction', Payload: encode({ fail: 'no audio' }) }));
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    expect(decode(result.Payload)).toMatchObject({ errorType: 'DeliberateError', errorMessage: 'no audio' });
  });

  it('answers Event with 202 at once and runs the function in the background, reporting its errors', async () => {
    const writeTo = join(dir, 'event.json');
    const accepted = await lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction', InvocationType: 'Event', Payload: encode({ writeTo, contact: 'c-1' }) }));
    expect(accepted.StatusCode).toBe(202);
    expect(accepted.Payload?.length ?? 0).toBe(0);
    await invoke.idle();
    expect(JSON.parse(readFileSync(writeTo, 'utf8'))).toEqual({ writeTo, contact: 'c-1' });

    const failed = await lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction', InvocationType: 'Event', Payload: encode({ fail: 'consumer crashed' }) }));
    expect(failed.StatusCode).toBe(202);
    await invoke.idle();
    expect(backgroundErrors).toHaveLength(1);
    expect(String(backgroundErrors[0])).toContain('consumer crashed');
  });

  it('refuses an unknown function, bad JSON and bad signatures without running anything', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'NoSuchFunction', Payload: encode({}) }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const badJson = await lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction', Payload: new TextEncoder().encode('{not json') })).catch((e: LambdaServiceException) => e);
    expect((badJson as LambdaServiceException).name).toBe('InvalidRequestContentException');
    const writeTo = join(dir, 'never.json');
    const forged = new LambdaClient({ region: REGION, endpoint: invoke.endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'guess' }, maxAttempts: 1 });
    const refused = await forged.send(new InvokeCommand({ FunctionName: 'EchoFunction', InvocationType: 'Event', Payload: encode({ writeTo }) })).catch((e: LambdaServiceException) => e);
    forged.destroy();
    expect((refused as LambdaServiceException).name).toBe('InvalidSignatureException');
    await invoke.idle();
    expect(existsSync(writeTo)).toBe(false);
  });
});

describe('the local services’ Lambda endpoint', () => {
  it('is reached through AWS_ENDPOINT_URL_LAMBDA, signed, and knows only the template’s functions', async () => {
    const { endpoint, ...config } = localServiceConfig('lambda');
    // The variable the local services set for the in-process handlers: a client given no endpoint must find it.
    await withEnv('AWS_ENDPOINT_URL_LAMBDA', endpoint, async () => {
      const client = new LambdaClient({ ...config, maxAttempts: 1 });
      await expect(client.send(new InvokeCommand({ FunctionName: 'NotInTheTemplate', InvocationType: 'DryRun' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      const dryRun = await client.send(new InvokeCommand({ FunctionName: timbreTestEnv().resources.apiFunction, InvocationType: 'DryRun' }));
      expect(dryRun.StatusCode).toBe(204);
      client.destroy();
    });
  });
});
