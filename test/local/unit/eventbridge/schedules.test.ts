import { afterEach, describe, expect, it, vi } from 'vitest';
import { LambdaRegistry } from '../../../../lambdas/local/lambda/registry.js';
import { ratePeriodMs, scheduledRules, startSchedules, type ScheduledRule } from '../../../../lambdas/local/eventbridge/schedules.js';
import { TemplateError } from '../../../../lambdas/local/shared/errors.js';
import { buildTimbreStack, synthesizeTemplate } from '../../../../lambdas/local/template/synthesize.js';
import { TemplateResolver } from '../../../../lambdas/local/template/resolver.js';

const ACCOUNT = { region: 'us-east-1', accountId: '000000000000', stackName: 'S' };
const HOUR = 3_600_000;

afterEach(() => {
  vi.useRealTimers();
});

describe('ratePeriodMs', () => {
  it('reads rate expressions in minutes, hours and days, singular or plural', () => {
    expect(ratePeriodMs('rate(1 day)')).toBe(24 * HOUR);
    expect(ratePeriodMs('rate(6 hours)')).toBe(6 * HOUR);
    expect(ratePeriodMs('rate(5 minutes)')).toBe(300_000);
  });

  it('refuses cron expressions and malformed rates by name', () => {
    expect(() => ratePeriodMs('cron(0 3 * * ? *)')).toThrow(TemplateError);
    expect(() => ratePeriodMs('rate(0 days)')).toThrow(/at least 1/);
    expect(() => ratePeriodMs('rate(1 week)')).toThrow(/rate\(N minute\|hour\|day\)/);
  });
});

describe('startSchedules', () => {
  const rule: ScheduledRule = { logicalId: 'Daily', arn: 'arn:aws:events:us-east-1:000000000000:rule/Daily', periodMs: 24 * HOUR, targets: ['arn:sweep'] };

  it('fires once shortly after start, then at the rate, with a Scheduled Event naming the rule', async () => {
    vi.useFakeTimers();
    const calls: Array<{ arn: string; event: Record<string, unknown> }> = [];
    const stop = startSchedules([rule], { ...ACCOUNT, invoke: async (arn, event) => void calls.push({ arn, event }), onError: () => {}, firstRunDelayMs: 60_000 });
    await vi.advanceTimersByTimeAsync(59_999);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2 * 24 * HOUR);
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatchObject({ arn: 'arn:sweep', event: { 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', resources: [rule.arn], detail: {} } });
    stop();
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(calls).toHaveLength(3);
  });

  it('never runs a schedule twice at once, and reports a failed run', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let started = 0;
    let finish: () => void = () => {};
    const invoke = () => {
      started += 1;
      return started === 1 ? new Promise<void>((resolve) => (finish = resolve)) : Promise.reject(new Error('sweep failed'));
    };
    const stop = startSchedules([{ ...rule, periodMs: 1000 }], { ...ACCOUNT, invoke, onError: (e) => errors.push(e), firstRunDelayMs: 0 });
    await vi.advanceTimersByTimeAsync(3500);
    expect(started).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toBe(2);
    expect(errors).toEqual([new Error('sweep failed')]);
    stop();
  });
});

describe('the Timbre stack in local mode', () => {
  it('schedules the retention sweep once a day, targeting the sweep function', async () => {
    const { stackName, template } = await synthesizeTemplate(buildTimbreStack(), { account: ACCOUNT.accountId, region: ACCOUNT.region });
    const resolver = new TemplateResolver(template, { ...ACCOUNT, stackName });
    const rules = scheduledRules(resolver);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.periodMs).toBe(24 * HOUR);
    const functions = new LambdaRegistry(resolver);
    expect(rules[0]!.targets.map((arn) => functions.find(arn)?.entry)).toEqual(['lambdas/handlers/lifecycle-sweep.ts']);
  });
});
