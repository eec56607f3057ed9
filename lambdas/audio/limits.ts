import type { DecodeOptions } from './types.js';
import {
  AudioTooLongError,
  ChannelOutOfRangeError,
  InvalidAudioOptionError,
  UnsupportedSampleRateError,
} from './errors.js';

/** Lowest sample rate Timbre accepts, in Hz (telephone audio). */
export const MIN_SAMPLE_RATE_HZ = 8000;
/** Highest sample rate Timbre accepts, in Hz. */
export const MAX_SAMPLE_RATE_HZ = 48000;
/**
 * Default cap on decoded audio, in seconds: admits Voice ID's largest batch file
 * (20 MiB of 8 kHz 16-bit mono = 1310.7 s) with a little headroom.
 */
export const DEFAULT_MAX_AUDIO_SECONDS = 1320;

const ACCEPTED_RATES = `${MIN_SAMPLE_RATE_HZ}–${MAX_SAMPLE_RATE_HZ} Hz`;

/** Options with defaults applied and checked once, so decoders can trust them. */
export interface ResolvedDecodeOptions {
  readonly channel: number;
  readonly maxSeconds: number;
  readonly rawPcmSampleRateHz: number | undefined;
}

/** Applies defaults and refuses nonsense options with {@link InvalidAudioOptionError}. */
export function resolveDecodeOptions(options: DecodeOptions = {}): ResolvedDecodeOptions {
  const channel = options.channel ?? 0;
  if (!Number.isInteger(channel) || channel < 0) {
    throw new InvalidAudioOptionError(`channel must be a non-negative integer, got ${channel}`);
  }
  const maxSeconds = options.maxSeconds ?? DEFAULT_MAX_AUDIO_SECONDS;
  if (!(maxSeconds > 0) || !Number.isFinite(maxSeconds)) {
    throw new InvalidAudioOptionError(`maxSeconds must be a positive number, got ${maxSeconds}`);
  }
  const raw = options.rawPcmSampleRateHz;
  if (raw !== undefined) checkSampleRate(raw);
  return { channel, maxSeconds, rawPcmSampleRateHz: raw };
}

/** Refuses a sample rate outside 8000–48000 Hz (or not a whole number of Hz). */
export function checkSampleRate(sampleRateHz: number): void {
  if (
    !Number.isInteger(sampleRateHz) ||
    sampleRateHz < MIN_SAMPLE_RATE_HZ ||
    sampleRateHz > MAX_SAMPLE_RATE_HZ
  ) {
    throw new UnsupportedSampleRateError(sampleRateHz, ACCEPTED_RATES);
  }
}

/** Refuses audio of `frameCount` frames at `sampleRateHz` that is longer than `maxSeconds`. */
export function checkDuration(frameCount: number, sampleRateHz: number, maxSeconds: number): void {
  const durationSeconds = frameCount / sampleRateHz;
  if (durationSeconds > maxSeconds) throw new AudioTooLongError(durationSeconds, maxSeconds);
}

/** Refuses a channel index the audio does not have. */
export function checkChannel(channel: number, channelCount: number): void {
  if (channel >= channelCount) throw new ChannelOutOfRangeError(channel, channelCount);
}
