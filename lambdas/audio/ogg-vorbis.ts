import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { summariseOggVorbis } from './ogg-pages.js';
import { checkChannel, checkDuration, checkSampleRate, type ResolvedDecodeOptions } from './limits.js';
import { EmptyAudioError, MalformedAudioError } from './errors.js';
import type { Pcm } from './types.js';

/**
 * Decodes an Ogg Vorbis file with `@wasm-audio-decoders/ogg-vorbis` and keeps one channel.
 * Rate, channel and length are refused from the headers before decoding (see {@link summariseOggVorbis}).
 */
export async function decodeOggVorbis(bytes: Uint8Array, options: ResolvedDecodeOptions): Promise<Pcm> {
  const summary = summariseOggVorbis(bytes);
  checkSampleRate(summary.sampleRateHz);
  checkChannel(options.channel, summary.channelCount);
  checkDuration(summary.lastGranule, summary.sampleRateHz, options.maxSeconds);

  const decoder = new OggVorbisDecoder();
  try {
    await decoder.ready;
    const decoded = await decoder.decodeFile(bytes);
    if (decoded.errors.length > 0) {
      throw new MalformedAudioError(`Ogg Vorbis stream is corrupt: ${decoded.errors[0]!.message}`, { cause: decoded.errors });
    }
    const channel = decoded.channelData[options.channel];
    if (decoded.samplesDecoded === 0 || !channel) throw new EmptyAudioError('Ogg Vorbis file decodes to no samples');
    if (decoded.sampleRate !== summary.sampleRateHz) {
      throw new MalformedAudioError('Ogg Vorbis audio disagrees with its identification header on the sample rate');
    }
    checkDuration(decoded.samplesDecoded, summary.sampleRateHz, options.maxSeconds);
    const samples = new Float32Array(decoded.samplesDecoded);
    for (let i = 0; i < samples.length; i++) {
      const v = channel[i]!; // lossy decoding can overshoot full scale slightly
      samples[i] = v > 1 ? 1 : v < -1 ? -1 : v;
    }
    return { sampleRateHz: summary.sampleRateHz, samples };
  } finally {
    decoder.free();
  }
}
