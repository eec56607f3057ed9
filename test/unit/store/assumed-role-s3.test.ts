/**
 * S3 as a batch job's DataAccessRoleArn: STS is the one fake (there is no local STS); the clients it yields read
 * and write the suite's real local S3, and every request is checked for the assumed session's credentials.
 */
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AssumeRoleCommand, AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import type { HttpRequest } from '@smithy/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { AssumedRoleS3Clients, S3BatchObjects, StoreError, roleSessionName } from '../../../lambdas/store/index.js';
import { localServiceConfig, timbreTestEnv } from '../../support/voiceid-client.js';

const BUCKET = 'timbre-test-assumed-role';
const ROLE = 'arn:aws:iam::111122223333:role/customer-data-access';
const HOUR_MS = 3_600_000;

/** Answers AssumeRole with credentials the local S3 accepts, numbered so each session can be told apart. */
class FakeSts {
  readonly calls: Array<AssumeRoleCommand['input']> = [];
  constructor(private readonly now: () => number, private readonly answer?: Partial<AssumeRoleCommandOutput>) {}
  async send(command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput> {
    this.calls.push(command.input);
    if (this.answer !== undefined) return { $metadata: {}, ...this.answer };
    const { credentials } = localServiceConfig('s3');
    return {
      $metadata: {},
      Credentials: {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: `session-${this.calls.length}`,
        Expiration: new Date(this.now() + HOUR_MS),
      },
    };
  }
}

const recorded = new WeakSet<S3Client>();

/** Records the session token each request was signed with (once per client: the cache hands the same one back). */
function recordTokens(client: S3Client, tokens: string[]): S3Client {
  if (recorded.has(client)) return client;
  recorded.add(client);
  client.middlewareStack.add(
    (next) => async (args) => {
      tokens.push(String((args.request as HttpRequest).headers['x-amz-security-token']));
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordSessionToken' },
  );
  return client;
}

describe('AssumedRoleS3Clients', () => {
  const { endpoint, region } = localServiceConfig('s3');

  beforeAll(async () => {
    const clients = new AssumedRoleS3Clients(new FakeSts(Date.now), { s3Config: { endpoint, region } });
    const s3 = await clients.clientFor({ roleArn: ROLE, jobId: 'setup' });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((error: Error) => {
      if (!/BucketAlready/.test(error.name)) throw error;
    });
  });

  it('reads and writes through S3BatchObjects with the credentials of the job\'s role, in a session named after the job', async () => {
    // Prepare
    const sts = new FakeSts(Date.now);
    const clients = new AssumedRoleS3Clients(sts, { s3Config: { endpoint, region } });
    const tokens: string[] = [];
    const objects = new S3BatchObjects(
      recordTokens((await clients.clientFor({ roleArn: ROLE, jobId: 'other' })), []),
      timbreTestEnv().resources.batchBucket,
      async (access) => recordTokens(await clients.clientFor(access), tokens),
    );
    const access = { roleArn: ROLE, jobId: 'a1b2c3d4e5f6g7h8i9j0k1' };
    // Act
    await objects.putOutput(access, BUCKET, 'out/a1/m.json.out', '{"Version":"1.0"}', undefined);
    const back = await objects.getObject(access, BUCKET, 'out/a1/m.json.out', 1024);
    // Assess
    expect(new TextDecoder().decode(back)).toBe('{"Version":"1.0"}');
    expect(sts.calls.map((c) => [c.RoleArn, c.RoleSessionName])).toEqual([
      [ROLE, 'timbre-batch-other'],
      [ROLE, 'timbre-batch-a1b2c3d4e5f6g7h8i9j0k1'],
    ]);
    expect(tokens).toEqual(['session-2', 'session-2']);
  });

  it('reuses a session until shortly before it expires, then assumes the role again', async () => {
    // Prepare
    let now = Date.UTC(2026, 11, 2);
    const sts = new FakeSts(() => now);
    const clients = new AssumedRoleS3Clients(sts, { s3Config: { endpoint, region }, refreshBeforeExpiryMs: 5 * 60_000, now: () => now });
    const access = { roleArn: ROLE, jobId: 'J1' };
    // Act
    const first = await clients.clientFor(access);
    now += HOUR_MS - 6 * 60_000;
    const cached = await clients.clientFor(access);
    now += 2 * 60_000;
    const renewed = await clients.clientFor(access);
    const otherJob = await clients.clientFor({ roleArn: ROLE, jobId: 'J2' });
    // Assess
    expect(cached).toBe(first);
    expect(renewed).not.toBe(first);
    expect(otherJob).not.toBe(renewed);
    expect(sts.calls).toHaveLength(3);
    expect(sts.calls.every((c) => c.DurationSeconds === 3600)).toBe(true);
  });

  it('refuses an STS answer without credentials', async () => {
    const clients = new AssumedRoleS3Clients(new FakeSts(Date.now, { Credentials: undefined }));
    await expect(clients.clientFor({ roleArn: ROLE, jobId: 'J' })).rejects.toBeInstanceOf(StoreError);
  });
});

describe('roleSessionName', () => {
  it('names the job within STS\'s 64 characters of [\\w+=,.@-]', () => {
    expect(roleSessionName('abc/def ghi')).toBe('timbre-batch-abc-def-ghi');
    expect(roleSessionName('x'.repeat(80))).toHaveLength(64);
  });
});
