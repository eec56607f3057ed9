/**
 * ITU-T G.711 decoding by table: one 256-entry lookup per law, built once at load.
 * Values are the 16-bit linear levels of G.711's reference decoder (μ-law ±32124, A-law ±32256)
 * scaled by 1/32768, so they line up with 16-bit PCM decoded by {@link decodePcmChannel}.
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

function buildTable(expand: (code: number) => number): Float32Array {
  const table = new Float32Array(256);
  for (let code = 0; code < 256; code++) table[code] = expand(code) / 32768;
  return table;
}
