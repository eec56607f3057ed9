import { createHash } from 'node:crypto';
import { TemplateError } from '../shared/errors.js';
import type { CfnResource, CfnTemplate, LocalAccount } from './types.js';

/**
 * A deterministic KMS key id (UUID-shaped) for a template key, so the same logical key maps to the
 * same local key material on every start.
 */
export function localKeyId(stackName: string, logicalId: string): string {
  const hex = createHash('sha256').update(`${stackName}/${logicalId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** S3 bucket names are lower case, 3–63 characters of [a-z0-9.-]. */
function bucketName(logicalId: string): string {
  return logicalId.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 63);
}

/**
 * Resolves the intrinsic functions CDK emits (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select,
 * Fn::Split) against deterministic local names: tables and functions keep their logical ID, buckets
 * the lower-cased logical ID, KMS keys a hash-derived id. The provisioner creates resources under
 * exactly these names, so resolved ARNs, env vars and ASL all point at what exists locally.
 */
export class TemplateResolver {
  constructor(readonly template: CfnTemplate, readonly account: LocalAccount) {}

  resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (resource === undefined) throw new TemplateError(`template has no resource ${logicalId}`);
    return resource;
  }

  /** The physical name a Ref to this resource yields locally. */
  physicalName(logicalId: string): string {
    const resource = this.resource(logicalId);
    const props = resource.Properties ?? {};
    const { region, accountId } = this.account;
    switch (resource.Type) {
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return typeof props.TableName === 'string' ? props.TableName : logicalId;
      case 'AWS::S3::Bucket':
        return typeof props.BucketName === 'string' ? props.BucketName : bucketName(logicalId);
      case 'AWS::KMS::Key':
        return localKeyId(this.account.stackName, logicalId);
      case 'AWS::KMS::Alias':
        return String(props.AliasName);
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${region}:${accountId}:stateMachine:${typeof props.StateMachineName === 'string' ? props.StateMachineName : logicalId}`;
      case 'AWS::Lambda::Function':
        return typeof props.FunctionName === 'string' ? props.FunctionName : logicalId;
      default:
        return logicalId;
    }
  }

  /** The ARN (or other attribute) a Fn::GetAtt yields locally. */
  attribute(logicalId: string, name: string): string {
    const resource = this.resource(logicalId);
    const physical = this.physicalName(logicalId);
    const { region, accountId } = this.account;
    if (name !== 'Arn') {
      if (resource.Type === 'AWS::StepFunctions::StateMachine' && name === 'Name') return physical.split(':').pop()!;
      if (resource.Type === 'AWS::S3::Bucket' && name.endsWith('DomainName')) return `${physical}.s3.${region}.amazonaws.com`;
      return `${physical}.${name}`;
    }
    switch (resource.Type) {
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${region}:${accountId}:table/${physical}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${physical}`;
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${region}:${accountId}:key/${physical}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${accountId}:function:${physical}`;
      case 'AWS::StepFunctions::StateMachine':
        return physical;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${accountId}:role/${physical}`;
      default: {
        const service = resource.Type.split('::')[1]?.toLowerCase() ?? 'local';
        return `arn:aws:${service}:${region}:${accountId}:${physical}`;
      }
    }
  }

  private ref(name: string): string {
    const { region, accountId, stackName } = this.account;
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': region,
      'AWS::AccountId': accountId,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stackName,
      'AWS::StackId': `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/local`,
      'AWS::NoValue': '',
    };
    if (name in pseudo) return pseudo[name]!;
    const parameter = this.template.Parameters?.[name];
    if (parameter !== undefined) return String(parameter.Default ?? '');
    return this.physicalName(name);
  }

  /** Resolves every intrinsic inside `value`; throws TemplateError on one it does not know. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0]!;
      if (key === 'Ref') return this.ref(String(arg));
      if (key === 'Fn::GetAtt') {
        const [logicalId, attr] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
        return this.attribute(logicalId!, attr!);
      }
      if (key === 'Fn::Join') {
        const [separator, parts] = arg as [string, unknown[]];
        return (this.resolve(parts) as unknown[]).map(String).join(separator);
      }
      if (key === 'Fn::Select') {
        const [index, list] = arg as [unknown, unknown];
        return (this.resolve(list) as unknown[])[Number(this.resolve(index))];
      }
      if (key === 'Fn::Split') {
        const [separator, source] = arg as [string, unknown];
        return String(this.resolve(source)).split(separator);
      }
      if (key === 'Fn::Sub') return this.sub(arg);
      if (key.startsWith('Fn::')) throw new TemplateError(`the local mode cannot resolve ${key}`);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
  }

  private sub(arg: unknown): string {
    const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      if (name in vars) return String(this.resolve(vars[name]));
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [logicalId, attr] = name.split('.');
        return this.attribute(logicalId!, attr!);
      }
      return this.ref(name);
    });
  }

  /** Logical IDs of every resource of `type`. */
  ofType(type: string): string[] {
    return Object.entries(this.template.Resources).filter(([, r]) => r.Type === type).map(([id]) => id);
  }

  /** The resolved value of a stack output. */
  output(name: string): string | undefined {
    const output = this.template.Outputs?.[name];
    return output === undefined ? undefined : String(this.resolve(output.Value));
  }
}
