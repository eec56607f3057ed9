/** Speaker and fraudster audio in S3, each object envelope-encrypted with the domain's key. */
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AudioVault, DomainKeyRef } from '../voiceid/index.js';
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

  async reencryptDomain(domain: DomainKeyRef, oldKmsKeyId: string): Promise<number> {
    void oldKmsKeyId; // the envelope header names the old key
    const keys = await this.listKeys(prefixOf(domain.domainId));
    for (const key of keys) {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const plaintext = await this.envelope.open(domain, await object.Body!.transformToByteArray());
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: await this.envelope.seal(domain, plaintext) }));
    }
    return keys.length;
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
