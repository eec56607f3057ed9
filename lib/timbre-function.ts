import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { ENV } from './contract/env-names.js';
import { ENTRY_METADATA_KEY } from './contract/stack-contract.js';
import { TimbreInferenceLayer } from './inference-layer.js';

/** Repository root, from which handler entries are named. */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Props of {@link TimbreFunction}. */
export interface TimbreFunctionProps {
  /** Handler module, relative to the repository root, e.g. 'lambdas/handlers/api.ts'. */
  readonly entry: string;
  /** Powertools service name (logger, metrics). */
  readonly serviceName: string;
  readonly environment?: Record<string, string>;
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /**
   * The function runs a speaker or VAD model: it gets the stack's inference layer (onnxruntime-node and
   * the models) with TIMBRE_MODEL_CARD, TIMBRE_CM_MODEL_CARD and TIMBRE_SILERO_VAD_MODEL pointing at the layer's files.
   * @default false (no layer: a function that runs no model does not carry its 51 MB)
   */
  readonly inference?: boolean;
}

/**
 * A Timbre Lambda: Node 22, ESM bundled locally by esbuild (no Docker), the AWS SDK and
 * onnxruntime-node left external, Powertools logger settings, X-Ray, a log group with retention, and
 * its handler module recorded in the template for the local mode. With `inference: true` it also gets
 * the inference layer and the environment that names its models.
 */
export class TimbreFunction extends Construct {
  public readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: TimbreFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const inference = props.inference === true ? TimbreInferenceLayer.of(this) : undefined;
    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}${props.entry}`,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
        NODE_OPTIONS: '--enable-source-maps',
        ...(inference === undefined
          ? {}
          : { [ENV.MODEL_CARD]: inference.modelCardPath, [ENV.CM_MODEL_CARD]: inference.cmCardPath, [ENV.SILERO_VAD_MODEL]: inference.sileroVadPath }),
        ...props.environment,
      },
      ...(inference === undefined ? {} : { layers: [inference.layer] }),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        externalModules: ['@aws-sdk/*', 'onnxruntime-node'],
        // CommonJS dependencies inside an ESM bundle still call require().
        banner: "import { createRequire as __timbreCreateRequire } from 'node:module'; const require = __timbreCreateRequire(import.meta.url);",
      },
    });
    (this.fn.node.defaultChild as CfnFunction).addMetadata(ENTRY_METADATA_KEY, relative(REPO_ROOT, `${REPO_ROOT}${props.entry}`));
    this.acknowledgeFindings();
  }

  /**
   * cdk-nag findings that every Timbre Lambda raises by the settings above (runtime, execution role, X-Ray),
   * each at the narrowest scope. Findings from a caller's grants are acknowledged by that caller.
   */
  private acknowledgeFindings(): void {
    const role = this.fn.role as iam.Role;
    // X-Ray tracing (Tracing.ACTIVE) has already put its statement in the role's default policy.
    const policy = role.node.findChild('DefaultPolicy');
    Validations.of(this.fn).acknowledge({ id: 'AwsSolutions-L1', reason: 'Node 22 is the runtime Timbre is built and tested for (the inference layer is built for it).' });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWS managed basic execution role: writing to CloudWatch Logs only.',
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions.',
    });
  }
}
