/** Per-operation throttling over the real counter items in DynamoDB Local. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Throttle, ThrottlingException } from '../../../lambdas/api/index.js';
import { DynamoDbRequestCounter } from '../../../lambdas/store/index.js';
import { localServiceConfig, timbreTestEnv } from '../../support/voiceid-client.js';

const table = () => ({ client: DynamoDBDocumentClient.from(new DynamoDBClient(localServiceConfig('dynamodb'))), tableName: timbreTestEnv().resources.tableName });

function recordingReporter() {
  const errors: string[] = [];
  return { errors, error: (message: string) => void errors.push(message) };
}

describe('Throttle over DynamoDB request counters', () => {
  it('admits exactly the limit of concurrent requests in one second, then the next second again', async () => {
    // Prepare: an operation name of this test's own, so no other test's requests share its counter
    const operation = `Op${randomUUID().slice(0, 8)}`;
    let now = Date.UTC(2026, 11, 2, 3, 0, 0, 100);
    const throttle = new Throttle(new DynamoDbRequestCounter(table()), { [operation]: 10 }, recordingReporter(), () => now);
    // Act
    const first = await Promise.allSettled(Array.from({ length: 25 }, () => throttle.admit(operation)));
    now += 1000;
    const next = await Promise.allSettled(Array.from({ length: 3 }, () => throttle.admit(operation)));
    // Assess
    expect(first.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const refused = first.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    expect(refused).toHaveLength(15);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(ThrottlingException);
      expect((reason as ThrottlingException).statusCode).toBe(429);
      expect((reason as Error).message).toBe(`Rate exceeded: ${operation} allows 10 requests per second`);
    }
    expect(next.every((r) => r.status === 'fulfilled')).toBe(true);
  });

  it('counts each operation on its own', async () => {
    const [a, b] = [`A${randomUUID().slice(0, 8)}`, `B${randomUUID().slice(0, 8)}`];
    const now = Date.UTC(2026, 11, 2, 3, 0, 5);
    const throttle = new Throttle(new DynamoDbRequestCounter(table()), { [a]: 1, [b]: 1 }, recordingReporter(), () => now);
    await throttle.admit(a);
    await expect(throttle.admit(b)).resolves.toBeUndefined();
    await expect(throttle.admit(a)).rejects.toBeInstanceOf(ThrottlingException);
  });

  it('lets requests through, and reports it, when the counter cannot be reached', async () => {
    const reporter = recordingReporter();
    const broken = { ...table(), tableName: 'no-such-table' };
    const throttle = new Throttle(new DynamoDbRequestCounter(broken), { Op: 1 }, reporter);
    await throttle.admit('Op');
    await throttle.admit('Op');
    expect(reporter.errors).toEqual(['Request counter failed; request admitted unthrottled', 'Request counter failed; request admitted unthrottled']);
  });
});
