import { resample, type Pcm } from '../../lambdas/audio/index.js';

/** The telephone rate the watchlist measurement goes through, as Amazon Connect streams it. */
export const TELEPHONE_RATE_HZ = 8000;

const MULAW_BIAS = 0x84;
const MULAW_CLIP = 32635;

/** G.711 μ-law compression of one 16-bit linear level (the inverse of lambdas/audio's mulawToLinear16). */
export function linear16ToMulaw(level: number): number {
  let magnitude = Math.round(level);
  const sign = magnitude < 0 ? 0x80 : 0;
  if (sign) magnitude = -magnitude;
  magnitude = Math.min(magnitude, MULAW_CLIP) + MULAW_BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/**
 * The eval telephone channel, in process: `pcm` resampled to 8 kHz (the audio box's anti-aliased resampler) and
 * coded as G.711 μ-law, returned as an 8 kHz μ-law WAV file, so the measurement reads it through the same decoder
 * and 8 kHz → 16 kHz path a real call takes. training/timbre_train/audio.py's mulaw_8k_file does the same with sox.
 */
export function mulawTelephoneWav(pcm: Pcm): Uint8Array {
  const narrow = resample(pcm, TELEPHONE_RATE_HZ).samples;
  const header = 12 + 26 + 8; // RIFF, fmt (18-byte body: non-PCM formats carry cbSize), data
  const bytes = new Uint8Array(header + narrow.length);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, bytes.length - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 18, true);
  view.setUint16(20, 7, true); // WAVE_FORMAT_MULAW
  view.setUint16(22, 1, true);
  view.setUint32(24, TELEPHONE_RATE_HZ, true);
  view.setUint32(28, TELEPHONE_RATE_HZ, true);
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  view.setUint16(36, 0, true);
  ascii(38, 'data');
  view.setUint32(42, narrow.length, true);
  for (let i = 0; i < narrow.length; i++) bytes[header + i] = linear16ToMulaw(Math.max(-1, Math.min(1, narrow[i]!)) * 32767);
  return bytes;
}
