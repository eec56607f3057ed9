/**
 * Stored samples to floats. ITU-T G.711 is decoded by table: one 256-entry lookup per law, built
 * once at load, holding the 16-bit linear levels of G.711's reference decoder (μ-law ±32124, A-law
 * ±32256) scaled by 1/32768, so they line up with 16-bit PCM decoded by {@link decodeChannel}.
 */

/** μ-law code (WAVE_FORMAT_MULAW, 7) → float sample. Shape: 256 entries, indexed by the byte. */
export const MULAW_TO_FLOAT: Float32Array = buildTable(mulawToLinear16);
/** A-law code (WAVE_FORMAT_ALAW, 6) → float sample. Shape: 256 entries, indexed by the byte. */
export const ALAW_TO_FLOAT: Float32Array = buildTable(alawToLinear16);

/** G.711 μ-law expansion of one code to a 16-bit linear level. */
export function mulawToLinear16(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  // 0x84 is the bias G.711 adds before compression; remove it after expansion.
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? 0 - magnitude : magnitude; // 0 - x, not -x: code 0x7F is +0, not -0
}

/** G.711 A-law expansion of one code to a 16-bit linear level. */
export function alawToLinear16(code: number): number {
  const a = (code ^ 0x55) & 0xff; // A-law inverts every even bit on the wire
  const segment = (a >> 4) & 0x07;
  let magnitude = (a & 0x0f) << 4;
  if (segment === 0) magnitude += 8;
  else magnitude = (magnitude + 0x108) << (segment - 1);
  return a & 0x80 ? magnitude : 0 - magnitude;
}

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

function buildTable(expand: (code: number) => number): Float32Array {
  const table = new Float32Array(256);
  for (let code = 0; code < 256; code++) table[code] = expand(code) / 32768;
  return table;
}

/** 16-bit PCM levels → floats in [-1, 1) (plain loops: TypedArray.from with a mapper is many times slower). */
export function int16ToFloat(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** Floats → 16-bit PCM levels, rounded and clipped. */
export function floatToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32768)));
  return out;
}
