/**
 * Writes Matroska the way Amazon Connect's live media streaming puts it into Kinesis Video Streams: one fragment
 * of about a second per EBML header, a Segment and a Cluster of unknown size, two 8 kHz 16-bit PCM tracks
 * labelled `A_AAC` (as Connect labels them), the KVS fragment tags and Connect's per-contact tags. ffmpeg cannot
 * label PCM as AAC, so test calls and fixtures come from here.
 */

/** One contact's audio, as Connect streams it. */
export interface ConnectCall {
  readonly contactId: string;
  readonly instanceId?: string;
  /** What the caller says: 16-bit PCM at 8 kHz. */
  readonly fromCustomer: Int16Array;
  /** What the caller hears; silence of the same length when left out. */
  readonly toCustomer?: Int16Array;
  /** Producer time of the first sample, epoch milliseconds. @default 1_700_000_000_000 */
  readonly startMs?: number;
  /** Number of the first fragment (KVS numbers are long decimals; any increasing integer will do). @default 91343852333181500000n */
  readonly firstFragmentNumber?: bigint;
}

/** Layout options; the defaults are what Connect sends. */
export interface ConnectMkvLayout {
  /** Milliseconds of audio per fragment. @default 1000 */
  readonly fragmentMs?: number;
  /** Milliseconds of audio per SimpleBlock. @default 32 */
  readonly blockMs?: number;
}

/** Connect's sample rate for streamed call audio. */
export const CONNECT_SAMPLE_RATE_HZ = 8000;

/** Track names Connect gives the two directions of a call. */
export const CONNECT_TRACKS = { fromCustomer: 'AUDIO_FROM_CUSTOMER', toCustomer: 'AUDIO_TO_CUSTOMER' } as const;

const ID = {
  EBML: 0x1a45dfa3, EBMLVersion: 0x4286, EBMLReadVersion: 0x42f7, EBMLMaxIDLength: 0x42f2, EBMLMaxSizeLength: 0x42f3,
  DocType: 0x4282, DocTypeVersion: 0x4287, DocTypeReadVersion: 0x4285,
  Segment: 0x18538067, Info: 0x1549a966, TimecodeScale: 0x2ad7b1, Title: 0x7ba9, MuxingApp: 0x4d80, WritingApp: 0x5741,
  Tracks: 0x1654ae6b, TrackEntry: 0xae, TrackNumber: 0xd7, TrackUID: 0x73c5, TrackType: 0x83, Name: 0x536e, CodecID: 0x86,
  Audio: 0xe1, SamplingFrequency: 0xb5, Channels: 0x9f, BitDepth: 0x6264,
  Tags: 0x1254c367, Tag: 0x7373, SimpleTag: 0x67c8, TagName: 0x45a3, TagString: 0x4487,
  Cluster: 0x1f43b675, Timecode: 0xe7, SimpleBlock: 0xa3,
} as const;

/** The 8-byte "unknown size" of a live Segment or Cluster. */
const UNKNOWN_SIZE = Uint8Array.of(0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

function idBytes(id: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from(bytes);
}

function sizeVint(size: number): Uint8Array {
  for (let length = 1; length <= 8; length++) {
    if (size < 2 ** (7 * length) - 1) {
      const out = new Uint8Array(length);
      let v = size;
      for (let i = length - 1; i >= 0; i--) {
        out[i] = v % 256;
        v = Math.floor(v / 256);
      }
      out[0]! |= 1 << (8 - length);
      return out;
    }
  }
  throw new RangeError(`EBML element of ${size} bytes is too large`);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const element = (id: number, ...children: Uint8Array[]): Uint8Array => {
  const data = concat(children);
  return concat([idBytes(id), sizeVint(data.length), data]);
};
const unknownSized = (id: number, ...children: Uint8Array[]): Uint8Array => concat([idBytes(id), UNKNOWN_SIZE, ...children]);
const text = (id: number, value: string): Uint8Array => element(id, new TextEncoder().encode(value));
function uint(id: number, value: number | bigint): Uint8Array {
  const bytes: number[] = [];
  for (let v = BigInt(value); v > 0n || bytes.length === 0; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return element(id, Uint8Array.from(bytes));
}
function float64(id: number, value: number): Uint8Array {
  const data = new Uint8Array(8);
  new DataView(data.buffer).setFloat64(0, value);
  return element(id, data);
}
const tags = (pairs: Readonly<Record<string, string>>): Uint8Array =>
  element(ID.Tags, element(ID.Tag, ...Object.entries(pairs).map(([name, value]) => element(ID.SimpleTag, text(ID.TagName, name), text(ID.TagString, value)))));

const EBML_HEADER = element(
  ID.EBML,
  uint(ID.EBMLVersion, 1), uint(ID.EBMLReadVersion, 1), uint(ID.EBMLMaxIDLength, 4), uint(ID.EBMLMaxSizeLength, 8),
  text(ID.DocType, 'matroska'), uint(ID.DocTypeVersion, 2), uint(ID.DocTypeReadVersion, 2),
);

const trackEntry = (number: number, name: string): Uint8Array =>
  element(
    ID.TrackEntry,
    uint(ID.TrackNumber, number), uint(ID.TrackUID, number), uint(ID.TrackType, 2), text(ID.Name, name), text(ID.CodecID, 'A_AAC'),
    element(ID.Audio, float64(ID.SamplingFrequency, CONNECT_SAMPLE_RATE_HZ), uint(ID.Channels, 1), uint(ID.BitDepth, 16)),
  );

function simpleBlock(track: number, relativeMs: number, pcm: Int16Array): Uint8Array {
  const header = Uint8Array.of(0x80 | track, (relativeMs >> 8) & 0xff, relativeMs & 0xff, 0x80);
  const payload = new Uint8Array(pcm.length * 2);
  const view = new DataView(payload.buffer);
  pcm.forEach((sample, i) => view.setInt16(2 * i, sample, true));
  return element(ID.SimpleBlock, header, payload);
}

/**
 * The call as the bytes GetMedia would return for it: fragments of `fragmentMs`, each a complete MKV document.
 * @example const mkv = connectMkv({ contactId: 'c-1', fromCustomer: pcm16 });
 */
export function connectMkv(call: ConnectCall, layout: ConnectMkvLayout = {}): Uint8Array {
  const fragmentMs = layout.fragmentMs ?? 1000;
  const blockMs = layout.blockMs ?? 32;
  if (!(blockMs > 0 && fragmentMs >= blockMs && fragmentMs <= 32_000)) throw new RangeError('need 0 < blockMs ≤ fragmentMs ≤ 32000');
  const startMs = call.startMs ?? 1_700_000_000_000;
  const firstFragment = call.firstFragmentNumber ?? 91343852333181500000n;
  const total = call.fromCustomer.length;
  const toCustomer = call.toCustomer ?? new Int16Array(total);
  const perFragment = (fragmentMs * CONNECT_SAMPLE_RATE_HZ) / 1000;
  const perBlock = (blockMs * CONNECT_SAMPLE_RATE_HZ) / 1000;
  const tracks = element(ID.Tracks, trackEntry(1, CONNECT_TRACKS.fromCustomer), trackEntry(2, CONNECT_TRACKS.toCustomer));
  const fragments: Uint8Array[] = [];
  for (let index = 0, first = 0; first < total || index === 0; index++, first += perFragment) {
    const fragmentStartMs = startMs + index * fragmentMs;
    const blocks: Uint8Array[] = [];
    for (let offset = first; offset < Math.min(first + perFragment, total); offset += perBlock) {
      const end = Math.min(offset + perBlock, first + perFragment, total);
      const relativeMs = Math.round(((offset - first) * 1000) / CONNECT_SAMPLE_RATE_HZ);
      blocks.push(simpleBlock(1, relativeMs, call.fromCustomer.subarray(offset, end)), simpleBlock(2, relativeMs, toCustomer.subarray(offset, end)));
    }
    const seconds = (fragmentStartMs / 1000).toFixed(3);
    fragments.push(
      EBML_HEADER,
      unknownSized(
        ID.Segment,
        element(ID.Info, uint(ID.TimecodeScale, 1_000_000), text(ID.Title, 'Kinesis Video SDK'), text(ID.MuxingApp, 'Kinesis Video SDK'), text(ID.WritingApp, 'Kinesis Video SDK')),
        tracks,
        tags({
          AWS_KINESISVIDEO_FRAGMENT_NUMBER: (firstFragment + BigInt(index)).toString(),
          AWS_KINESISVIDEO_SERVER_TIMESTAMP: seconds,
          AWS_KINESISVIDEO_PRODUCER_TIMESTAMP: seconds,
        }),
        unknownSized(ID.Cluster, uint(ID.Timecode, fragmentStartMs), ...blocks),
        tags({
          ContactId: call.contactId,
          InstanceId: call.instanceId ?? 'c8c0e68d-2200-4265-82c0-000000000000',
          MimeType: 'audio/L16;rate=8000;channels=1;',
          [CONNECT_TRACKS.fromCustomer]: '1',
          [CONNECT_TRACKS.toCustomer]: '2',
          Events: '[]',
        }),
      ),
    );
  }
  return concat(fragments);
}
