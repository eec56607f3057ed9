import {
  CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, ResourceInUseException, UpdateTableCommand, UpdateTimeToLiveCommand,
  type AttributeDefinition, type DynamoDBClient, type GlobalSecondaryIndex, type KeySchemaElement, type LocalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { ProvisionError } from '../shared/errors.js';
import type { KmsKeystore } from '../kms/keystore.js';
import type { LocalStepFunctions } from '../stepfunctions/server.js';
import type { TemplateResolver } from './resolver.js';

/** What the provisioner created (or found) for the template. */
export interface ProvisionedResources {
  tables: string[];
  buckets: string[];
  /** Key ARNs by logical ID. */
  keys: Record<string, string>;
  aliases: string[];
  stateMachines: string[];
}

interface TableProps {
  TableName?: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  GlobalSecondaryIndexes?: Array<GlobalSecondaryIndex & { WriteProvisionedThroughputSettings?: unknown }>;
  LocalSecondaryIndexes?: LocalSecondaryIndex[];
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
}

function indexSpec(gsi: GlobalSecondaryIndex): GlobalSecondaryIndex {
  return { IndexName: gsi.IndexName, KeySchema: gsi.KeySchema, Projection: gsi.Projection ?? { ProjectionType: 'ALL' } };
}

async function provisionTable(ddb: DynamoDBClient, name: string, props: TableProps): Promise<void> {
  const gsis = (props.GlobalSecondaryIndexes ?? []).map(indexSpec);
  try {
    await ddb.send(new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: props.KeySchema,
      AttributeDefinitions: props.AttributeDefinitions,
      ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis } : {}),
      ...(props.LocalSecondaryIndexes === undefined ? {} : { LocalSecondaryIndexes: props.LocalSecondaryIndexes }),
    }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    // The table survives restarts; add GSIs the template gained since (one per UpdateTable, as in AWS).
    const existing = new Set(((await ddb.send(new DescribeTableCommand({ TableName: name }))).Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
    for (const gsi of gsis.filter((g) => !existing.has(g.IndexName))) {
      await ddb.send(new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: props.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: gsi.IndexName!, KeySchema: gsi.KeySchema!, Projection: gsi.Projection! } }],
      }));
    }
  }
  const ttl = props.TimeToLiveSpecification;
  if (ttl?.Enabled === true) {
    const current = (await ddb.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
    if (current?.TimeToLiveStatus !== 'ENABLED' || current.AttributeName !== ttl.AttributeName) {
      await ddb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true } }));
    }
  }
}

/**
 * Creates the template's tables (keys, GSIs, TTL), buckets, KMS keys and aliases, and state
 * machines in the local services, under the names the resolver gives them. Idempotent: run on
 * every start against a persistent data directory.
 */
export async function provisionTemplate(
  resolver: TemplateResolver,
  services: { dynamodb: DynamoDBClient; s3: S3Client; keystore: KmsKeystore; sfn: LocalStepFunctions },
): Promise<ProvisionedResources> {
  const provisioned: ProvisionedResources = { tables: [], buckets: [], keys: {}, aliases: [], stateMachines: [] };
  const at = async (logicalId: string, step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (error) {
      throw new ProvisionError(logicalId, (error as Error).message, { cause: error });
    }
  };
  for (const id of resolver.ofType('AWS::KMS::Key')) {
    const props = (resolver.resolve(resolver.resource(id).Properties ?? {}) ?? {}) as { Description?: string; EnableKeyRotation?: boolean };
    const meta = services.keystore.createKey(props.Description ?? '', resolver.physicalName(id));
    if (props.EnableKeyRotation === true) services.keystore.setRotation(meta.KeyId, true);
    provisioned.keys[id] = meta.Arn;
  }
  for (const id of resolver.ofType('AWS::KMS::Alias')) {
    const props = resolver.resolve(resolver.resource(id).Properties ?? {}) as { AliasName: string; TargetKeyId: string };
    if (!services.keystore.hasAlias(props.AliasName)) services.keystore.createAlias(props.AliasName, props.TargetKeyId);
    provisioned.aliases.push(props.AliasName);
  }
  for (const id of [...resolver.ofType('AWS::DynamoDB::GlobalTable'), ...resolver.ofType('AWS::DynamoDB::Table')]) {
    const name = resolver.physicalName(id);
    await at(id, () => provisionTable(services.dynamodb, name, resolver.resolve(resolver.resource(id).Properties) as TableProps));
    provisioned.tables.push(name);
  }
  for (const id of resolver.ofType('AWS::S3::Bucket')) {
    const name = resolver.physicalName(id);
    await at(id, async () => {
      await services.s3.send(new CreateBucketCommand({ Bucket: name })).catch((error: { name?: string }) => {
        if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
      });
    });
    provisioned.buckets.push(name);
  }
  for (const id of resolver.ofType('AWS::StepFunctions::StateMachine')) {
    const props = resolver.resource(id).Properties ?? {};
    const definition = props.DefinitionString !== undefined ? String(resolver.resolve(props.DefinitionString)) : JSON.stringify(resolver.resolve(props.Definition));
    const arn = resolver.physicalName(id);
    await at(id, async () => {
      services.sfn.createStateMachine(arn.split(':').pop()!, definition, String(resolver.resolve(props.RoleArn ?? '')), arn);
    });
    provisioned.stateMachines.push(arn);
  }
  return provisioned;
}
