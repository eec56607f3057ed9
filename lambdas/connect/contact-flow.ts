/**
 * Amazon Connect's side of a call: the event an *Invoke AWS Lambda function* block sends, read into what a session
 * needs, and EvaluateSession's answer flattened into the STRING_MAP a flow's *Check contact attributes* reads
 * (`$.External.<key>`; values of letters, digits, `-` and `_` only, so Voice ID's `id#` becomes `id_`).
 */
import type { EvaluateSessionResponse } from '@aws-sdk/client-voice-id';

/** The event is not one a contact flow sends, or a block parameter is out of range. */
export class ContactFlowEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContactFlowEventError';
  }
}

/** What the start block asks for, read from the Connect event and the block's input parameters. */
export interface ContactFlowRequest {
  /** The session name: InitialContactId, which survives transfers. */
  readonly sessionName: string;
  readonly contactId: string;
  readonly domainId: string;
  /** The block's `speakerId` parameter, else the contact's `$.CustomerId`; absent when neither is set. */
  readonly speakerId?: string;
  readonly acceptanceThreshold?: number;
  readonly riskThreshold?: number;
  readonly watchlistId?: string;
  readonly minSpeechSeconds?: number;
  /** Where the caller's audio is, once *Start media streaming* has run. */
  readonly stream?: { readonly streamArn: string; readonly startFragmentNumber: string };
}

/** The part of Connect's Lambda event Timbre reads (all values are strings). */
interface ConnectEvent {
  readonly Details?: {
    readonly ContactData?: {
      readonly Channel?: unknown;
      readonly ContactId?: unknown;
      readonly InitialContactId?: unknown;
      readonly CustomerId?: unknown;
      readonly MediaStreams?: { readonly Customer?: { readonly Audio?: { readonly StreamARN?: unknown; readonly StartFragmentNumber?: unknown } } };
    };
    readonly Parameters?: Readonly<Record<string, unknown>>;
  };
}

const DOMAIN_ID = /^[a-zA-Z0-9]{22}$/;
const SPEAKER_ID = /^([a-zA-Z0-9][a-zA-Z0-9_-]{0,255}|id[#_][a-zA-Z0-9]{22})$/;
const STREAM_ARN = /^arn:aws[a-z-]*:kinesisvideo:[a-z0-9-]*:[0-9]*:stream\/[^\s]{1,256}$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function integer(name: string, value: unknown, min: number, max: number): number | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new ContactFlowEventError(`Parameter ${name} must be an integer from ${min} to ${max}, not '${raw}'`);
  return parsed;
}

/** Voice ID's `id#` IDs as flows pass them back (`id_`): every operation accepts both spellings. */
export function fromFlowId(id: string): string {
  return id.startsWith('id_') ? `id#${id.slice(3)}` : id;
}

/** An ID as a STRING_MAP value may carry it. */
export function toFlowId(id: string): string {
  return id.replace(/#/g, '_');
}

/**
 * Reads the start block's event.
 * @throws ContactFlowEventError for a non-voice contact, a missing contact or domain ID, or a parameter out of range
 */
export function readContactFlowEvent(event: unknown): ContactFlowRequest {
  const details = (event as ConnectEvent | null)?.Details;
  const contact = details?.ContactData;
  if (contact === undefined || typeof contact !== 'object') throw new ContactFlowEventError('Not an Amazon Connect contact flow event: Details.ContactData is missing');
  const channel = text(contact.Channel);
  if (channel !== undefined && channel !== 'VOICE') throw new ContactFlowEventError(`Voice authentication needs a VOICE contact, not ${channel}`);
  const contactId = text(contact.ContactId);
  if (contactId === undefined) throw new ContactFlowEventError('The event has no ContactId');
  const sessionName = text(contact.InitialContactId) ?? contactId;
  if (sessionName.length > 36) throw new ContactFlowEventError('InitialContactId is longer than 36 characters');
  const parameters = details?.Parameters ?? {};
  const domainId = text(parameters.domainId);
  if (domainId === undefined || !DOMAIN_ID.test(domainId)) throw new ContactFlowEventError('Parameter domainId must be a Voice ID domain ID (22 letters and digits)');
  const speaker = text(parameters.speakerId) ?? text(contact.CustomerId);
  if (speaker !== undefined && !SPEAKER_ID.test(speaker)) throw new ContactFlowEventError('The speaker ID (speakerId parameter or $.CustomerId) has characters Voice ID does not allow');
  const watchlistId = text(parameters.watchlistId);
  if (watchlistId !== undefined && !DOMAIN_ID.test(watchlistId)) throw new ContactFlowEventError('Parameter watchlistId must be 22 letters and digits');
  const audio = contact.MediaStreams?.Customer?.Audio;
  const streamArn = text(audio?.StreamARN);
  const startFragmentNumber = text(audio?.StartFragmentNumber);
  if (streamArn !== undefined && !STREAM_ARN.test(streamArn)) throw new ContactFlowEventError('MediaStreams.Customer.Audio.StreamARN is not a Kinesis Video stream ARN');
  if (startFragmentNumber !== undefined && !/^[0-9]{1,128}$/.test(startFragmentNumber)) throw new ContactFlowEventError('StartFragmentNumber must be a decimal number');
  const acceptanceThreshold = integer('acceptanceThreshold', parameters.acceptanceThreshold, 0, 100);
  const riskThreshold = integer('riskThreshold', parameters.riskThreshold, 0, 100);
  const minSpeechSeconds = integer('minSpeechSeconds', parameters.minSpeechSeconds, 5, 10);
  return {
    sessionName,
    contactId,
    domainId,
    ...(speaker !== undefined && { speakerId: fromFlowId(speaker) }),
    ...(acceptanceThreshold !== undefined && { acceptanceThreshold }),
    ...(riskThreshold !== undefined && { riskThreshold }),
    ...(watchlistId !== undefined && { watchlistId }),
    ...(minSpeechSeconds !== undefined && { minSpeechSeconds }),
    ...(streamArn !== undefined && startFragmentNumber !== undefined && { stream: { streamArn, startFragmentNumber } }),
  };
}

/** The attribute map the evaluate block returns. */
export type FlowAttributes = Readonly<Record<string, string>>;

const AUTHENTICATION_RESULTS: Readonly<Record<string, string>> = {
  ACCEPT: 'Authenticated',
  REJECT: 'Not_Authenticated',
  NOT_ENOUGH_SPEECH: 'Inconclusive',
  SPEAKER_NOT_ENROLLED: 'Not_Enrolled',
  SPEAKER_OPTED_OUT: 'Opted_Out',
  SPEAKER_EXPIRED: 'Expired',
  SPEAKER_ID_NOT_PROVIDED: 'No_Speaker_Id',
};

const FRAUD_RESULTS: Readonly<Record<string, string>> = { HIGH_RISK: 'High_Risk', LOW_RISK: 'Low_Risk', NOT_ENOUGH_SPEECH: 'Inconclusive' };

/** Only letters, digits, `-` and `_` survive Connect's STRING_MAP rule; anything else becomes `_`. */
function flowValue(value: string): string {
  return value.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/** Keys with a value, each value made safe for a STRING_MAP. */
function compact(entries: Record<string, string | number | undefined>): FlowAttributes {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined && value !== '') out[key] = flowValue(String(value));
  return out;
}

/**
 * EvaluateSession's answer (plus the session's enrolment status, when known) as the flow's attributes. A feature
 * the session does not have answers `NOT_ENABLED` / `Not_Enabled`; a key with no value is left out.
 */
export function flowAttributes(evaluation: EvaluateSessionResponse, extra: { readonly enrollmentStatus?: string } = {}): FlowAttributes {
  const authentication = evaluation.AuthenticationResult;
  const fraud = evaluation.FraudDetectionResult;
  const risk = fraud?.RiskDetails;
  return compact({
    sessionId: evaluation.SessionId === undefined ? undefined : toFlowId(evaluation.SessionId),
    streamingStatus: evaluation.StreamingStatus,
    authenticationDecision: authentication?.Decision ?? 'NOT_ENABLED',
    authenticationResult: authentication === undefined ? 'Not_Enabled' : AUTHENTICATION_RESULTS[authentication.Decision ?? ''] ?? 'Error',
    authenticationScore: authentication?.Score,
    fraudDecision: fraud?.Decision ?? 'NOT_ENABLED',
    fraudResult: fraud === undefined ? 'Not_Enabled' : FRAUD_RESULTS[fraud.Decision ?? ''] ?? 'Error',
    fraudReasons: fraud?.Reasons?.join('-'),
    fraudRiskScore: risk?.KnownFraudsterRisk?.RiskScore,
    knownFraudsterId: risk?.KnownFraudsterRisk?.GeneratedFraudsterId === undefined ? undefined : toFlowId(risk.KnownFraudsterRisk.GeneratedFraudsterId),
    spoofingRiskScore: risk?.VoiceSpoofingRisk?.RiskScore,
    enrollmentStatus: extra.enrollmentStatus,
    generatedSpeakerId: authentication?.GeneratedSpeakerId === undefined ? undefined : toFlowId(authentication.GeneratedSpeakerId),
  });
}

/** What the evaluate block returns when the call could not be evaluated: the flow takes its error branch on `Error`. */
export function flowErrorAttributes(errorType: string, sessionId?: string): FlowAttributes {
  return compact({
    ...(sessionId !== undefined && { sessionId: toFlowId(sessionId) }),
    authenticationResult: 'Error',
    fraudResult: 'Error',
    errorType,
  });
}
