/**
 * CDK app entry (`cdk synth`, `cdk deploy`). Account and region come from the environment the CDK
 * CLI sets (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION from your AWS profile); the stack needs a
 * concrete region because its TableV2 uses a customer-managed key. Context `timbre:quotas` passes
 * quota overrides (JSON) to the API; `timbre:streamNamePrefix` and `timbre:connectInstanceArn` narrow what the
 * Connect Lambdas may read and who may invoke them; `timbre:speakerModelCard` chooses the speaker model card (a path
 * in models/). cdk-nag's AwsSolutions checks run on every synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TimbreStack } from '../lib/timbre-stack.js';

const app = new App();
const quotas = app.node.tryGetContext('timbre:quotas') as string | undefined;
const streamNamePrefix = app.node.tryGetContext('timbre:streamNamePrefix') as string | undefined;
const connectInstanceArn = app.node.tryGetContext('timbre:connectInstanceArn') as string | undefined;
const batchConcurrency = app.node.tryGetContext('timbre:batchConcurrency') as string | number | undefined;
// Comma-separated: the customers' data-access roles batch jobs may assume.
const batchRoles = app.node.tryGetContext('timbre:batchDataAccessRoleArns') as string | undefined;
const speakerModelCard = app.node.tryGetContext('timbre:speakerModelCard') as string | undefined;
new TimbreStack(app, 'Timbre', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' },
  description: 'Timbre: self-hosted voice authentication speaking the Amazon Connect Voice ID API',
  ...(quotas === undefined ? {} : { quotas: typeof quotas === 'string' ? quotas : JSON.stringify(quotas) }),
  ...(streamNamePrefix === undefined ? {} : { streamNamePrefix }),
  ...(connectInstanceArn === undefined ? {} : { connectInstanceArn }),
  ...(batchConcurrency === undefined ? {} : { batchConcurrency: Number(batchConcurrency) }),
  ...(batchRoles === undefined ? {} : { batchDataAccessRoleArns: batchRoles.split(',').map((arn) => arn.trim()).filter((arn) => arn !== '') }),
  ...(speakerModelCard === undefined ? {} : { speakerModelCard }),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
