import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, InvalidDefinition, ListExecutionsCommand, SFNClient, StartExecutionCommand, StopExecutionCommand,
  type ExecutionListItem,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../../lambdas/local/local-services.js';
import { S3RVER_CREDENTIALS } from '../../../lambdas/local/s3/s3rver-process.js';
import { buildWorkflowTestStack } from '../support/workflow-test-stack.js';

const REGION = 'us-east-1';

async function waitForExecutions(sfn: SFNClient, stateMachineArn: string, count: number): Promise<ExecutionListItem[]> {
  for (let i = 0; i < 300; i += 1) {
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    if (executions.length >= count && executions.every((e) => e.status !== 'RUNNING')) return executions;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('executions did not finish');
}

describe('local Step Functions from a synthesized template', () => {
  let dataDir: string;
  let services: LocalServices;
  let s3: S3Client;
  let sfn: SFNClient;
  let ddb: DynamoDBClient;
  let bucket: string;
  let table: string;
  let machineArn: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'timbre-workflow-'));
    services = await startLocalServices({ dataDir, region: REGION, buildStack: buildWorkflowTestStack, onError: () => undefined });
    const config = { region: REGION, credentials: S3RVER_CREDENTIALS };
    s3 = new S3Client({ ...config, endpoint: services.endpoints.s3, forcePathStyle: true });
    sfn = new SFNClient({ ...config, endpoint: services.endpoints.sfn });
    ddb = new DynamoDBClient({ ...config, endpoint: services.endpoints.dynamodb });
    bucket = services.resolver.physicalName(services.resolver.ofType('AWS::S3::Bucket')[0]!);
    table = services.resolver.physicalName(services.resolver.ofType('AWS::DynamoDB::GlobalTable')[0]!);
    machineArn = services.provisioned.stateMachines[0]!;
  });

  afterAll(async () => {
    await services?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('provisions the state machine, bucket and table the template declares', () => {
    expect(services.provisioned.stateMachines).toHaveLength(1);
    expect(services.provisioned.buckets).toContain(bucket);
    expect(services.provisioned.tables).toContain(table);
  });

  it('runs the Distributed Map over an uploaded manifest, invoking the real handler per item', async () => {
    const manifest = [{ id: 'a', value: 1 }, { id: 'b', value: 20 }, { id: 'c', value: 300 }];
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'jobs/first.json', Body: JSON.stringify(manifest) }));

    const [execution] = await waitForExecutions(sfn, machineArn, 1);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution!.executionArn! }));
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual([{ doubled: 2 }, { doubled: 40 }, { doubled: 600 }]);
    const stored = await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'b' } } }));
    expect(stored.Item?.doubled).toEqual({ N: '40' });
  });

  it('starts nothing for an object the rule does not match', async () => {
    const before = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }))).executions?.length ?? 0;
    // s3rver emits an object's event before it answers the PUT, so events are routed in write order:
    // once the manifest written after the notes has run, the notes were routed and started nothing.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'jobs/notes.txt', Body: 'not a manifest' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'jobs/after-notes.json', Body: JSON.stringify([{ id: 'n', value: 2 }]) }));
    const executions = await waitForExecutions(sfn, machineArn, before + 1);
    expect(executions).toHaveLength(before + 1);
    const inputs = await Promise.all(executions.map(async (e) => (await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn! }))).input!));
    const keys = inputs.map((input) => (JSON.parse(input) as { detail: { object: { key: string } } }).detail.object.key);
    expect(keys).toContain('jobs/after-notes.json');
    expect(keys).not.toContain('jobs/notes.txt');
  });

  it('fails the execution with the handler error when an item is bad', async () => {
    const before = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }))).executions?.length ?? 0;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'jobs/bad.json', Body: JSON.stringify([{ id: 'x', value: 'NaN' }]) }));
    const executions = await waitForExecutions(sfn, machineArn, before + 1);
    const newest = executions.find((e) => e.name !== undefined && e.status === 'FAILED');
    expect(newest).toBeDefined();
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: newest!.executionArn! }));
    expect(described.error).toBe('BadItemError');
  });

  it('creates, starts and stops a state machine through the SFN API facade', async () => {
    const definition = { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 600, End: true } } };
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'hold', definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::000000000000:role/x' }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":1}' }));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Cancelled' }));
    const stopped = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(stopped.status).toBe('ABORTED');
    expect(stopped.stopDate).toBeInstanceOf(Date);
  });

  it('refuses a JSONata definition, which the local runner would silently ignore', async () => {
    const definition = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    await expect(sfn.send(new CreateStateMachineCommand({ name: 'jsonata', definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::000000000000:role/x' })))
      .rejects.toBeInstanceOf(InvalidDefinition);
  });
});
