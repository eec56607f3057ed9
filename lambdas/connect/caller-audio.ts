/**
 * The caller's side of one contact from a Kinesis Video stream that Amazon Connect fills. Connect reuses streams
 * across contacts and tags every fragment with its ContactId *after* the fragment's audio, so a fragment's samples
 * are held until its tag says whose they are; reading stops at the first fragment of another contact. A fragment
 * that never names its contact (a stream cut short) is dropped: a second lost is better than two callers mixed.
 */
import { CONNECT_TRACKS, Pcm16Assembler, readMkv, type MkvReadOptions } from '../audio/index.js';

/** The one track of streams made before Connect split the two directions; it carried the caller. */
const LEGACY_CALLER_TRACK = 'Track_audio/L16';

/** Samples of the caller, in stream order. */
export interface CallerAudio {
  /** 16-bit PCM at 8 kHz. */
  readonly samples: Int16Array;
  /** The KVS fragment they came from (GetMedia can resume after it). */
  readonly fragmentNumber: string | undefined;
}

/** Why reading stopped. */
export type CallerAudioEnd = 'end-of-stream' | 'other-contact';

/** Reads one contact's caller audio; `end` and `lastFragmentNumber` tell how far it got. */
export class CallerAudioReader {
  /** Set once `read` has finished. */
  end: CallerAudioEnd | undefined;
  /** The last fragment of this contact that was read whole. */
  lastFragmentNumber: string | undefined;

  constructor(private readonly contactId: string, private readonly options: MkvReadOptions = {}) {}

  /** Yields the caller's samples of this contact from a GetMedia payload (or any MKV byte stream). */
  async *read(source: AsyncIterable<Uint8Array>): AsyncGenerator<CallerAudio> {
    const assembler = new Pcm16Assembler();
    let fragment: { number?: string; contactId?: string; held: Int16Array[] } = { held: [] };
    const release = function* (this: void): Generator<CallerAudio> {
      for (const samples of fragment.held) yield { samples, fragmentNumber: fragment.number };
      fragment.held = [];
    };
    for await (const event of readMkv(source, this.options)) {
      if (event.kind === 'document') {
        if (fragment.contactId === this.contactId) this.lastFragmentNumber = fragment.number;
        fragment = { held: [] };
      } else if (event.kind === 'tag') {
        if (event.name === 'AWS_KINESISVIDEO_FRAGMENT_NUMBER') fragment.number = event.value;
        if (event.name === 'ContactId') {
          fragment.contactId = event.value;
          if (event.value !== this.contactId) {
            this.end = 'other-contact';
            return;
          }
          yield* release();
        }
      } else if (event.track === CONNECT_TRACKS.fromCustomer || event.track === LEGACY_CALLER_TRACK) {
        const samples = assembler.push(event.payload);
        if (samples.length === 0) continue;
        if (fragment.contactId === this.contactId) yield { samples, fragmentNumber: fragment.number };
        else fragment.held.push(samples);
      }
    }
    if (fragment.contactId === this.contactId) this.lastFragmentNumber = fragment.number;
    this.end = 'end-of-stream';
  }
}
