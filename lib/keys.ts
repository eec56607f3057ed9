import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Props of {@link TimbreKeys}. */
export interface TimbreKeysProps {
  /** Alias of the customer-managed key. @default 'alias/timbre' */
  readonly aliasName?: string;
}

/**
 * The customer-managed KMS key that encrypts Timbre's table and buckets at rest and is the default
 * key for envelope encryption of voiceprints and audio. Rotation is on; the key outlives the stack,
 * because data encrypted under it would be lost with it.
 */
export class TimbreKeys extends Construct {
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: TimbreKeysProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'DataKey', {
      description: 'Timbre: encrypts voiceprints, enrolment audio, the table and the buckets',
      enableKeyRotation: true,
      alias: props.aliasName ?? 'alias/timbre',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
