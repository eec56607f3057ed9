import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { defaultPolicyOf, grantEnvelopeKeys, logicalIdOf, storageEnvironment } from './biometric-data-access.js';
import { ENV } from './contract/env-names.js';
import { TimbreFunction } from './timbre-function.js';

/** Props of {@link TimbreReencryption}. */
export interface TimbreReencryptionProps {
  readonly table: dynamodb.ITableV2;
  readonly audioBucket: s3.IBucket;
  /** The stack's key (the table's and the bucket's at rest, and the default domain key). */
  readonly key: kms.IKey;
}

/**
 * The domain-reencrypt Lambda (lambdas/handlers/domain-reencrypt.ts): after UpdateDomain changes a domain's KMS key it
 * moves the domain's voiceprints, session voice state and audio to the new key, invoked asynchronously so that the
 * request answers at once, and hands itself on when its 15 minutes run low. It gets exactly what that code does.
 */
export class TimbreReencryption extends Construct {
  public readonly handler: TimbreFunction;

  constructor(scope: Construct, id: string, props: TimbreReencryptionProps) {
    super(scope, id);
    this.handler = new TimbreFunction(this, 'Function', {
      entry: 'lambdas/handlers/domain-reencrypt.ts',
      serviceName: 'timbre-domain-reencrypt',
      memorySize: 512,
      timeout: Duration.minutes(15),
      environment: storageEnvironment(props.table, props.audioBucket.bucketName),
    });
    const fn = this.handler.fn;
    // The domain record (read, heartbeat, outcome) and the pages of voiceprints and sessions: base-table queries only,
    // so no index (TableV2.grant would add them all).
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], resources: [props.table.tableArn] }));
    // Old and new domain keys for the envelopes; the stack key also covers the table's and the bucket's encryption at rest.
    grantEnvelopeKeys(this.handler, props.key);
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [props.audioBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': ['audio/*'] } },
    }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [props.audioBucket.arnForObjects('audio/*')] }));
    // Handing on to itself: a policy of its own, because the default policy is created before the function and
    // cannot name the function's ARN without a dependency cycle.
    new iam.Policy(this, 'HandOver', {
      roles: [fn.role!],
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] })],
    });
    // A failed run is recorded as FAILED on the domain; retrying an invocation that ended so would change nothing.
    fn.configureAsyncInvoke({ retryAttempts: 0 });
    Validations.of(defaultPolicyOf(this.handler)).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.audioBucket)}.Arn>/audio/*]`,
      reason: "Audio objects are keyed audio/<domain>/<owner>/: a key change re-encrypts those of its domain, whichever it is.",
    });
  }

  /** Lets `fn` start a re-encryption: the function's name in its environment, and invoking this function only. */
  grantLaunch(fn: TimbreFunction): void {
    fn.fn.addEnvironment(ENV.REENCRYPT_FUNCTION, this.handler.fn.functionName);
    fn.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.handler.fn.functionArn] }));
  }
}
