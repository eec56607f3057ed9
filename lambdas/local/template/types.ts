/** A CloudFormation template as `cdk synth` writes it (only what the local mode reads). */
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown }>;
  Parameters?: Record<string, { Default?: unknown }>;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

/** The account and region the local resources live in. */
export interface LocalAccount {
  region: string;
  accountId: string;
  stackName: string;
}
