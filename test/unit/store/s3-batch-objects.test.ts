/** The batch jobs' S3 adapter against the suite's real local S3, with every request's headers recorded (s3rver ignores SSE). */
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { HttpRequest } from '@smithy/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { S3BatchObjects } from '../../../lambdas/store/index.js';
import { ObjectTooLargeError } from '../../../lambdas/voiceid/jobs/index.js';
import { localServiceConfig, timbreTestEnv } from '../../support/voiceid-client.js';

const BUCKET = 'timbre-test-batch-objects';
const AS_ROLE = { roleArn: 'arn:aws:iam::000000000000:role/r', jobId: 'J' };

describe('S3BatchObjects', () => {
  const sent: Array<{ method: string; path: string; headers: Record<string, string> }> = [];
  let s3: S3Client;
  let objects: S3BatchObjects;

  beforeAll(async () => {
    s3 = new S3Client(localServiceConfig('s3'));
    s3.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as HttpRequest;
        sent.push({ method: request.method, path: request.path, headers: { ...request.headers } });
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordRequests' },
    );
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((error: Error) => {
      if (!/BucketAlready/.test(error.name)) throw error;
    });
    objects = new S3BatchObjects(s3, timbreTestEnv().resources.batchBucket);
  });

  it('writes the output file SSE-KMS under OutputDataConfig.KmsKeyId', async () => {
    const keyId = 'arn:aws:kms:us-east-1:000000000000:key/output-key';
    await objects.putOutput(AS_ROLE, BUCKET, 'out/J/m.json.out', '{"Version":"1.0"}', keyId);
    const put = sent.filter((r) => r.method === 'PUT' && r.path.endsWith('/out/J/m.json.out'));
    expect(put).toHaveLength(1);
    expect(put[0]!.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(put[0]!.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe(keyId);
    const back = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'out/J/m.json.out' }));
    expect(await back.Body!.transformToString()).toBe('{"Version":"1.0"}');
  });

  it('writes SSE-KMS with the bucket\'s key when no KmsKeyId is given', async () => {
    await objects.putOutput(AS_ROLE, BUCKET, 'out/K/m.json.out', '{}', undefined);
    const put = sent.filter((r) => r.method === 'PUT' && r.path.endsWith('/out/K/m.json.out'));
    expect(put[0]!.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(put[0]!.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBeUndefined();
  });

  it('reads an object, answers undefined for a missing one, and refuses one over the limit', async () => {
    await objects.putOutput(AS_ROLE, BUCKET, 'in/a.bin', 'abcdef', undefined);
    expect(new TextDecoder().decode(await objects.getObject(AS_ROLE, BUCKET, 'in/a.bin', 100))).toBe('abcdef');
    expect(await objects.getObject(AS_ROLE, BUCKET, 'in/none.bin', 100)).toBeUndefined();
    await expect(objects.getObject(AS_ROLE, BUCKET, 'in/a.bin', 5)).rejects.toBeInstanceOf(ObjectTooLargeError);
  });
});
