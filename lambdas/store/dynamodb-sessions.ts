/**
 * Sessions in the single table: one item per session (the record, its optimistic version and its sealed voice
 * state), one item per name pointing at the newest session of the name and saying whether it still holds it, and
 * the domain's `activeSessionCount`. Active sessions sit in GSI1's `SESSION_ACTIVITY` partition by last activity,
 * where the idle sweep finds them. The TTL `expiresAt` is 24 h after the end, or after last activity + idle time.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  QuotaExceededError,
  ResourceConflictError,
  type DomainKeyRef,
  type IdempotencyRecord,
  type ReencryptionPage,
  type SessionRecord,
  type SessionRepository,
  type SessionReadOptions,
  type StoredSession,
} from '../voiceid/index.js';
import { countedWrite, releaseCount } from './counted-write.js';
import { clientTokenClaim } from './dynamodb-client-tokens.js';
import { rewrapDomainItems } from './dynamodb-rewrap.js';
import type { DomainEnvelope } from './envelope.js';
import { CorruptItemError } from './errors.js';
import { GSI1, PK, SK, TTL, type TableRef, type TransactItem, isConditionFailure, keys, queryDueItems, sortableMs, transact, ttlSeconds } from './table.js';

/** GSI1 partition of active sessions, sorted by last activity. */
const ACTIVITY_PARTITION = 'SESSION_ACTIVITY';
/** How long an ended session's record stays readable. */
const RETENTION_MS = 24 * 60 * 60 * 1000;
const ACTIVE_COUNTER = 'activeSessionCount';

/** DynamoDB + KMS adapter of `SessionRepository`. */
export class DynamoDbSessionRepository implements SessionRepository {
  constructor(
    private readonly table: TableRef,
    private readonly envelope: DomainEnvelope,
    /** Idle seconds an active session's TTL allows for beyond its last activity. */
    private readonly idleSeconds: () => number,
  ) {}

  async createSession(session: SessionRecord, options: { maxActiveSessions: number; idempotency?: IdempotencyRecord }): Promise<void> {
    const { maxActiveSessions, idempotency } = options;
    const { tableName } = this.table;
    const nameClaim: TransactItem = {
      Put: {
        TableName: tableName,
        Item: { ...keys.sessionName(session.domainId, session.sessionName), sessionId: session.sessionId, active: true },
        ConditionExpression: 'attribute_not_exists(#pk) OR active = :false',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':false': false },
      },
    };
    await countedWrite(this.table, {
      domain: {
        domainId: session.domainId,
        counter: {
          attribute: ACTIVE_COUNTER,
          max: maxActiveSessions,
          full: () =>
            new QuotaExceededError('activeSessionsPerDomain', maxActiveSessions, `The domain already has the maximum of ${maxActiveSessions} active sessions`),
        },
      },
      newItems: [this.item(session)],
      otherWrites: [nameClaim, ...(idempotency === undefined ? [] : [clientTokenClaim(tableName, idempotency)])],
      conflict: (index) =>
        index === 0
          ? new ResourceConflictError('ANOTHER_ACTIVE_STREAM', `A session named ${session.sessionName} is still active in this domain`)
          : new ResourceConflictError('CONCURRENT_CHANGES', 'The session was started by a concurrent request'),
    });
  }

  async getSession(domainId: string, sessionId: string, options?: SessionReadOptions): Promise<StoredSession | undefined> {
    const recordOnly = options?.voiceState === false && { ProjectionExpression: '#record', ExpressionAttributeNames: { '#record': 'record' } };
    const result = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.session(domainId, sessionId), ConsistentRead: true, ...recordOnly }),
    );
    return result.Item === undefined ? undefined : stored(result.Item);
  }

  async findSessionByName(domainId: string, sessionName: string, options?: SessionReadOptions): Promise<StoredSession | undefined> {
    const result = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.sessionName(domainId, sessionName), ConsistentRead: true }),
    );
    const sessionId = result.Item?.sessionId;
    return typeof sessionId === 'string' ? this.getSession(domainId, sessionId, options) : undefined;
  }

  async updateSession(domain: DomainKeyRef, session: SessionRecord, options: { expectedVersion: number; voiceState?: Uint8Array | null }): Promise<void> {
    const ending = session.streamingStatus === 'ENDED';
    const sealed = ending || options.voiceState === null || options.voiceState === undefined ? options.voiceState : await this.envelope.seal(domain, options.voiceState);
    const update = this.update(session, options.expectedVersion, ending ? null : sealed);
    const conflict = () => new ResourceConflictError('CONCURRENT_CHANGES', 'The session was changed by a concurrent request; try again');
    if (!ending) {
      try {
        await this.table.client.send(new UpdateCommand(update));
      } catch (error) {
        if (isConditionFailure(error)) throw conflict();
        throw error;
      }
      return;
    }
    // Ending: the record, the name and the quota slot change together. Only the write that ends an active session
    // gets here (the version check below), so the slot is given back once.
    const { tableName } = this.table;
    const wasActive = (await this.getSession(session.domainId, session.sessionId))?.record.streamingStatus !== 'ENDED';
    const releases: TransactItem[] = wasActive
      ? [
          {
            Update: {
              TableName: tableName,
              Key: keys.sessionName(session.domainId, session.sessionName),
              UpdateExpression: 'SET active = :false',
              ConditionExpression: 'sessionId = :id',
              ExpressionAttributeValues: { ':false': false, ':id': session.sessionId },
            },
          },
          releaseCount(tableName, keys.domain(session.domainId), ACTIVE_COUNTER),
        ]
      : [];
    await transact(this.table, [{ Update: update }, ...releases], () => conflict());
  }

  async openVoiceState(domain: DomainKeyRef, sealed: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(await this.envelope.open(domain, sealed));
  }

  reencryptPage(domain: DomainKeyRef, keyArn: string, cursor: string | undefined, limit: number): Promise<ReencryptionPage> {
    // Only active sessions keep a voice state; ending one destroys it.
    return rewrapDomainItems(this.table, this.envelope, domain, keyArn, { sortKeyPrefix: 'SESSION#', attribute: 'voiceState' }, cursor, limit);
  }

  async listActiveSessions(domainId: string): Promise<SessionRecord[]> {
    const sessions: SessionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          FilterExpression: '#status <> :ended',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK, '#status': 'streamingStatus', '#record': 'record' },
          ExpressionAttributeValues: { ':pk': keys.domain(domainId)[PK], ':prefix': 'SESSION#', ':ended': 'ENDED' },
          ProjectionExpression: '#pk, #sk, #record',
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      sessions.push(...(page.Items ?? []).map((item) => stored(item).record));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return sessions;
  }

  async listIdleSessions(lastActivityAtMs: number, limit: number): Promise<SessionRecord[]> {
    const due = await queryDueItems(this.table, ACTIVITY_PARTITION, lastActivityAtMs, limit);
    const found = await Promise.all(due.map((item) => this.getSession(String(item.domainId), String(item.sessionId))));
    return found.filter((s): s is StoredSession => s !== undefined && s.record.streamingStatus !== 'ENDED').map((s) => s.record);
  }

  private item(session: SessionRecord): Record<string, unknown> {
    return {
      ...keys.session(session.domainId, session.sessionId),
      domainId: session.domainId,
      sessionId: session.sessionId,
      streamingStatus: session.streamingStatus,
      version: session.version,
      record: session,
      [GSI1.partitionKey]: ACTIVITY_PARTITION,
      [GSI1.sortKey]: activityKey(session),
      [TTL]: ttlSeconds(this.expiresAtMs(session)),
    };
  }

  private expiresAtMs(session: SessionRecord): number {
    return session.endedAtMs !== undefined ? session.endedAtMs + RETENTION_MS : session.lastActivityAtMs + this.idleSeconds() * 1000 + RETENTION_MS;
  }

  /** The conditional update that writes `session` over `expectedVersion`; `sealed`: bytes to store, null to remove, undefined to keep. */
  private update(session: SessionRecord, expectedVersion: number, sealed: Uint8Array | null | undefined) {
    const ended = session.streamingStatus === 'ENDED';
    const set = ['#record = :record', '#status = :status', '#version = :version', '#ttl = :ttl'];
    const remove: string[] = [];
    const values: Record<string, unknown> = {
      ':record': session,
      ':status': session.streamingStatus,
      ':version': session.version,
      ':ttl': ttlSeconds(this.expiresAtMs(session)),
      ':expected': expectedVersion,
    };
    if (ended) remove.push('#gpk', '#gsk');
    else {
      set.push('#gpk = :gpk', '#gsk = :gsk');
      values[':gpk'] = ACTIVITY_PARTITION;
      values[':gsk'] = activityKey(session);
    }
    if (sealed === null) remove.push('voiceState');
    else if (sealed !== undefined) {
      set.push('voiceState = :state');
      values[':state'] = sealed;
    }
    return {
      TableName: this.table.tableName,
      Key: keys.session(session.domainId, session.sessionId),
      UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#record': 'record', '#status': 'streamingStatus', '#version': 'version', '#ttl': TTL, '#gpk': GSI1.partitionKey, '#gsk': GSI1.sortKey },
      ExpressionAttributeValues: values,
    };
  }
}

function activityKey(session: SessionRecord): string {
  return `${sortableMs(session.lastActivityAtMs)}#${session.domainId}#${session.sessionId}`;
}

function stored(item: Record<string, unknown>): StoredSession {
  const record = item.record as SessionRecord | undefined;
  if (record === undefined || typeof record !== 'object') throw new CorruptItemError(String(item[SK]), 'no session record');
  const state = item.voiceState;
  if (state !== undefined && !(state instanceof Uint8Array)) throw new CorruptItemError(String(item[SK]), 'voice state is not binary');
  return { record, ...(state !== undefined && { sealedVoiceState: state }) };
}
