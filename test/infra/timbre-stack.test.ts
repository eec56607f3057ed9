import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV as ENV_NAMES } from '../../lib/contract/env-names.js';
import { TABLE_SCHEMA } from '../../lib/contract/table-schema.js';
import { InferenceLayerError } from '../../lib/inference-layer-files.js';
import { TimbreStack } from '../../lib/timbre-stack.js';
import { DEFAULT_MODEL_CARD_FILE } from '../../lambdas/voiceprint/default-model.js';
import { CHOSEN_CARD_FILE, CHOSEN_CARD_ID, makeModelCheckout } from '../support/model-checkout.js';

const ENV = { account: '111122223333', region: 'eu-west-2' };

/** Synthesizes the stack once for the file, with bundling skipped (no esbuild in the tests). */
function buildStack(): { app: App; stack: TimbreStack } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new TimbreStack(app, 'Timbre', { env: ENV });
  return { app, stack };
}

describe('TimbreStack', () => {
  let template: Template;
  let keyLogicalId: string;

  beforeAll(() => {
    template = Template.fromStack(buildStack().stack);
    const keys = Object.keys(template.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(1);
    keyLogicalId = keys[0]!;
  });

  it('creates one customer-managed key with rotation and an alias', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/timbre', TargetKeyId: { 'Fn::GetAtt': [keyLogicalId, 'Arn'] } });
  });

  it('gives the table the schema keys, every GSI, TTL on expiresAt, PITR and the customer key', () => {
    const tables = template.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }, { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' }],
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      GlobalSecondaryIndexes: TABLE_SCHEMA.globalSecondaryIndexes.map((g) => Match.objectLike({
        IndexName: g.indexName,
        KeySchema: [{ AttributeName: g.partitionKey, KeyType: 'HASH' }, { AttributeName: g.sortKey, KeyType: 'RANGE' }],
      })),
      Replicas: [Match.objectLike({
        Region: ENV.region,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [keyLogicalId, 'Arn'] } },
      })],
    });
  });

  it('encrypts every data bucket with the customer key (bucket keys on) and the log bucket with SSE-S3', () => {
    const buckets = Object.entries(template.findResources('AWS::S3::Bucket'));
    expect(buckets.length).toBe(3);
    const withLogging = buckets.filter(([, b]) => b.Properties.LoggingConfiguration !== undefined);
    expect(withLogging).toHaveLength(2);
    for (const [, bucket] of withLogging) {
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyLogicalId, 'Arn'] } },
      }]);
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
      });
    }
    // The access-log target: S3 server access logging cannot deliver to SSE-KMS buckets.
    const logTargets = buckets.filter(([, b]) => b.Properties.LoggingConfiguration === undefined);
    expect(logTargets[0]![1].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
  });

  it('denies non-TLS access on every bucket', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]));
    }
  });

  it('turns EventBridge notifications on for the batch bucket only', () => {
    const notifications = Object.values(template.findResources('Custom::S3BucketNotifications'));
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: {} });
  });

  it('protects POST / with IAM authorisation and proxies it to the Lambda', () => {
    template.resourceCountIs('AWS::ApiGateway::Method', 1);
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'AWS_IAM',
      Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      TracingEnabled: true,
    });
  });

  it('runs the API Lambda on Node 22 with its configuration and Powertools settings', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function', {
      Properties: { Runtime: 'nodejs22.x', Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'timbre-api' } } },
    }));
    expect(functions).toHaveLength(1);
    const variables = functions[0]!.Properties.Environment.Variables;
    // Only what lambdas/handlers/api-config.ts and batch-config.ts read (TIMBRE_QUOTAS and TIMBRE_SESSION_AUDIO_BUCKETS
    // when set), the inference layer's model paths, Powertools' and Node's settings.
    expect(Object.keys(variables).sort()).toEqual([
      'NODE_OPTIONS', 'POWERTOOLS_LOGGER_LOG_EVENT', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME', 'TIMBRE_AUDIO_BUCKET', 'TIMBRE_BATCH_BUCKET',
      'TIMBRE_BATCH_STATE_MACHINE_ARN', 'TIMBRE_CM_MODEL_CARD', 'TIMBRE_MODEL_CARD', 'TIMBRE_REENCRYPT_FUNCTION', 'TIMBRE_SILERO_VAD_MODEL', 'TIMBRE_TABLE_NAME',
    ]);
    expect(variables.TIMBRE_TABLE_NAME).toEqual({ Ref: Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))[0] });
  });

  it('runs the API Lambda with the inference layer and 2 GB of memory: sessions run the speaker model and VAD', () => {
    const [api] = Object.values(template.findResources('AWS::Lambda::Function', { Metadata: { 'timbre:entry': 'lambdas/handlers/api.ts' } }));
    expect(api!.Properties.Layers).toHaveLength(1);
    expect(api!.Properties.MemorySize).toBeGreaterThanOrEqual(2048);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
  });

  it('grants the Lambda encrypt, decrypt and data-key generation on the customer key', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']),
          Resource: { 'Fn::GetAtt': [keyLogicalId, 'Arn'] },
        })]),
      },
    });
  });
});

/** Every Action of every statement in a policy document, flattened. */
function actionsOf(statements: Array<{ Action: string | string[] }>): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

describe('TimbreStack lifecycle sweep', () => {
  let template: Template;
  let sweepId: string;
  let sweep: { Properties: Record<string, any> };
  let statements: Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }>;
  let tableId: string;
  let audioBucketId: string;

  beforeAll(() => {
    template = Template.fromStack(buildStack().stack);
    const sweeps = Object.entries(template.findResources('AWS::Lambda::Function', {
      Metadata: { 'timbre:entry': 'lambdas/handlers/lifecycle-sweep.ts' },
    }));
    expect(sweeps).toHaveLength(1);
    [sweepId, sweep] = sweeps[0]! as [string, { Properties: Record<string, any> }];
    const roleId = sweep.Properties.Role['Fn::GetAtt'][0] as string;
    const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }));
    expect(policies).toHaveLength(1);
    statements = policies[0]!.Properties.PolicyDocument.Statement;
    tableId = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))[0]!;
    const audioOutput = template.toJSON().Outputs.AudioBucketName.Value as { Ref: string };
    audioBucketId = audioOutput.Ref;
  });

  it('expires old versions in the audio bucket, so deleted biometric audio does not linger behind a delete marker', () => {
    const audio = template.findResources('AWS::S3::Bucket')[audioBucketId]!;
    expect(audio.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(audio.Properties.LifecycleConfiguration.Rules).toEqual(expect.arrayContaining([
      expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 1 }, ExpiredObjectDeleteMarker: true }),
    ]));
  });

  it('runs the sweep once a day through an EventBridge rule that targets the sweep function', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    const daily = rules.filter((r) => r.Properties.ScheduleExpression === 'rate(1 day)');
    expect(daily).toHaveLength(1);
    const rule = daily[0]!.Properties;
    expect(rule.State).toBe('ENABLED');
    expect(rule.EventPattern).toBeUndefined();
    expect(rule.Targets).toHaveLength(1);
    expect(rule.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [sweepId, 'Arn'] });
    expect(rule.Targets[0].RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [sweepId, 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('sends undeliverable events and failed runs to an encrypted, TLS-only dead-letter queue', () => {
    const rule = Object.values(template.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: 'rate(1 day)' } }))[0]!;
    const dlqArn = rule.Properties.Targets[0].DeadLetterConfig.Arn as { 'Fn::GetAtt': [string, string] };
    const queueId = dlqArn['Fn::GetAtt'][0];
    const queue = template.toJSON().Resources[queueId];
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined).toBe(true);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: sweepId },
      DestinationConfig: { OnFailure: { Destination: dlqArn } },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('gives the sweep function the table and audio bucket names, and nothing the API alone needs', () => {
    const variables = sweep.Properties.Environment.Variables;
    expect(variables.TIMBRE_TABLE_NAME).toEqual({ Ref: tableId });
    expect(variables.TIMBRE_AUDIO_BUCKET).toEqual({ Ref: audioBucketId });
    expect(variables.POWERTOOLS_SERVICE_NAME).toBe('timbre-lifecycle-sweep');
    expect(variables.TIMBRE_QUOTAS).toBeUndefined();
  });

  it('grants read/write on the table, list and delete on audio objects, and no wildcard S3 action', () => {
    const actions = actionsOf(statements);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']));
    const s3Actions = actions.filter((a) => a.startsWith('s3:'));
    expect(s3Actions.sort()).toEqual(['s3:DeleteObject', 's3:ListBucket']);
    expect(actions.filter((a) => a.includes('*') && !a.startsWith('kms:'))).toEqual([]);
    const list = statements.find((s) => s.Action === 's3:ListBucket')!;
    expect(list.Resource).toEqual({ 'Fn::GetAtt': [audioBucketId, 'Arn'] });
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['audio/*'] } });
    const remove = statements.find((s) => s.Action === 's3:DeleteObject')!;
    expect(JSON.stringify(remove.Resource)).toContain(audioBucketId);
    expect(JSON.stringify(remove.Resource)).toContain('/audio/*');
  });

  it('grants KMS only on the customer key behind the table, not every key of the account', () => {
    const kms = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')));
    expect(kms).toHaveLength(1);
    expect(kms[0]!.Resource).toEqual({ 'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0]!, 'Arn'] });
  });
});

/**
 * Every finding cdk-nag's AwsSolutions pack reports on `app` that no `Validations.acknowledge` covers,
 * as 'rule on construct paths', after synthesis (as bin/app.ts runs the pack), plus the error annotations.
 */
function unacknowledgedFindings(app: App, stack: Stack): string[] {
  const pack = new AwsSolutionsChecks(app);
  app.synth();
  const violations = pack.validateScope(app).violations.map((v) => `${v.ruleName} on ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
  const errors = Annotations.fromStack(stack).findError('*', Match.anyValue()).map((e) => `${e.id}: ${String(e.entry.data)}`);
  return [...violations, ...errors];
}

describe('TimbreStack under cdk-nag AwsSolutions', () => {
  it('synthesizes with no unacknowledged finding', () => {
    const { app, stack } = buildStack();
    expect(unacknowledgedFindings(app, stack)).toEqual([]);
  });

  it('synthesizes with no unacknowledged finding when the account is not known, as an offline cdk synth runs', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new TimbreStack(app, 'Timbre', { env: { region: 'us-east-1' } });
    expect(unacknowledgedFindings(app, stack)).toEqual([]);
  });

  it('names the rule of a finding that is not acknowledged', () => {
    const app = new App();
    const stack = new Stack(app, 'Unreviewed', { env: ENV });
    new sqs.Queue(stack, 'Plain');
    expect(unacknowledgedFindings(app, stack)).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-SQS3 on Unreviewed\/Plain/)]));
  });
});

/** The function of `template` with this handler entry, and the statements of every policy of its role. */
function lambdaIn(template: Template, entry: string) {
  const found = Object.entries(template.findResources('AWS::Lambda::Function', { Metadata: { 'timbre:entry': entry } }));
  expect(found).toHaveLength(1);
  const [id, fn] = found[0]! as [string, { Properties: Record<string, any> }];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }));
  const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }>);
  return { id, fn, statements, actions: actionsOf(statements) };
}

describe('TimbreStack re-encryption after a key change', () => {
  let template: Template;

  beforeAll(() => {
    template = Template.fromStack(buildStack().stack);
  });

  it('grants the re-encryption Lambda exactly what it uses: the base table, audio objects, envelope keys and handing on to itself', () => {
    const reencrypt = lambdaIn(template, 'lambdas/handlers/domain-reencrypt.ts');
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))[0]!;
    const audioBucketId = (template.toJSON().Outputs.AudioBucketName.Value as { Ref: string }).Ref;
    const dynamo = reencrypt.statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([expect.objectContaining({ Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], Resource: { 'Fn::GetAtt': [tableId, 'Arn'] } })]);
    expect(reencrypt.actions.filter((a) => a.startsWith('s3:')).sort()).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    const list = reencrypt.statements.find((s) => s.Action === 's3:ListBucket')!;
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['audio/*'] } });
    const objects = JSON.stringify(reencrypt.statements.find((s) => actionsOf([s]).includes('s3:PutObject'))!.Resource);
    expect(objects).toContain(audioBucketId);
    expect(objects).toContain('/audio/*');
    expect(new Set(reencrypt.actions.filter((a) => a.startsWith('kms:')))).toEqual(new Set(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']));
    const handOver = reencrypt.statements.filter((s) => actionsOf([s]).includes('lambda:InvokeFunction'));
    expect(handOver).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [reencrypt.id, 'Arn'] } })]);
    expect(reencrypt.actions.filter((a) => !/^(dynamodb|s3|kms|lambda):/.test(a) && !a.startsWith('xray:') && !a.startsWith('logs:'))).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: reencrypt.id }, MaximumRetryAttempts: 0 });
  });

  it('lets the API and the sweep invoke the re-encryption Lambda, and nothing else', () => {
    const reencrypt = lambdaIn(template, 'lambdas/handlers/domain-reencrypt.ts');
    for (const entry of ['lambdas/handlers/api.ts', 'lambdas/handlers/lifecycle-sweep.ts']) {
      const launcher = lambdaIn(template, entry);
      expect(launcher.fn.Properties.Environment.Variables.TIMBRE_REENCRYPT_FUNCTION).toEqual({ Ref: reencrypt.id });
      const invoke = launcher.statements.filter((s) => actionsOf([s]).includes('lambda:InvokeFunction'));
      expect(invoke).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [reencrypt.id, 'Arn'] } })]);
    }
  });
});

describe('TimbreStack Connect Lambdas', () => {
  let template: Template;
  const lambdaOf = (entry: string) => lambdaIn(template, entry);

  beforeAll(() => {
    template = Template.fromStack(buildStack().stack);
  });

  it('lets only the call-audio Lambda read Kinesis Video, and only the start Lambda invoke it', () => {
    const start = lambdaOf('lambdas/handlers/connect-start.ts');
    const evaluate = lambdaOf('lambdas/handlers/connect-evaluate.ts');
    const callAudio = lambdaOf('lambdas/handlers/connect-call-audio.ts');
    expect(callAudio.actions.filter((a) => a.startsWith('kinesisvideo:')).sort()).toEqual(['kinesisvideo:GetDataEndpoint', 'kinesisvideo:GetMedia']);
    for (const other of [start, evaluate]) expect(other.actions.filter((a) => a.startsWith('kinesisvideo:'))).toEqual([]);
    expect(start.actions).toContain('lambda:InvokeFunction');
    const invoke = start.statements.find((s) => actionsOf([s]).includes('lambda:InvokeFunction'))!;
    expect(JSON.stringify(invoke.Resource)).toContain(callAudio.id);
    for (const other of [evaluate, callAudio]) expect(other.actions.filter((a) => a.startsWith('lambda:'))).toEqual([]);
    for (const fn of [start, evaluate, callAudio]) {
      expect(fn.actions.filter((a) => a.startsWith('s3:'))).toEqual([]);
      expect(fn.fn.Properties.Layers).toHaveLength(1);
    }
    expect(start.fn.Properties.Environment.Variables.TIMBRE_CALL_AUDIO_FUNCTION).toEqual({ Ref: callAudio.id });
    expect(start.fn.Properties.Timeout).toBe(8);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: callAudio.id }, MaximumRetryAttempts: 0 });
  });

  it('lets Amazon Connect of this account invoke the start and evaluate Lambdas, and nothing else invoke them', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map((p) => p.Properties as Record<string, any>);
    for (const entry of ['lambdas/handlers/connect-start.ts', 'lambdas/handlers/connect-evaluate.ts']) {
      const { id } = lambdaOf(entry);
      const mine = permissions.filter((p) => JSON.stringify(p.FunctionName).includes(id));
      expect(mine).toEqual([expect.objectContaining({ Action: 'lambda:InvokeFunction', Principal: 'connect.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } })]);
    }
  });
});

/** The model card each function with the inference layer is pointed at, by handler entry. */
function modelCardsOf(template: Template): Record<string, unknown> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Array<{ Metadata?: Record<string, unknown>; Properties: Record<string, any> }>;
  return Object.fromEntries(functions.filter((fn) => fn.Properties.Layers !== undefined).map((fn) => [fn.Metadata?.['timbre:entry'], fn.Properties.Environment.Variables[ENV_NAMES.MODEL_CARD]]));
}

/** The stack's one inference layer. */
function layerOf(template: Template): { Properties: { Description: string; Content: { S3Key: unknown } } } {
  const layers = Object.values(template.findResources('AWS::Lambda::LayerVersion'));
  expect(layers).toHaveLength(1);
  return layers[0] as { Properties: { Description: string; Content: { S3Key: unknown } } };
}

describe('TimbreStack speaker model', () => {
  const checkout = makeModelCheckout();
  afterAll(() => checkout.remove());
  const MODEL_RUNNERS = ['lambdas/handlers/api.ts', 'lambdas/handlers/batch-record.ts', 'lambdas/handlers/connect-call-audio.ts', 'lambdas/handlers/connect-evaluate.ts', 'lambdas/handlers/connect-start.ts'];
  let byDefault: Template;

  beforeAll(() => {
    byDefault = Template.fromStack(buildStack().stack);
  });

  it('runs the shipped default card when none is chosen', () => {
    const defaultId = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', DEFAULT_MODEL_CARD_FILE), 'utf8')) as { id: string }).id;
    expect(modelCardsOf(byDefault)).toEqual(Object.fromEntries(MODEL_RUNNERS.map((entry) => [entry, `/opt/${DEFAULT_MODEL_CARD_FILE}`])));
    expect(layerOf(byDefault).Properties.Description).toContain(defaultId);
  });

  it('ships the chosen card in the layer and points every function that runs a model at it', () => {
    // Act
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const chosen = Template.fromStack(new TimbreStack(app, 'Timbre', { env: ENV, speakerModelCard: CHOSEN_CARD_FILE, inferenceRepoRoot: checkout.root }));
    // Assess
    expect(modelCardsOf(chosen)).toEqual(Object.fromEntries(MODEL_RUNNERS.map((entry) => [entry, '/opt/models/tiny-spk.json'])));
    expect(layerOf(chosen).Properties.Description).toContain(CHOSEN_CARD_ID);
    // The layer's asset is keyed by the files it is built from: another card, another asset.
    expect(layerOf(chosen).Properties.Content.S3Key).not.toEqual(layerOf(byDefault).Properties.Content.S3Key);
  });

  it.each([
    ['outside models/', '../tiny-spk.json', /speaker model card \.\.\/tiny-spk\.json lies outside/],
    ['missing', 'models/no-such-card.json', /speaker model card models\/no-such-card\.json does not exist/],
  ])('fails the synth when the chosen card is %s', (_what, card, message) => {
    const build = () => new TimbreStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Timbre', { env: ENV, speakerModelCard: card });
    expect(build).toThrow(InferenceLayerError);
    expect(build).toThrow(message);
  });
});
