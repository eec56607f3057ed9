/**
 * Batch jobs in the single table: the job item under its domain, an active-job lock per (domain, type) that also
 * lists active jobs in GSI1 (partition `ACTIVE_JOBS`) for a restart to resume, and one outcome item per record,
 * written once with the job's progress counter in the same transaction.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { QuotaExceededError, ResourceConflictError, type IdempotencyRecord, type Page, type PageRequest } from '../voiceid/index.js';
import { FINAL_STATUSES, type JobRecord, type JobRepository, type JobStatus, type JobType, type RecordClaim, type RecordOutcome } from '../voiceid/jobs/index.js';
import { clientTokenClaim } from './dynamodb-client-tokens.js';
import { GSI1, PK, SK, TTL, type TableRef, isConditionFailure, keys, queryDomainItems, transact, transactIfConditionsHold, ttlSeconds } from './table.js';

/** GSI1 partition listing the active-job locks of every domain. */
export const ACTIVE_JOBS_PARTITION = 'ACTIVE_JOBS';
/** How long a job's per-record outcomes are kept after they are written (the output file keeps them for good). */
const OUTCOME_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

/** DynamoDB adapter of `JobRepository`. */
export class DynamoDbJobRepository implements JobRepository {
  constructor(private readonly table: TableRef) {}

  async createJob(job: JobRecord, options: { idempotency?: IdempotencyRecord }): Promise<void> {
    const lock = {
      ...keys.activeJob(job.domainId, job.type),
      jobId: job.jobId,
      jobType: job.type,
      domainId: job.domainId,
      [GSI1.partitionKey]: ACTIVE_JOBS_PARTITION,
      [GSI1.sortKey]: `${job.domainId}#${job.type}`,
    };
    const absent = { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } };
    await transact(
      this.table,
      [
        { Put: { TableName: this.table.tableName, Item: { ...keys.job(job.domainId, job.type, job.jobId), ...job }, ...absent } },
        { Put: { TableName: this.table.tableName, Item: lock, ...absent } },
        ...(options.idempotency === undefined ? [] : [clientTokenClaim(this.table.tableName, options.idempotency)]),
      ],
      (index) =>
        index === 1
          ? new QuotaExceededError('activeJobsPerDomain', 1, `The domain already has an active ${job.type === 'ENROLLMENT' ? 'speaker enrollment' : 'fraudster registration'} job; wait for it to end`)
          : new ResourceConflictError('CONCURRENT_CHANGES', 'The job was created by a concurrent request'),
    );
  }

  async getJob(domainId: string, type: JobType, jobId: string): Promise<JobRecord | undefined> {
    const result = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.job(domainId, type, jobId), ConsistentRead: true }));
    return result.Item === undefined ? undefined : jobFromItem(result.Item);
  }

  async listJobs(domainId: string, type: JobType, status: JobStatus | undefined, page: PageRequest): Promise<Page<JobRecord>> {
    const filter = status === undefined ? undefined : { expression: '#status = :status', values: { ':status': status }, names: { '#status': 'status' } };
    const found = await queryDomainItems(this.table, domainId, `JOB#${type}#`, page, filter);
    return { ...found, items: found.items.map(jobFromItem) };
  }

  async updateJob(job: JobRecord): Promise<void> {
    // doneRecords is left alone: recordOutcome counts it.
    const set: Record<string, unknown> = {
      ':status': job.status,
      ...(job.totalRecords !== undefined && { ':total': job.totalRecords }),
      ...(job.endedAtMs !== undefined && { ':ended': job.endedAtMs }),
      ...(job.failure !== undefined && { ':failure': job.failure }),
    };
    const parts = ['#status = :status', ':total' in set && 'totalRecords = :total', ':ended' in set && 'endedAtMs = :ended', ':failure' in set && 'failure = :failure'];
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.job(job.domainId, job.type, job.jobId),
        UpdateExpression: `SET ${parts.filter(Boolean).join(', ')}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: set,
      }),
    );
    if (!FINAL_STATUSES.includes(job.status)) return;
    try {
      await this.table.client.send(
        new DeleteCommand({
          TableName: this.table.tableName,
          Key: keys.activeJob(job.domainId, job.type),
          ConditionExpression: 'jobId = :jobId',
          ExpressionAttributeValues: { ':jobId': job.jobId },
        }),
      );
    } catch (error) {
      // Released already, or the lock is another job's: nothing to release.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async recordOutcome(job: Pick<JobRecord, 'domainId' | 'type' | 'jobId'>, outcome: RecordOutcome): Promise<boolean> {
    return transactIfConditionsHold(this.table, [
      {
        Put: {
          TableName: this.table.tableName,
          Item: { ...keys.jobRecord(job.jobId, outcome.index), outcome, [TTL]: ttlSeconds(Date.now() + OUTCOME_LIFETIME_MS) },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        },
      },
      {
        Update: {
          TableName: this.table.tableName,
          Key: keys.job(job.domainId, job.type, job.jobId),
          UpdateExpression: 'ADD doneRecords :one',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
    ]);
  }

  async claimRecord(jobId: string, claim: RecordClaim): Promise<RecordClaim> {
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...keys.jobRecordClaim(jobId, claim.index), claim, [TTL]: ttlSeconds(Date.now() + OUTCOME_LIFETIME_MS) },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      return claim;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // An earlier or concurrent attempt claimed it first: its decision holds.
      const held = await this.getClaim(jobId, claim.index);
      if (held === undefined) throw error;
      return held;
    }
  }

  async getClaim(jobId: string, index: number): Promise<RecordClaim | undefined> {
    const result = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.jobRecordClaim(jobId, index), ConsistentRead: true }));
    return result.Item?.claim as RecordClaim | undefined;
  }

  async getOutcome(jobId: string, index: number): Promise<RecordOutcome | undefined> {
    const result = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.jobRecord(jobId, index), ConsistentRead: true }));
    return result.Item?.outcome as RecordOutcome | undefined;
  }

  async listOutcomes(jobId: string): Promise<RecordOutcome[]> {
    const outcomes: RecordOutcome[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PK },
          ExpressionAttributeValues: { ':pk': keys.jobRecord(jobId, 0)[PK] },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) outcomes.push(item.outcome as RecordOutcome);
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return outcomes;
  }

  async listActiveJobs(): Promise<Array<Pick<JobRecord, 'domainId' | 'type' | 'jobId'>>> {
    const found: Array<Pick<JobRecord, 'domainId' | 'type' | 'jobId'>> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          IndexName: GSI1.indexName,
          KeyConditionExpression: '#gpk = :gpk',
          ExpressionAttributeNames: { '#gpk': GSI1.partitionKey },
          ExpressionAttributeValues: { ':gpk': ACTIVE_JOBS_PARTITION },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) found.push({ domainId: String(item.domainId), type: item.jobType as JobType, jobId: String(item.jobId) });
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return found;
  }
}

function jobFromItem(item: Record<string, unknown>): JobRecord {
  const { [PK]: _pk, [SK]: _sk, ...job } = item;
  return { ...(job as unknown as JobRecord), doneRecords: Number(item.doneRecords ?? 0) };
}
