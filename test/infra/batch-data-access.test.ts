/** The batch workflow acts as the job's DataAccessRoleArn in AWS: who may assume which role, and who is told to. */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/contract/env-names.js';
import { TimbreStack } from '../../lib/timbre-stack.js';

const CUSTOMER_ROLE = 'arn:aws:iam::444455556666:role/voiceid-batch-access';
const ACTS_AS_ROLE = ['lambdas/handlers/batch-prepare.ts', 'lambdas/handlers/batch-record.ts', 'lambdas/handlers/batch-finish.ts'];

type Resource = { Properties: Record<string, any>; Metadata?: Record<string, unknown> };

describe('TimbreBatchWorkflow data access', () => {
  let template: Template;
  let functions: Record<string, Resource>;
  let batchRoleArn: unknown;

  beforeAll(() => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new TimbreStack(app, 'Timbre', { env: { account: '111122223333', region: 'eu-west-2' }, batchDataAccessRoleArns: [CUSTOMER_ROLE] });
    template = Template.fromStack(stack);
    functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    const [batchRole] = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { Description: 'Timbre: default data-access role of batch jobs started by a manifest upload' } }));
    batchRoleArn = { 'Fn::GetAtt': [batchRole, 'Arn'] };
  });

  it('grants sts:AssumeRole on the stack\'s batch role and the configured roles only, to the batch functions only', () => {
    // Prepare
    const roleOf = (fn: Resource): string => (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const batchFunctionRoles = new Set(Object.values(functions).filter((f) => String(f.Metadata?.['timbre:entry']).startsWith('lambdas/handlers/batch-')).map(roleOf));
    // Act
    const grants: Array<{ roles: string[]; resources: unknown }> = [];
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy')) as Resource[]) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>) {
        const actions = [statement.Action].flat();
        if (actions.some((a) => typeof a === 'string' && a.startsWith('sts:'))) {
          grants.push({ roles: (policy.Properties.Roles as Array<{ Ref: string }>).map((r) => r.Ref), resources: statement.Resource });
          expect(actions).toEqual(['sts:AssumeRole']);
        }
      }
    }
    // Assess
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) {
      expect(grant.resources).toEqual([batchRoleArn, CUSTOMER_ROLE]);
      for (const role of grant.roles) expect(batchFunctionRoles.has(role)).toBe(true);
    }
    const granted = new Set(grants.flatMap((g) => g.roles));
    for (const entry of ACTS_AS_ROLE) {
      const fn = Object.values(functions).find((f) => f.Metadata?.['timbre:entry'] === entry)!;
      expect(granted.has(roleOf(fn))).toBe(true);
    }
  });

  it(`sets ${ENV.BATCH_ASSUME_ROLE} on the steps that read and write the customer's S3, and on no other function`, () => {
    const told = Object.values(functions)
      .filter((f) => f.Properties.Environment?.Variables?.[ENV.BATCH_ASSUME_ROLE] === 'true')
      .map((f) => f.Metadata?.['timbre:entry'])
      .sort();
    expect(told).toEqual([...ACTS_AS_ROLE].sort());
  });
});
