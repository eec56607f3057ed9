/**
 * The batch jobs' S3 reads and writes: manifests and audio read from customers' buckets, output files written
 * SSE-KMS under OutputDataConfig.KmsKeyId, and the workflow's work lists in the batch bucket.
 *
 * The role: every call names the job's DataAccessRoleArn; `clientFor` decides what S3 client acts as it. In AWS
 * that is a client with the role's assumed credentials (assumed-role-s3.ts, chosen by TIMBRE_BATCH_ASSUME_ROLE);
 * locally it is the function's own client, and the local setting of which buckets the role stands for is enforced
 * by voiceid/jobs before any call is made.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ObjectTooLargeError, type BatchObjects, type DataAccess } from '../voiceid/jobs/index.js';

/** Where the workflow's work lists go: `work/<JobId>/<time>.json` in the batch bucket. */
export const WORK_LIST_PREFIX = 'work/';

/** S3 adapter of `BatchObjects`. */
export class S3BatchObjects implements BatchObjects {
  constructor(
    private readonly s3: S3Client,
    private readonly batchBucket: string,
    /** The client acting as a job's role. @default the function's own client (local mode) */
    private readonly clientFor: (access: DataAccess) => S3Client | Promise<S3Client> = () => s3,
  ) {}

  private async clientAs(access: DataAccess | undefined): Promise<S3Client> {
    return access === undefined ? this.s3 : this.clientFor(access);
  }

  async getObject(access: DataAccess | undefined, bucket: string, key: string, maxBytes: number): Promise<Uint8Array | undefined> {
    try {
      const result = await (await this.clientAs(access)).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const size = result.ContentLength ?? 0;
      if (size > maxBytes) {
        result.Body?.transformToWebStream().cancel().catch(() => undefined);
        throw new ObjectTooLargeError(size, maxBytes);
      }
      return (await result.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey' || (error as { name?: string }).name === 'NoSuchBucket') return undefined;
      throw error;
    }
  }

  async putOutput(access: DataAccess, bucket: string, key: string, body: string, kmsKeyId: string | undefined): Promise<void> {
    await (await this.clientAs(access)).send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        ServerSideEncryption: 'aws:kms',
        ...(kmsKeyId === undefined ? {} : { SSEKMSKeyId: kmsKeyId }),
      }),
    );
  }

  async putWorkList(jobId: string, items: readonly unknown[]): Promise<{ bucket: string; key: string }> {
    const key = `${WORK_LIST_PREFIX}${jobId}/${Date.now()}.json`;
    await this.s3.send(new PutObjectCommand({ Bucket: this.batchBucket, Key: key, Body: JSON.stringify(items), ContentType: 'application/json', ServerSideEncryption: 'aws:kms' }));
    return { bucket: this.batchBucket, key };
  }
}
