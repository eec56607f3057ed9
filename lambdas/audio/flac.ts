import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { checkChannel, checkDuration, checkSampleRate, type ResolvedDecodeOptions } from './limits.js';
import { EmptyAudioError, MalformedAudioError, TruncatedAudioError } from './errors.js';
import type { Pcm } from './types.js';

/** What FLAC's mandatory first metadata block, STREAMINFO, declares. */
interface StreamInfo {
  readonly sampleRateHz: number;
  readonly channelCount: number;
  /** 0 when the encoder did not know the length (allowed by the format). */
  readonly totalFrames: number;
}

/**
 * Decodes a native FLAC file with `@wasm-audio-decoders/flac` and keeps one channel.
 *
 * STREAMINFO is read first so that the rate, channel and length are refused before any decoding.
 * The decoder reports neither truncation nor garbage (it returns fewer or zero samples), so the
 * sample count is checked against STREAMINFO afterwards.
 */
export async function decodeFlac(bytes: Uint8Array, options: ResolvedDecodeOptions): Promise<Pcm> {
  const info = readStreamInfo(bytes);
  checkSampleRate(info.sampleRateHz);
  checkChannel(options.channel, info.channelCount);
  if (info.totalFrames > 0) checkDuration(info.totalFrames, info.sampleRateHz, options.maxSeconds);

  const decoder = new FLACDecoder();
  try {
    await decoder.ready;
    const decoded = await decoder.decodeFile(withTrailingPadding(bytes));
    if (decoded.errors.length > 0) {
      const first = decoded.errors[0]!;
      throw new MalformedAudioError(`FLAC stream is corrupt: ${first.message} (${decoded.errors.length} frame errors)`, {
        cause: decoded.errors,
      });
    }
    const frames = decoded.samplesDecoded;
    if (info.totalFrames > 0 && frames < info.totalFrames) {
      throw new TruncatedAudioError(
        `FLAC file is truncated or corrupt: STREAMINFO declares ${info.totalFrames} samples but only ${frames} decode`,
        info.totalFrames,
        frames,
      );
    }
    if (frames === 0) throw new EmptyAudioError('FLAC file decodes to no samples');
    checkDuration(frames, info.sampleRateHz, options.maxSeconds);
    const channel = decoded.channelData[options.channel];
    if (!channel || decoded.sampleRate !== info.sampleRateHz) {
      throw new MalformedAudioError('FLAC frames disagree with STREAMINFO on the channel count or sample rate');
    }
    return { sampleRateHz: info.sampleRateHz, samples: channel.slice(0, frames) }; // a copy: the decoder is freed below
  } finally {
    decoder.free();
  }
}

/**
 * The decoder's frame parser (codec-parser) drops the last frame when that frame is only a few bytes
 * long, as a block of digital silence is (a CONSTANT subframe): it asks for header + 8 bytes before it
 * accepts a header, and at the end of the file that request ends its flush. Zero bytes after the
 * stream let it read on; they are not a frame (no sync code), and a cut file is still caught by the
 * sample count check.
 */
function withTrailingPadding(bytes: Uint8Array): Uint8Array {
  const padded = new Uint8Array(bytes.byteLength + 64);
  padded.set(bytes);
  return padded;
}

function readStreamInfo(bytes: Uint8Array): StreamInfo {
  // "fLaC", then a 4-byte metadata block header, then the 34-byte STREAMINFO body.
  if (bytes.byteLength < 42) throw new TruncatedAudioError('FLAC file ends inside its STREAMINFO block', 42, bytes.byteLength);
  const blockType = bytes[4]! & 0x7f;
  const blockLength = (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!;
  if (blockType !== 0 || blockLength !== 34) {
    throw new MalformedAudioError('FLAC file does not start with a STREAMINFO block');
  }
  const b = (i: number): number => bytes[8 + i]!;
  const sampleRateHz = (b(10) << 12) | (b(11) << 4) | (b(12) >> 4);
  const channelCount = ((b(12) >> 1) & 0x07) + 1;
  const totalFrames = (b(13) & 0x0f) * 2 ** 32 + ((b(14) << 24) >>> 0) + (b(15) << 16) + (b(16) << 8) + b(17);
  if (sampleRateHz === 0) throw new MalformedAudioError('FLAC STREAMINFO declares a sample rate of 0 Hz');
  return { sampleRateHz, channelCount, totalFrames };
}
