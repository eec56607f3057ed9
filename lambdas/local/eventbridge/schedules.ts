/**
 * EventBridge's scheduled rules, locally: every enabled `rate(...)` rule of the template invokes its Lambda targets
 * with a "Scheduled Event" at that rate, so the daily retention sweep runs under `timbre serve` as it does in AWS.
 * A laptop is rarely up for a day, so each schedule also fires once shortly after start.
 */
import { randomUUID } from 'node:crypto';
import { TemplateError } from '../shared/errors.js';
import type { TemplateResolver } from '../template/resolver.js';

/** A scheduled rule from the template, resolved to local names. */
export interface ScheduledRule {
  readonly logicalId: string;
  readonly arn: string;
  readonly periodMs: number;
  /** ARNs of the Lambda functions it invokes. */
  readonly targets: readonly string[];
}

const UNIT_MS: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * The period of a `rate(value unit)` expression.
 * @throws TemplateError for cron expressions and malformed rates (the local mode runs rates only)
 */
export function ratePeriodMs(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (match === null) throw new TemplateError(`schedule ${JSON.stringify(expression)}: the local mode runs rate(N minute|hour|day) schedules only`);
  const value = Number(match[1]);
  if (value < 1) throw new TemplateError(`schedule ${JSON.stringify(expression)}: the rate must be at least 1`);
  return value * UNIT_MS[match[2]!.replace(/s$/, '')]!;
}

/** The template's enabled scheduled rules. */
export function scheduledRules(resolver: TemplateResolver): ScheduledRule[] {
  return resolver.ofType('AWS::Events::Rule').flatMap((logicalId) => {
    const props = resolver.resolve(resolver.resource(logicalId).Properties ?? {}) as { ScheduleExpression?: string; State?: string; Targets?: Array<{ Arn: string }> };
    if (props.ScheduleExpression === undefined || props.State === 'DISABLED') return [];
    return [{
      logicalId,
      arn: resolver.attribute(logicalId, 'Arn'),
      periodMs: ratePeriodMs(props.ScheduleExpression),
      targets: (props.Targets ?? []).map((t) => t.Arn),
    }];
  });
}

/** The event EventBridge sends a scheduled rule's targets. */
export function scheduledEvent(rule: ScheduledRule, region: string, accountId: string, now = new Date()): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [rule.arn],
    detail: {},
  };
}

/** How the local schedules run. */
export interface ScheduleOptions {
  readonly region: string;
  readonly accountId: string;
  /** Invokes a target function with the event. */
  readonly invoke: (functionArn: string, event: Record<string, unknown>) => Promise<unknown>;
  readonly onError: (error: unknown) => void;
  /** When each schedule first fires after start. @default 60 s */
  readonly firstRunDelayMs?: number;
}

/**
 * Starts every rule's timer (unref'd: they never keep the process alive). A run still going when the next is due is
 * not doubled. Returns a function that stops them.
 */
export function startSchedules(rules: readonly ScheduledRule[], options: ScheduleOptions): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const rule of rules) {
    let running = false;
    const fire = (): void => {
      if (running) return;
      running = true;
      const event = scheduledEvent(rule, options.region, options.accountId);
      void Promise.allSettled(rule.targets.map((arn) => options.invoke(arn, event)))
        .then((results) => {
          for (const result of results) if (result.status === 'rejected') options.onError(result.reason);
        })
        .finally(() => {
          running = false;
        });
    };
    const first = setTimeout(() => {
      fire();
      const every = setInterval(fire, rule.periodMs);
      every.unref();
      timers.push(every);
    }, options.firstRunDelayMs ?? 60_000);
    first.unref();
    timers.push(first);
  }
  return () => {
    for (const timer of timers) clearTimeout(timer);
  };
}
