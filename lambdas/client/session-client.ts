/**
 * The typed client of Timbre's session operations (docs/sessions.md) and of EvaluateSession: one method per
 * operation over a signed awsJson1_0 transport, plus `putPcm` for raw audio longer than one call takes.
 */
import { randomUUID } from 'node:crypto';
import { AudioTooLargeError, TimbreClientError } from './errors.js';
import { AwsJsonTransport, type TransportSettings } from './transport.js';
import type {
  EnrollBySessionInput,
  EnrollBySessionOutput,
  EvaluateSessionOutput,
  PutSessionAudioInput,
  SessionOutput,
  SessionRef,
  StartSessionInput,
  UpdateSessionInput,
} from './types.js';

/** The most audio one PutSessionAudio call takes, in bytes before base64. */
export const MAX_SESSION_AUDIO_BYTES = 4 * 1024 * 1024;

/** Settings of {@link TimbreSessionClient}. */
export type TimbreSessionClientConfig = TransportSettings;

/** Options of {@link TimbreSessionClient.putPcm}. */
export interface PutPcmOptions {
  /** @default 8000 */
  sampleRateHz?: number;
  /** Bytes per call, even, at most {@link MAX_SESSION_AUDIO_BYTES}. @default MAX_SESSION_AUDIO_BYTES */
  pieceBytes?: number;
  /** Sends EndOfStream with the last piece. @default false */
  endOfStream?: boolean;
  /** Called after each piece with the session as the service answered it. */
  onPiece?: (output: SessionOutput, sentBytes: number) => void;
}

/**
 * Drives Timbre sessions: start one, feed it audio, enrol or evaluate its speaker, end it.
 * Errors are {@link TimbreServiceError}s named after Voice ID's error types.
 * @example
 * const client = new TimbreSessionClient({ endpoint: 'http://127.0.0.1:8787', region: 'us-east-1', credentials });
 * const { Session } = await client.startSession({ DomainId, SessionName: randomUUID(), SpeakerId: 'cust-1' });
 * await client.putSessionAudio({ DomainId, SessionNameOrId: Session.SessionId, Audio: wavBytes, EndOfStream: true });
 * const { AuthenticationResult } = await client.evaluateSession({ DomainId, SessionNameOrId: Session.SessionId });
 */
export class TimbreSessionClient {
  private readonly transport: AwsJsonTransport;

  constructor(config: TimbreSessionClientConfig) {
    this.transport = new AwsJsonTransport(config);
  }

  /** The endpoint requests go to. */
  get endpoint(): string {
    return this.transport.endpoint;
  }

  /**
   * Calls any operation of the endpoint by name with a JSON input, e.g. `send('DescribeDomain', { DomainId })`,
   * and resolves to its JSON answer.
   */
  async send(operation: string, input: object = {}): Promise<Record<string, unknown>> {
    return this.transport.call(operation, input);
  }

  /** Starts a session; a ClientToken is filled in when left out, so a retried request answers the first result. */
  async startSession(input: StartSessionInput): Promise<SessionOutput> {
    return (await this.send('StartSession', { ...input, ClientToken: input.ClientToken ?? randomUUID() })) as unknown as SessionOutput;
  }

  /** Replaces the members given of a session's configuration; the others are kept. */
  async updateSession(input: UpdateSessionInput): Promise<SessionOutput> {
    return (await this.send('UpdateSession', input)) as unknown as SessionOutput;
  }

  /** Sends audio (at most {@link MAX_SESSION_AUDIO_BYTES}) or an S3 object to a session. */
  async putSessionAudio(input: PutSessionAudioInput): Promise<SessionOutput> {
    const { Audio, ...rest } = input;
    if (Audio !== undefined && Audio.byteLength > MAX_SESSION_AUDIO_BYTES) throw new AudioTooLargeError(Audio.byteLength, MAX_SESSION_AUDIO_BYTES);
    const wire = Audio === undefined ? rest : { ...rest, Audio: Buffer.from(Audio.buffer, Audio.byteOffset, Audio.byteLength).toString('base64') };
    return (await this.send('PutSessionAudio', wire)) as unknown as SessionOutput;
  }

  /**
   * Sends raw little-endian 16-bit mono PCM of any length as consecutive `PCM_S16LE` pieces; resolves to the
   * session after the last one. Nothing is sent when the byte count is odd.
   */
  async putPcm(ref: SessionRef, pcm: Uint8Array, options: PutPcmOptions = {}): Promise<SessionOutput> {
    const pieceBytes = options.pieceBytes ?? MAX_SESSION_AUDIO_BYTES;
    if (!Number.isInteger(pieceBytes) || pieceBytes < 2 || pieceBytes % 2 !== 0 || pieceBytes > MAX_SESSION_AUDIO_BYTES) {
      throw new TimbreClientError(`pieceBytes must be an even number of bytes from 2 to ${MAX_SESSION_AUDIO_BYTES}, not ${pieceBytes}`);
    }
    if (pcm.byteLength % 2 !== 0) throw new TimbreClientError(`16-bit PCM has an even number of bytes, not ${pcm.byteLength}`);
    let output: SessionOutput | undefined;
    // An empty recording still sends one call, so EndOfStream is delivered.
    for (let start = 0; start < pcm.byteLength || output === undefined; start += pieceBytes) {
      const end = Math.min(pcm.byteLength, start + pieceBytes);
      const last = end >= pcm.byteLength;
      output = await this.putSessionAudio({
        ...ref,
        Audio: pcm.subarray(start, end),
        Encoding: 'PCM_S16LE',
        SampleRateHz: options.sampleRateHz ?? 8000,
        ...(last && options.endOfStream === true ? { EndOfStream: true } : {}),
      });
      options.onPiece?.(output, end);
    }
    return output;
  }

  /** Enrols the session's speaker from this call's speech (the agent verified the caller by other means). */
  async enrollBySession(input: EnrollBySessionInput): Promise<EnrollBySessionOutput> {
    return (await this.send('EnrollBySession', input)) as unknown as EnrollBySessionOutput;
  }

  async describeSession(input: SessionRef): Promise<SessionOutput> {
    return (await this.send('DescribeSession', input)) as unknown as SessionOutput;
  }

  /** Ends a session (not an error when it has ended already) and destroys its biometric state. */
  async endSession(input: SessionRef): Promise<SessionOutput> {
    return (await this.send('EndSession', input)) as unknown as SessionOutput;
  }

  /** Voice ID's EvaluateSession: the authentication and fraud decisions, exactly as the service answers them. */
  async evaluateSession(input: SessionRef): Promise<EvaluateSessionOutput> {
    return (await this.send('EvaluateSession', input)) as EvaluateSessionOutput;
  }
}
