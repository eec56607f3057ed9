/** Speaker and fraudster audio in S3, each object envelope-encrypted with the domain's key. */
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AudioVault, DomainKeyRef, ReencryptionPage } from '../voiceid/index.js';
import type { DomainEnvelope } from './envelope.js';

const prefixOf = (domainId: string, ownerId?: string) => `audio/${domainId}/${ownerId === undefined ? '' : `${ownerId}/`}`;

/** S3 + KMS adapter of `AudioVault`. */
export class S3AudioVault implements AudioVault {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly envelope: DomainEnvelope,
  ) {}

  async putAudio(domain: DomainKeyRef, ownerId: string, name: string, audio: Uint8Array): Promise<void> {
    const body = await this.envelope.seal(domain, audio);
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: `${prefixOf(domain.domainId, ownerId)}${name}`, Body: body }));
  }

  async getAudio(domain: DomainKeyRef, ownerId: string, name: string): Promise<Uint8Array | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: `${prefixOf(domain.domainId, ownerId)}${name}` }));
      const bytes = await object.Body?.transformToByteArray();
      return bytes === undefined ? undefined : new Uint8Array(await this.envelope.open(domain, bytes));
    } catch (error) {
      if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound')) return undefined;
      throw error;
    }
  }

  async listAudio(domainId: string, ownerId: string): Promise<string[]> {
    const prefix = prefixOf(domainId, ownerId);
    return (await this.listKeys(prefix)).map((key) => key.slice(prefix.length));
  }

  async deleteAllAudio(domainId: string, ownerId: string): Promise<void> {
    for (const key of await this.listKeys(prefixOf(domainId, ownerId))) {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    }
  }

  async deleteDomainAudio(domainId: string): Promise<void> {
    for (const key of await this.listKeys(prefixOf(domainId))) {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    }
  }

  async reencryptPage(domain: DomainKeyRef, keyArn: string, cursor: string | undefined, limit: number): Promise<ReencryptionPage> {
    const page = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefixOf(domain.domainId), MaxKeys: limit, ContinuationToken: cursor }),
    );
    // The objects of a page go at once, as the voiceprints do.
    const moved = await Promise.all((page.Contents ?? []).map(async ({ Key: key, ETag: etag }) => {
      const body = await this.readObject(key!, etag);
      const next = body === undefined ? undefined : await this.envelope.rewrap(domain, body, keyArn);
      if (next !== undefined) await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: next }));
      return next !== undefined;
    }));
    const rewrapped = moved.filter(Boolean).length;
    const next = page.IsTruncated ? page.NextContinuationToken : undefined;
    return { rewrapped, skipped: moved.length - rewrapped, ...(next !== undefined && { cursor: next }) };
  }

  /** The object's bytes as listed (`IfMatch`), or undefined when it was deleted or replaced since the listing. */
  private async readObject(key: string, etag: string | undefined): Promise<Uint8Array | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, IfMatch: etag }));
      return await object.Body!.transformToByteArray();
    } catch (error) {
      if (error instanceof Error && ['NoSuchKey', 'NotFound', 'PreconditionFailed'].includes(error.name)) return undefined;
      throw error;
    }
  }

  private async listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys;
  }
}
