import { randomUUID } from 'node:crypto';
import { matchesEventPattern, targetInput } from './event-pattern.js';
import type { S3EventRecord } from '../s3/s3rver-process.js';
import type { TemplateResolver } from '../template/resolver.js';

/** An EventBridge rule from the template, resolved to local names. */
export interface LocalRule {
  logicalId: string;
  pattern: Record<string, unknown>;
  targets: Array<{ Arn: string; Input?: string; InputPath?: string; InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string } }>;
}

/** The EventBridge "Object Created" event S3 sends for a bucket with EventBridge notifications on. */
export function objectCreatedEvent(record: S3EventRecord, region: string, accountId: string): Record<string, unknown> {
  const bucket = record.s3.bucket.name;
  // Notification records URL-encode keys; EventBridge events carry them plain.
  const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: accountId,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size: record.s3.object.size ?? 0, etag: record.s3.object.eTag ?? '', sequencer: Date.now().toString(16).toUpperCase() },
      'request-id': randomUUID(),
      requester: accountId,
      'source-ip-address': '127.0.0.1',
      reason: record.eventName.replace(/^ObjectCreated:/, ''),
    },
  };
}

/** Buckets whose Custom::S3BucketNotifications switch EventBridge on. */
export function eventBridgeBuckets(resolver: TemplateResolver): Set<string> {
  const names = new Set<string>();
  for (const id of resolver.ofType('Custom::S3BucketNotifications')) {
    const props = resolver.resolve(resolver.resource(id).Properties ?? {}) as { BucketName?: string; NotificationConfiguration?: { EventBridgeConfiguration?: unknown } };
    if (props.NotificationConfiguration?.EventBridgeConfiguration !== undefined && props.BucketName !== undefined) names.add(props.BucketName);
  }
  return names;
}

/** The template's enabled rules on the default bus. */
export function templateRules(resolver: TemplateResolver): LocalRule[] {
  return resolver.ofType('AWS::Events::Rule').flatMap((logicalId) => {
    const props = resolver.resolve(resolver.resource(logicalId).Properties ?? {}) as { EventPattern?: Record<string, unknown>; State?: string; Targets?: LocalRule['targets']; EventBusName?: string };
    if (props.EventPattern === undefined || (props.State ?? 'ENABLED') !== 'ENABLED') return [];
    if (props.EventBusName !== undefined && props.EventBusName !== 'default') return [];
    return [{ logicalId, pattern: props.EventPattern, targets: props.Targets ?? [] }];
  });
}

/**
 * Routes s3rver's object events the way S3 → EventBridge → rule → target does: only for buckets with
 * EventBridge notifications on, only "Object Created", to every matching rule's Step Functions
 * targets (with the target's input transformation).
 */
export function routeS3Event(
  record: S3EventRecord,
  context: { buckets: Set<string>; rules: LocalRule[]; region: string; accountId: string },
  startExecution: (stateMachineArn: string, input: string) => void,
): number {
  if (!record.eventName.startsWith('ObjectCreated:') || !context.buckets.has(record.s3.bucket.name)) return 0;
  const event = objectCreatedEvent(record, context.region, context.accountId);
  let started = 0;
  for (const rule of context.rules) {
    if (!matchesEventPattern(rule.pattern, event)) continue;
    for (const target of rule.targets) {
      if (!target.Arn.includes(':states:')) continue;
      startExecution(target.Arn, targetInput(target, event));
      started += 1;
    }
  }
  return started;
}
