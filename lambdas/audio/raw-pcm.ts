import { decodeChannel } from './sample-encoding.js';
import { checkChannel, checkDuration, type ResolvedDecodeOptions } from './limits.js';
import { TruncatedAudioError } from './errors.js';
import type { Pcm } from './types.js';

/**
 * Decodes headerless 16-bit signed little-endian mono PCM, the format Amazon Connect streams to
 * Kinesis Video Streams (8 kHz). The rate comes from the caller because raw audio cannot say it.
 */
export function decodeRawPcm16(bytes: Uint8Array, sampleRateHz: number, options: ResolvedDecodeOptions): Pcm {
  if (bytes.byteLength % 2 !== 0) {
    throw new TruncatedAudioError(
      `Raw 16-bit PCM has an odd number of bytes (${bytes.byteLength}): the last sample is cut`,
      bytes.byteLength + 1,
      bytes.byteLength,
    );
  }
  checkChannel(options.channel, 1);
  const frameCount = bytes.byteLength / 2;
  checkDuration(frameCount, sampleRateHz, options.maxSeconds);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samples = decodeChannel(view, { offset: 0, frameCount, blockAlign: 2, channel: 0 }, { kind: 'signed-int', bytes: 2 });
  return { sampleRateHz, samples };
}
