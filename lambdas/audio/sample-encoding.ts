import { ALAW_TO_FLOAT, MULAW_TO_FLOAT } from './g711.js';

/**
 * How one sample is stored in an interleaved little-endian frame. Integer samples are
 * left-justified in their container (a 20-bit sample in 3 bytes decodes like a 24-bit one).
 */
export type SampleEncoding =
  | { readonly kind: 'unsigned-int'; readonly bytes: 1 }
  | { readonly kind: 'signed-int'; readonly bytes: 2 | 3 | 4 }
  | { readonly kind: 'float'; readonly bytes: 4 | 8 }
  | { readonly kind: 'mulaw'; readonly bytes: 1 }
  | { readonly kind: 'alaw'; readonly bytes: 1 };

/** Where the interleaved frames are and which channel to take. */
export interface InterleavedLayout {
  /** Byte offset of the first frame within `view`. */
  readonly offset: number;
  readonly frameCount: number;
  /** Bytes per frame (all channels). */
  readonly blockAlign: number;
  /** 0-based channel to extract. */
  readonly channel: number;
}

/**
 * Extracts one channel of interleaved little-endian samples as floats in [-1, 1].
 * Non-finite float samples become 0 and out-of-range ones are clipped, so later stages can
 * rely on the {@link Pcm} contract.
 *
 * @returns Float32Array of `layout.frameCount` samples.
 */
export function decodeChannel(
  view: DataView,
  layout: InterleavedLayout,
  encoding: SampleEncoding,
): Float32Array {
  const { frameCount, blockAlign } = layout;
  const out = new Float32Array(frameCount);
  let p = layout.offset + layout.channel * encoding.bytes;
  switch (encoding.kind) {
    case 'unsigned-int':
      for (let i = 0; i < frameCount; i++, p += blockAlign) out[i] = (view.getUint8(p) - 128) / 128;
      break;
    case 'signed-int':
      if (encoding.bytes === 2) {
        for (let i = 0; i < frameCount; i++, p += blockAlign) out[i] = view.getInt16(p, true) / 32768;
      } else if (encoding.bytes === 3) {
        for (let i = 0; i < frameCount; i++, p += blockAlign) {
          // Low 16 bits unsigned plus the signed top byte gives the signed 24-bit value.
          out[i] = (view.getUint16(p, true) + (view.getInt8(p + 2) << 16)) / 8388608;
        }
      } else {
        for (let i = 0; i < frameCount; i++, p += blockAlign) out[i] = view.getInt32(p, true) / 2147483648;
      }
      break;
    case 'float':
      for (let i = 0; i < frameCount; i++, p += blockAlign) {
        const v = encoding.bytes === 4 ? view.getFloat32(p, true) : view.getFloat64(p, true);
        out[i] = v > 1 ? 1 : v < -1 ? -1 : v === v ? v : 0; // v === v is false only for NaN
      }
      break;
    case 'mulaw':
      for (let i = 0; i < frameCount; i++, p += blockAlign) out[i] = MULAW_TO_FLOAT[view.getUint8(p)]!;
      break;
    case 'alaw':
      for (let i = 0; i < frameCount; i++, p += blockAlign) out[i] = ALAW_TO_FLOAT[view.getUint8(p)]!;
      break;
    default: {
      const unreachable: never = encoding;
      throw new Error(`unhandled sample encoding ${JSON.stringify(unreachable)}`);
    }
  }
  return out;
}
