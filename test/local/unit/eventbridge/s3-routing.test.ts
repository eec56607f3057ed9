import { describe, expect, it } from 'vitest';
import { STACK_OUTPUTS } from '../../../../lib/contract/stack-contract.js';
import { LambdaRegistry } from '../../../../lambdas/local/lambda/registry.js';
import { routeS3Event, templateRules } from '../../../../lambdas/local/eventbridge/s3-routing.js';
import type { S3EventRecord } from '../../../../lambdas/local/s3/s3rver-process.js';
import { buildTimbreStack, synthesizeTemplate } from '../../../../lambdas/local/template/synthesize.js';
import { TemplateResolver } from '../../../../lambdas/local/template/resolver.js';

const ACCOUNT = { region: 'us-east-1', accountId: '000000000000', stackName: 'S' };

const s3PatternRule = {
  Type: 'AWS::Events::Rule',
  Properties: {
    EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [{ Ref: 'BatchBucket' }] } } },
    Targets: [{ Arn: { Ref: 'Machine' }, Id: 'Target0' }],
  },
};
const scheduleRule = {
  Type: 'AWS::Events::Rule',
  Properties: { ScheduleExpression: 'rate(1 day)', State: 'ENABLED', Targets: [{ Arn: { 'Fn::GetAtt': ['Sweep', 'Arn'] }, Id: 'Target0' }] },
};

describe('templateRules', () => {
  it('keeps event-pattern rules and skips schedule-only rules when both are in the template', () => {
    const resolver = new TemplateResolver({
      Resources: {
        BatchBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
        Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
        Sweep: { Type: 'AWS::Lambda::Function', Properties: {} },
        OnManifest: s3PatternRule,
        Daily: scheduleRule,
      },
    }, ACCOUNT);
    const rules = templateRules(resolver);
    expect(rules.map((r) => r.logicalId)).toEqual(['OnManifest']);
    expect(rules[0]!.pattern).toEqual({ source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['batchbucket'] } } });
  });

  it('lets an object event reach no target when the only rule is a schedule', () => {
    const resolver = new TemplateResolver({ Resources: { Sweep: { Type: 'AWS::Lambda::Function', Properties: {} }, Daily: scheduleRule } }, ACCOUNT);
    const record: S3EventRecord = { eventName: 'ObjectCreated:Put', eventTime: new Date().toISOString(), s3: { bucket: { name: 'batch' }, object: { key: 'manifest.json', size: 2 } } };
    const started: string[] = [];
    const count = routeS3Event(record, { buckets: new Set(['batch']), rules: templateRules(resolver), region: ACCOUNT.region, accountId: ACCOUNT.accountId }, (arn) => started.push(arn));
    expect(count).toBe(0);
    expect(started).toEqual([]);
  });
});

describe('the Timbre stack in local mode', () => {
  it('leaves the daily sweep rule out of S3 routing and resolves the sweep function and its target to local names', async () => {
    const { stackName, template } = await synthesizeTemplate(buildTimbreStack(), { account: ACCOUNT.accountId, region: ACCOUNT.region });
    const resolver = new TemplateResolver(template, { ...ACCOUNT, stackName });
    const daily = resolver.ofType('AWS::Events::Rule').filter((id) => resolver.resource(id).Properties?.ScheduleExpression === 'rate(1 day)');
    expect(daily).toHaveLength(1);
    expect(templateRules(resolver).map((r) => r.logicalId)).not.toContain(daily[0]);

    const sweep = new LambdaRegistry(resolver).all().find((fn) => fn.entry === 'lambdas/handlers/lifecycle-sweep.ts');
    expect(sweep).toBeDefined();
    expect(sweep!.environment.TIMBRE_TABLE_NAME).toBe(resolver.output(STACK_OUTPUTS.tableName));
    expect(sweep!.environment.TIMBRE_AUDIO_BUCKET).toBe(resolver.output(STACK_OUTPUTS.audioBucket));
    const target = (resolver.resolve(resolver.resource(daily[0]!).Properties!.Targets) as Array<{ Arn: string }>)[0]!;
    expect(target.Arn).toBe(sweep!.arn);
  });
});
