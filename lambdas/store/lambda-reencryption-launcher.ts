/** Starts a domain's re-encryption as an asynchronous invocation of the domain-reencrypt Lambda. */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ReencryptionLauncher, ReencryptionPosition } from '../voiceid/index.js';

/** The domain-reencrypt Lambda's event: the domain, and where a previous invocation stopped (absent: the beginning). */
export interface ReencryptionEvent {
  readonly domainId: string;
  readonly continueFrom?: ReencryptionPosition;
}

/** Lambda adapter of `ReencryptionLauncher` (`InvocationType: 'Event'`: the caller does not wait for the run). */
export class LambdaReencryptionLauncher implements ReencryptionLauncher {
  constructor(private readonly lambda: LambdaClient, private readonly functionName: string) {}

  launch(domainId: string): Promise<void> {
    return this.invoke({ domainId });
  }

  /** Hands a run that stopped at its time budget on to a fresh invocation. */
  continueFrom(domainId: string, position: ReencryptionPosition): Promise<void> {
    return this.invoke({ domainId, continueFrom: position });
  }

  private async invoke(event: ReencryptionEvent): Promise<void> {
    await this.lambda.send(new InvokeCommand({
      FunctionName: this.functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    }));
  }
}
