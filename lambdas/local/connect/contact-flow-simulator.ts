/**
 * Amazon Connect's part of a call, locally: plays a recorded call (an MKV laid out as Connect streams it) through the
 * local Kinesis Video endpoint, and runs the contact flow Timbre documents — the start block's Lambda once, then the
 * evaluate block's Lambda every few seconds while the result is still coming — through the local Lambda Invoke API,
 * with the event Connect would send. `timbre call-sim` and the Connect tests use it.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { readMkv } from '../../audio/index.js';
import { NodeSha256 } from '../../client/sha256.js';
import type { FlowAttributes } from '../../connect/contact-flow.js';
import type { LocalCredentials } from '../gateway/credentials.js';
import { PUT_STREAM_PATH } from '../kinesisvideo/server.js';
import type { StreamPace } from '../kinesisvideo/stream-registry.js';

/** The call to play. */
export interface SimulatedCall {
  /** The recording, as Connect streams a contact (lambdas/audio/mkv-writer.ts writes such files). */
  readonly mkv: Uint8Array;
  /** The contact to play; @default the first ContactId the recording names */
  readonly contactId?: string;
  /** `$.CustomerId`: who the caller claims to be. */
  readonly customerId?: string;
  /** The start block's parameters (`domainId` is required; `watchlistId`, `acceptanceThreshold`, …). */
  readonly parameters: Readonly<Record<string, string>>;
  /** @default 'realtime' */
  readonly pace?: StreamPace;
}

/** Where the local services are. */
export interface ContactFlowSimulatorOptions {
  readonly region: string;
  /** The local AWS services' credentials (S3RVER_CREDENTIALS). */
  readonly credentials: LocalCredentials;
  readonly kinesisVideoEndpoint: string;
  readonly lambdaEndpoint: string;
  readonly functions: { readonly connectStart: string; readonly connectEvaluate: string };
  /** Wait between evaluations, as the flow's Wait block. @default 5000 */
  readonly pollIntervalMs?: number;
  /** Evaluations at most (Voice ID's agent app polled 24 times). @default 24 */
  readonly maxPolls?: number;
  /** Reports each evaluation as it comes. */
  readonly onPoll?: (attributes: FlowAttributes, poll: number) => void;
}

/** What the flow saw. */
export interface ContactFlowRun {
  readonly contactId: string;
  readonly streamArn: string;
  readonly start: FlowAttributes;
  readonly evaluations: readonly FlowAttributes[];
  /** The last attributes the flow would branch on (the start block's when it failed). */
  readonly last: FlowAttributes;
}

/** Thrown when the recording names no contact, or the local services refuse the call. */
export class ContactFlowSimulationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContactFlowSimulationError';
  }
}

/** Still worth asking again: the flow loops while a result is Inconclusive and the stream goes on. */
export function stillComing(attributes: FlowAttributes): boolean {
  if (attributes.errorType !== undefined || attributes.streamingStatus === 'ENDED') return false;
  return attributes.streamingStatus === 'PENDING_CONFIGURATION' || attributes.authenticationResult === 'Inconclusive' || attributes.fraudResult === 'Inconclusive';
}

/** Plays `call` as a contact of the flow; returns every attribute map the flow received. */
export async function simulateContactFlow(call: SimulatedCall, options: ContactFlowSimulatorOptions): Promise<ContactFlowRun> {
  const { contactId, startFragmentNumber } = await firstFragmentOf(call.mkv, call.contactId);
  const streamArn = await putStream(options, `timbre-call-sim-${randomUUID()}`, call.mkv, call.pace ?? 'realtime');
  const lambda = new LambdaClient({ region: options.region, endpoint: options.lambdaEndpoint, credentials: options.credentials, maxAttempts: 1 });
  try {
    const event = contactFlowEvent(contactId, call, streamArn, startFragmentNumber, options.region);
    const start = await invoke(lambda, options.functions.connectStart, event);
    if (start.errorType !== undefined) return { contactId, streamArn, start, evaluations: [], last: start };
    const evaluations: FlowAttributes[] = [];
    const maxPolls = options.maxPolls ?? 24;
    let last: FlowAttributes = start;
    do {
      await sleepFor(options.pollIntervalMs ?? 5000);
      last = await invoke(lambda, options.functions.connectEvaluate, event);
      evaluations.push(last);
      options.onPoll?.(last, evaluations.length);
    } while (stillComing(last) && evaluations.length < maxPolls);
    return { contactId, streamArn, start, evaluations, last };
  } finally {
    lambda.destroy();
  }
}

/** The event an *Invoke AWS Lambda function* block sends for this contact (all values strings, as Connect sends them). */
function contactFlowEvent(contactId: string, call: SimulatedCall, streamArn: string, startFragmentNumber: string, region: string): Record<string, unknown> {
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: {},
        Channel: 'VOICE',
        ContactId: contactId,
        InitialContactId: contactId,
        InitiationMethod: 'INBOUND',
        InstanceARN: `arn:aws:connect:${region}:000000000000:instance/00000000-0000-4000-8000-000000000000`,
        ...(call.customerId !== undefined && { CustomerId: call.customerId }),
        CustomerEndpoint: { Address: '+15550100', Type: 'TELEPHONE_NUMBER' },
        MediaStreams: { Customer: { Audio: { StreamARN: streamArn, StartFragmentNumber: startFragmentNumber, StartTimestamp: String(Date.now()) } } },
      },
      Parameters: { ...call.parameters },
    },
  };
}

/** The contact to play and its first fragment, from the recording's tags. */
async function firstFragmentOf(mkv: Uint8Array, wanted: string | undefined): Promise<{ contactId: string; startFragmentNumber: string }> {
  let fragment: string | undefined;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    yield mkv;
  }
  for await (const event of readMkv(bytes())) {
    if (event.kind !== 'tag') continue;
    if (event.name === 'AWS_KINESISVIDEO_FRAGMENT_NUMBER') fragment = event.value;
    if (event.name === 'ContactId' && (wanted === undefined || event.value === wanted) && fragment !== undefined) {
      return { contactId: event.value, startFragmentNumber: fragment };
    }
  }
  throw new ContactFlowSimulationError(wanted === undefined ? 'The recording names no contact (no ContactId tag)' : `The recording has no fragment of contact ${wanted}`);
}

/** Registers the recording with the local Kinesis Video endpoint (Timbre's own route, signed as KVS calls are). */
async function putStream(options: ContactFlowSimulatorOptions, name: string, mkv: Uint8Array, pace: StreamPace): Promise<string> {
  const url = new URL(options.kinesisVideoEndpoint);
  const signer = new SignatureV4({ service: 'kinesisvideo', region: options.region, credentials: options.credentials, sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port !== '' && { port: Number(url.port) }),
    path: PUT_STREAM_PATH,
    query: { StreamName: name, pace },
    headers: { host: url.host, 'content-type': 'application/octet-stream' },
    body: mkv,
  });
  const response = await fetch(`${url.origin}${PUT_STREAM_PATH}?StreamName=${encodeURIComponent(name)}&pace=${pace}`, {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body: mkv,
  });
  const answer = (await response.json()) as { StreamARN?: string; Message?: string };
  if (!response.ok || answer.StreamARN === undefined) throw new ContactFlowSimulationError(`The local Kinesis Video endpoint refused the recording: ${answer.Message ?? response.status}`);
  return answer.StreamARN;
}

async function invoke(lambda: LambdaClient, functionName: string, event: unknown): Promise<FlowAttributes> {
  const response = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(event)) }));
  const payload = new TextDecoder().decode(response.Payload);
  if (response.FunctionError !== undefined) throw new ContactFlowSimulationError(`${functionName} failed: ${payload}`);
  return JSON.parse(payload) as FlowAttributes;
}
