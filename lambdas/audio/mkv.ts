/**
 * Reads Matroska as Kinesis Video Streams delivers it (GetMedia: one EBML document per fragment, Segments and
 * Clusters of unknown size, concatenated) while the bytes arrive, with `ebml`'s streaming decoder. It yields the
 * fragment boundaries, every SimpleTag and every block's payload by track name; what the tags and tracks mean for a
 * call is the caller's business.
 */
import { Decoder } from 'ebml';
import { MalformedAudioError } from './errors.js';

/** What readMkv found, in stream order. */
export type MkvEvent =
  /** An EBML header: a new document (a KVS fragment) starts; track numbers are declared again in it. */
  | { readonly kind: 'document' }
  /** One SimpleTag (`TagName` / `TagString`), e.g. `ContactId` or `AWS_KINESISVIDEO_FRAGMENT_NUMBER`. */
  | { readonly kind: 'tag'; readonly name: string; readonly value: string }
  /** A SimpleBlock or Block of the named track, at the cluster's timecode plus the block's, in milliseconds. */
  | { readonly kind: 'block'; readonly track: string; readonly timecodeMs: number; readonly payload: Uint8Array };

/** Options of readMkv. */
export interface MkvReadOptions {
  /** Refuse an element that would need more than this many bytes buffered (a hostile size field). @default 1 MiB */
  readonly maxElementBytes?: number;
}

/** A decoded element as `ebml` emits it. */
interface EbmlTag {
  readonly name: string;
  readonly value?: unknown;
  readonly data?: Buffer;
  readonly payload?: Buffer;
  readonly track?: number;
}
type EbmlEvent = [kind: 'start' | 'tag' | 'end', tag: EbmlTag];

const DEFAULT_MAX_ELEMENT_BYTES = 1 << 20;

/**
 * Decodes MKV bytes from `source` (a GetMedia payload, a file stream, chunks of any size) into events.
 * @throws MalformedAudioError when the bytes are not Matroska, a size field is invalid or an element is too large
 * @example for await (const event of readMkv(getMediaPayload)) if (event.kind === 'block') use(event.payload);
 */
export async function* readMkv(source: AsyncIterable<Uint8Array>, options: MkvReadOptions = {}): AsyncGenerator<MkvEvent> {
  const maxElementBytes = options.maxElementBytes ?? DEFAULT_MAX_ELEMENT_BYTES;
  const decoder = new Decoder();
  const pending: EbmlEvent[] = [];
  decoder.on('data', (event: EbmlEvent) => pending.push(event));
  const state = new DocumentState();
  let sawHeader = false;

  const feed = (chunk: Uint8Array): void => {
    try {
      decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (error) {
      throw new MalformedAudioError(`Malformed MKV: ${(error as Error).message}`, { cause: error });
    }
    const buffered = (decoder as unknown as { buffer?: Buffer }).buffer;
    if (buffered !== undefined && buffered.length > maxElementBytes) {
      throw new MalformedAudioError(`Malformed MKV: an element needs more than ${maxElementBytes} bytes`);
    }
  };

  function* drain(): Generator<MkvEvent> {
    while (pending.length > 0) {
      const [kind, tag] = pending.shift()!;
      if (!sawHeader) {
        if (tag.name !== 'EBML') throw new MalformedAudioError('Malformed MKV: the stream does not start with an EBML header');
        sawHeader = true;
      }
      const event = state.take(kind, tag);
      if (event !== undefined) yield event;
    }
  }

  // ebml emits while it parses, inside write(); one turn of the event loop at the end collects anything it queued.
  for await (const chunk of source) {
    feed(chunk);
    yield* drain();
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
  yield* drain();
  decoder.end();
  if (!sawHeader) throw new MalformedAudioError('Malformed MKV: no EBML header');
}

/** Track names and the pending SimpleTag of the document being read. */
class DocumentState {
  private readonly trackNames = new Map<number, string>();
  private entry: { number?: number; name?: string } | undefined;
  private tagName: string | undefined;
  private clusterMs = 0;

  take(kind: EbmlEvent[0], tag: EbmlTag): MkvEvent | undefined {
    if (kind === 'start') {
      if (tag.name === 'EBML') {
        this.trackNames.clear();
        this.clusterMs = 0;
        return { kind: 'document' };
      }
      if (tag.name === 'TrackEntry') this.entry = {};
      if (tag.name === 'SimpleTag') this.tagName = undefined;
      return undefined;
    }
    if (kind !== 'tag') return undefined;
    switch (tag.name) {
      case 'TrackNumber':
        this.updateEntry({ number: Number(tag.value) });
        return undefined;
      case 'Name':
        this.updateEntry({ name: String(tag.value) });
        return undefined;
      case 'Timecode':
        this.clusterMs = Number(tag.value);
        return undefined;
      case 'TagName':
        this.tagName = String(tag.value);
        return undefined;
      case 'TagString':
        if (this.tagName === undefined) return undefined;
        return { kind: 'tag', name: this.tagName, value: String(tag.value) };
      case 'SimpleBlock':
      case 'Block': {
        const track = tag.track ?? 0;
        return { kind: 'block', track: this.trackNames.get(track) ?? `track-${track}`, timecodeMs: this.clusterMs + Number(tag.value ?? 0), payload: tag.payload ?? Buffer.alloc(0) };
      }
      default:
        return undefined;
    }
  }

  private updateEntry(part: { number?: number; name?: string }): void {
    this.entry = { ...this.entry, ...part };
    if (this.entry.number !== undefined && this.entry.name !== undefined) this.trackNames.set(this.entry.number, this.entry.name);
  }
}

/** Little-endian 16-bit samples of consecutive block payloads; an odd trailing byte waits for the next payload. */
export class Pcm16Assembler {
  private carry: number | undefined;

  /** The whole samples `payload` completes. */
  push(payload: Uint8Array): Int16Array {
    const bytes = this.carry === undefined ? payload : Uint8Array.of(this.carry, ...payload);
    const whole = bytes.length - (bytes.length % 2);
    this.carry = whole < bytes.length ? bytes[whole] : undefined;
    const samples = new Int16Array(whole / 2);
    const view = new DataView(bytes.buffer, bytes.byteOffset, whole);
    for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(2 * i, true);
    return samples;
  }
}
