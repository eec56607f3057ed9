/**
 * Lambda entry point of the flow's evaluate block (looped while the result is Inconclusive and streaming goes on):
 * EvaluateSession for the contact's session, flattened into the STRING_MAP *Check contact attributes* reads.
 */
import type { EvaluateSessionResponse } from '@aws-sdk/client-voice-id';
import { Logger } from '@aws-lambda-powertools/logger';
import { evaluationShape } from '../api/index.js';
import { flowAttributes, readContactFlowEvent, type FlowAttributes } from '../connect/contact-flow.js';
import { connectErrorAttributes, sessionServiceFor, type ConnectLambdaContext } from './connect-runtime.js';

const logger = new Logger({ serviceName: 'timbre-connect-evaluate' });

/**
 * The speaker's enrolment status, as Check Voice ID's "enrollment status" branch wants it. The authentication
 * decisions are checked in order, so every decision after the speaker checks implies an enrolled speaker.
 */
const ENROLLMENT_STATUS: Readonly<Record<string, string>> = {
  ACCEPT: 'ENROLLED',
  REJECT: 'ENROLLED',
  NOT_ENOUGH_SPEECH: 'ENROLLED',
  SPEAKER_NOT_ENROLLED: 'NOT_ENROLLED',
  SPEAKER_OPTED_OUT: 'OPTED_OUT',
  SPEAKER_EXPIRED: 'EXPIRED',
};

/** Evaluates the contact's session; a failure answers `Error` results with its `errorType`. */
export const handler = async (event: unknown, context: ConnectLambdaContext): Promise<FlowAttributes> => {
  try {
    const request = readContactFlowEvent(event);
    const sessions = await sessionServiceFor(context);
    // The wire object the API answers; flowAttributes reads only its strings and numbers (not the timestamps).
    const evaluation = evaluationShape(await sessions.evaluate(request.domainId, request.sessionName)) as EvaluateSessionResponse;
    const decision = evaluation.AuthenticationResult?.Decision;
    const enrollmentStatus = decision === undefined ? undefined : ENROLLMENT_STATUS[decision];
    return flowAttributes(evaluation, enrollmentStatus === undefined ? {} : { enrollmentStatus });
  } catch (error) {
    return connectErrorAttributes(logger, error);
  }
};
