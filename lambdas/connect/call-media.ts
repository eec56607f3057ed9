/**
 * The audio consumer's reader: one contact's caller audio from the Kinesis Video stream Connect names in
 * `MediaStreams.Customer.Audio`, as it arrives. GetDataEndpoint(GET_MEDIA) → GetMedia from the start fragment →
 * the payload, chunk by chunk, into {@link CallerAudioReader}; nothing of the call is buffered beyond a fragment.
 * Leaving the loop early (enough speech, a time cap) aborts the HTTP response, so the stream is released at once.
 */
import { GetDataEndpointCommand, ResourceNotFoundException, type KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import { GetMediaCommand, ResourceNotFoundException as MediaResourceNotFoundException, type KinesisVideoMediaClient } from '@aws-sdk/client-kinesis-video-media';
import type { MkvReadOptions } from '../audio/index.js';
import { CallerAudioReader, type CallerAudio, type CallerAudioEnd } from './caller-audio.js';

/** Reading the call's media failed. */
export class CallMediaError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CallMediaError';
  }
}

/** The stream, or the start fragment in it, does not exist (KVS ResourceNotFoundException). */
export class CallMediaNotFoundError extends CallMediaError {
  constructor(readonly streamArn: string, detail: string, options?: ErrorOptions) {
    super(`${streamArn}: ${detail}`, options);
    this.name = 'CallMediaNotFoundError';
  }
}

/** Where one contact's caller audio is and how to reach it. */
export interface CallMediaSource {
  /** Control-plane client (its region and credentials are the consumer's). */
  readonly kinesisVideo: KinesisVideoClient;
  /** A data-plane client for the endpoint GetDataEndpoint returns. */
  readonly mediaClientAt: (dataEndpoint: string) => KinesisVideoMediaClient;
  /** `MediaStreams.Customer.Audio.StreamARN`. */
  readonly streamArn: string;
  /**
   * `MediaStreams.Customer.Audio.StartFragmentNumber`, sent as GetMedia's `AfterFragmentNumber`, as AWS's
   * Connect samples do. AWS documents FRAGMENT_NUMBER as starting with the fragment after it.
   */
  readonly startFragmentNumber: string;
  readonly contactId: string;
  /** Stops the read from outside (a deadline); the iterator then ends without an error. */
  readonly signal?: AbortSignal;
  readonly mkv?: MkvReadOptions;
}

/** The iterable {@link readCallMedia} returns; `end` and `lastFragmentNumber` are set once it finishes. */
export interface CallMedia extends AsyncIterable<CallerAudio> {
  /** Why it stopped: the stream ended, another contact started, or the consumer stopped it. */
  readonly end: CallerAudioEnd | 'stopped' | undefined;
  /** The last fragment of this contact read whole: where a later GetMedia can resume after. */
  readonly lastFragmentNumber: string | undefined;
}

/**
 * Caller PCM (8 kHz Int16Array pieces with their fragment numbers) of `source.contactId`, in stream order.
 * Iterate once; `break` (or the signal) releases the GetMedia response.
 * @throws CallMediaNotFoundError when the stream or start fragment does not exist; CallMediaError for other
 *   KVS failures; MalformedAudioError when the payload is not Matroska
 * @example for await (const piece of readCallMedia(source)) if (vad.push(piece.samples) >= 10) break;
 */
export function readCallMedia(source: CallMediaSource): CallMedia {
  const reader = new CallerAudioReader(source.contactId, source.mkv);
  let end: CallMedia['end'];
  const pieces = async function* (): AsyncGenerator<CallerAudio> {
    const abort = new AbortController();
    const stopFromOutside = (): void => abort.abort();
    source.signal?.addEventListener('abort', stopFromOutside, { once: true });
    let payload: (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    try {
      if (source.signal?.aborted) return;
      const media = source.mediaClientAt(await dataEndpoint(source, abort.signal));
      const response = await kvsCall(source.streamArn, () =>
        media.send(
          new GetMediaCommand({ StreamARN: source.streamArn, StartSelector: { StartSelectorType: 'FRAGMENT_NUMBER', AfterFragmentNumber: source.startFragmentNumber } }),
          { abortSignal: abort.signal },
        ),
      );
      payload = response.Payload as typeof payload;
      if (payload === undefined) throw new CallMediaError(`${source.streamArn}: GetMedia returned no payload`);
      yield* reader.read(payload);
      end = reader.end;
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    } finally {
      // Reached on completion, an error, `break` or the signal: in every case the HTTP response must go.
      end ??= 'stopped';
      source.signal?.removeEventListener('abort', stopFromOutside);
      abort.abort();
      payload?.destroy?.();
    }
  };
  return {
    [Symbol.asyncIterator]: () => pieces(),
    get end() {
      return end;
    },
    get lastFragmentNumber() {
      return reader.lastFragmentNumber;
    },
  };
}

async function dataEndpoint(source: CallMediaSource, signal: AbortSignal): Promise<string> {
  const { DataEndpoint } = await kvsCall(source.streamArn, () =>
    source.kinesisVideo.send(new GetDataEndpointCommand({ StreamARN: source.streamArn, APIName: 'GET_MEDIA' }), { abortSignal: signal }),
  );
  if (DataEndpoint === undefined) throw new CallMediaError(`${source.streamArn}: GetDataEndpoint returned no endpoint`);
  return DataEndpoint;
}

/** Runs a KVS call, turning its service errors into CallMediaErrors. */
async function kvsCall<T>(streamArn: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ResourceNotFoundException || error instanceof MediaResourceNotFoundException) {
      throw new CallMediaNotFoundError(streamArn, error.message, { cause: error });
    }
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new CallMediaError(`${streamArn}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
  }
}
