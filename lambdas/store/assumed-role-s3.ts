/**
 * S3 clients that act as a batch job's DataAccessRoleArn (in AWS): credentials from STS AssumeRole, one session per
 * role and job (its RoleSessionName names the job, so the customer's CloudTrail shows which job read their data),
 * reused until shortly before the credentials expire. The confused-deputy conditions (aws:SourceAccount /
 * aws:SourceArn) belong in the customer's trust policy; see docs/batch-jobs.md.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import type { DataAccess } from '../voiceid/jobs/index.js';
import { StoreError } from './errors.js';

/** What this needs of the STS client (the real `STSClient`, or a fake in tests). */
export interface AssumeRoleSender {
  send(command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput>;
}

/** Options of {@link AssumedRoleS3Clients}. */
export interface AssumedRoleS3Options {
  /** Settings of each role's S3 client besides its credentials. @default `{ forcePathStyle: true }` */
  readonly s3Config?: Omit<S3ClientConfig, 'credentials'>;
  /** A session is renewed this long before its credentials expire. @default 5 minutes */
  readonly refreshBeforeExpiryMs?: number;
  /** Requested session length. @default 3600 (STS's default and the role's usual maximum) */
  readonly durationSeconds?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** STS allows 2–64 characters of `[\w+=,.@-]` in a RoleSessionName. */
const SESSION_NAME_CHARS = /[^\w+=,.@-]/g;

/** The RoleSessionName of a job's session: `timbre-batch-<JobId>`, cut to STS's limit. */
export function roleSessionName(jobId: string): string {
  return `timbre-batch-${jobId.replace(SESSION_NAME_CHARS, '-')}`.slice(0, 64);
}

/** Hands out an S3 client per (role, job) with assumed-role credentials. */
export class AssumedRoleS3Clients {
  private readonly sessions = new Map<string, { client: S3Client; renewAtMs: number }>();
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(private readonly sts: AssumeRoleSender, private readonly options: AssumedRoleS3Options = {}) {
    this.refreshMs = options.refreshBeforeExpiryMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * The S3 client acting as the job's role.
   * @throws StoreError when STS answers without credentials; STS's own errors (AccessDenied) pass unchanged
   */
  async clientFor(access: DataAccess): Promise<S3Client> {
    const cacheKey = `${access.roleArn}\n${access.jobId}`;
    const cached = this.sessions.get(cacheKey);
    if (cached !== undefined && this.now() < cached.renewAtMs) return cached.client;
    const { Credentials: c } = await this.sts.send(
      new AssumeRoleCommand({ RoleArn: access.roleArn, RoleSessionName: roleSessionName(access.jobId), DurationSeconds: this.options.durationSeconds ?? 3600 }),
    );
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.Expiration === undefined) {
      throw new StoreError(`STS returned no credentials for ${access.roleArn}`);
    }
    const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    const client = new S3Client({ forcePathStyle: true, ...this.options.s3Config, credentials });
    this.dropExpired();
    this.sessions.set(cacheKey, { client, renewAtMs: c.Expiration.getTime() - this.refreshMs });
    return client;
  }

  /** Finished jobs' sessions are not kept past their expiry in a warm Lambda. */
  private dropExpired(): void {
    for (const [key, session] of this.sessions) {
      if (this.now() >= session.renewAtMs) {
        session.client.destroy();
        this.sessions.delete(key);
      }
    }
  }
}
