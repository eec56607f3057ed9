/**
 * Splits a Connect-style MKV (lambdas/audio/mkv-writer.ts: one EBML document per KVS fragment, Segments and Clusters
 * of unknown size) into its fragments, so GetMedia can start at any of them and pace them by their timecodes. It
 * walks element headers only: unknown-sized elements and tag containers are entered, everything else is skipped
 * by its size, so PCM never has to be scanned for an EBML id.
 */
import { LocalModeError } from '../shared/errors.js';

/** One KVS fragment: a whole MKV document and what its tags and cluster say about it. */
export interface KvsFragment {
  /** `AWS_KINESISVIDEO_FRAGMENT_NUMBER`: a decimal string, increasing along the stream. */
  readonly number: string;
  /** The Cluster Timecode (milliseconds); pacing waits for the difference between fragments. */
  readonly timecodeMs: number;
  /** The document's bytes, EBML header first. */
  readonly bytes: Uint8Array;
}

/** The bytes are not a stream of KVS fragments. */
export class KvsMediaError extends LocalModeError {
  constructor(detail: string) {
    super(`not a Kinesis Video stream of fragments: ${detail}`);
    this.name = 'KvsMediaError';
  }
}

const EBML = 0x1a45dfa3;
const CONTAINERS = new Set([0x18538067 /* Segment */, 0x1f43b675 /* Cluster */, 0x1254c367 /* Tags */, 0x7373 /* Tag */, 0x67c8 /* SimpleTag */]);
const TIMECODE = 0xe7;
const TAG_NAME = 0x45a3;
const TAG_STRING = 0x4487;
const FRAGMENT_NUMBER_TAG = 'AWS_KINESISVIDEO_FRAGMENT_NUMBER';

/** An EBML variable-length integer at `offset`: its length and value (undefined for the all-ones "unknown"). */
function vint(bytes: Uint8Array, offset: number, keepMarker: boolean): { length: number; value: number | undefined } {
  const first = bytes[offset];
  if (first === undefined || first === 0) throw new KvsMediaError(`invalid variable-length integer at byte ${offset}`);
  const length = Math.clz32(first) - 23;
  if (offset + length > bytes.length) throw new KvsMediaError(`truncated element header at byte ${offset}`);
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === (0xff >> length);
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[offset + i]!;
    allOnes &&= bytes[offset + i] === 0xff;
  }
  return { length, value: !keepMarker && allOnes ? undefined : value };
}

function readUint(bytes: Uint8Array): number {
  return bytes.reduce((value, byte) => value * 256 + byte, 0);
}

/**
 * The fragments of `mkv`, in order.
 * @throws KvsMediaError when the bytes do not start with an EBML header, a header is malformed, or a fragment
 *   has no fragment-number tag or no cluster timecode
 */
export function splitFragments(mkv: Uint8Array): KvsFragment[] {
  const starts: number[] = [];
  const numbers: Array<string | undefined> = [];
  const timecodes: Array<number | undefined> = [];
  let tagName: string | undefined;
  const decoder = new TextDecoder();
  for (let offset = 0; offset < mkv.length;) {
    const id = vint(mkv, offset, true);
    const size = vint(mkv, offset + id.length, false);
    const dataStart = offset + id.length + size.length;
    if (id.value === EBML) {
      starts.push(offset);
      numbers.push(undefined);
      timecodes.push(undefined);
    } else if (starts.length === 0) {
      throw new KvsMediaError('the bytes do not start with an EBML header');
    }
    if (size.value === undefined || CONTAINERS.has(id.value!)) {
      offset = dataStart; // enter it: its children follow
      continue;
    }
    const dataEnd = dataStart + size.value;
    if (dataEnd > mkv.length) throw new KvsMediaError(`element at byte ${offset} runs past the end`);
    const data = mkv.subarray(dataStart, dataEnd);
    const last = starts.length - 1;
    if (id.value === TAG_NAME) tagName = decoder.decode(data);
    else if (id.value === TAG_STRING && tagName === FRAGMENT_NUMBER_TAG) numbers[last] ??= decoder.decode(data);
    else if (id.value === TIMECODE) timecodes[last] ??= readUint(data);
    offset = dataEnd;
  }
  if (starts.length === 0) throw new KvsMediaError('no EBML header');
  return starts.map((start, i) => {
    const number = numbers[i];
    const timecodeMs = timecodes[i];
    if (number === undefined || !/^\d+$/.test(number)) throw new KvsMediaError(`fragment ${i} has no numeric ${FRAGMENT_NUMBER_TAG} tag`);
    if (timecodeMs === undefined) throw new KvsMediaError(`fragment ${number} has no cluster timecode`);
    return { number, timecodeMs, bytes: mkv.subarray(start, starts[i + 1] ?? mkv.length) };
  });
}
