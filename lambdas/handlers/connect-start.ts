/**
 * Lambda entry point of the flow's first *Invoke AWS Lambda function* block (after *Start media streaming*): starts
 * the contact's session on the caller's Kinesis Video stream and hands the stream to the audio consumer, which runs
 * asynchronously, so the block answers well within Connect's 8 s. Returns a flat STRING_MAP.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { ENV } from '../../lib/contract/env-names.js';
import { readContactFlowEvent, toFlowId, type ContactFlowRequest, type FlowAttributes } from '../connect/contact-flow.js';
import { DEFAULT_ACCEPT_THRESHOLD } from '../voiceid/index.js';
import { connectErrorAttributes, sessionServiceFor, type ConnectLambdaContext } from './connect-runtime.js';
import type { CallAudioJob } from './connect-call-audio.js';

const logger = new Logger({ serviceName: 'timbre-connect-start' });
let lambda: LambdaClient | undefined;

/** The session's configuration from the block: authentication always (the block's threshold or 90), fraud detection unless `fraudDetection` is `off`. */
function sessionInput(request: ContactFlowRequest, fraudDetection: boolean, contactId: string) {
  return {
    domainId: request.domainId,
    sessionName: request.sessionName,
    ...(request.speakerId !== undefined && { speakerId: request.speakerId }),
    authentication: { acceptanceThreshold: request.acceptanceThreshold ?? DEFAULT_ACCEPT_THRESHOLD },
    ...(fraudDetection && {
      fraudDetection: {
        ...(request.riskThreshold !== undefined && { riskThreshold: request.riskThreshold }),
        ...(request.watchlistId !== undefined && { watchlistId: request.watchlistId }),
      },
    }),
    ...(request.minSpeechSeconds !== undefined && { minSpeechSeconds: request.minSpeechSeconds }),
    ...(request.stream !== undefined && { stream: request.stream }),
    // Connect retries a failed block up to three times: the same contact must not start a second session.
    clientToken: `connect-${contactId}`,
  };
}

/** Starts the session and its consumer; a failure answers `authenticationResult: Error` with its `errorType`. */
export const handler = async (event: unknown, context: ConnectLambdaContext): Promise<FlowAttributes> => {
  let request: ContactFlowRequest;
  try {
    request = readContactFlowEvent(event);
  } catch (error) {
    return connectErrorAttributes(logger, error);
  }
  if (request.stream === undefined) {
    logger.warn('No customer media stream in the event: put Start media streaming (from the customer) before this block');
    return connectErrorAttributes(logger, undefined, 'MediaStreamingNotStarted');
  }
  const fraudDetection = String((event as { Details?: { Parameters?: Record<string, unknown> } }).Details?.Parameters?.fraudDetection ?? '').toLowerCase() !== 'off';
  try {
    const sessions = await sessionServiceFor(context);
    const session = await sessions.start(sessionInput(request, fraudDetection, request.contactId));
    if (session.streamingStatus === 'PENDING_CONFIGURATION') {
      const job: CallAudioJob = { domainId: request.domainId, sessionId: session.sessionId, contactId: request.contactId, ...request.stream };
      lambda ??= new LambdaClient({});
      await lambda.send(new InvokeCommand({
        FunctionName: getStringFromEnv({ key: ENV.CALL_AUDIO_FUNCTION }),
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(job)),
      }));
    }
    logger.info('Session started', { sessionId: session.sessionId, streamingStatus: session.streamingStatus });
    return { sessionId: toFlowId(session.sessionId), streamingStatus: session.streamingStatus };
  } catch (error) {
    return connectErrorAttributes(logger, error);
  }
};
