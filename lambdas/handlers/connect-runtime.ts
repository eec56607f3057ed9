/** What the Connect Lambdas share: the session service (built once per execution environment) and error attributes. */
import type { Logger } from '@aws-lambda-powertools/logger';
import { toWireError } from '../api/index.js';
import { ContactFlowEventError, flowErrorAttributes, type FlowAttributes } from '../connect/contact-flow.js';
import type { SessionService } from '../voiceid/sessions/index.js';
import { readApiConfig } from './api-config.js';
import { loadSessionVoiceEngine } from './session-engine-loader.js';
import { createSessionRuntime } from './voiceid-runtime.js';

/** The parts of the Lambda context the Connect handlers read. */
export interface ConnectLambdaContext {
  readonly invokedFunctionArn?: string;
}

let sessions: SessionService | undefined;

/** The session service over the stack's table and keys, with the speaker model loaded on first use. */
export async function sessionServiceFor(context: ConnectLambdaContext): Promise<SessionService> {
  if (sessions === undefined) {
    const config = readApiConfig(context.invokedFunctionArn);
    sessions = createSessionRuntime(config, () => loadSessionVoiceEngine(config)).sessions;
  }
  return sessions;
}

/**
 * The flow's error answer. `errorType` is Voice ID's error name (ResourceNotFoundException, ConflictException, …),
 * `InvalidFlowEvent` for an event or block parameter Timbre cannot use, or the reason given.
 */
export function connectErrorAttributes(logger: Logger, error: unknown, reason?: string): FlowAttributes {
  const errorType = reason ?? (error instanceof ContactFlowEventError ? 'InvalidFlowEvent' : toWireError(error).name);
  if (error !== undefined) logger.error('Contact flow request failed', { errorType, error });
  return flowErrorAttributes(errorType);
}
