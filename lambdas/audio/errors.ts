/**
 * Errors of the audio box. Every refusal of `decodeAudio` and `resample` is an {@link AudioError};
 * the message names the problem (the encoding, the rate, the length and the cap) so that callers can
 * pass it on to the user unchanged.
 */

/** Base class of every error the audio box throws. */
export class AudioError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AudioError';
  }
}

/** The input has no bytes at all, or no samples. */
export class EmptyAudioError extends AudioError {
  constructor(message = 'Audio is empty: no bytes to decode', options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmptyAudioError';
  }
}

/** The file ends before the end its own header declares (e.g. a data chunk shorter than declared). */
export class TruncatedAudioError extends AudioError {
  /** Bytes (or samples, as the message says) the header promised and the bytes actually present. */
  readonly expected: number;
  readonly actual: number;
  constructor(message: string, expected: number, actual: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TruncatedAudioError';
    this.expected = expected;
    this.actual = actual;
  }
}

/** The container was recognised but its header is inconsistent or missing required parts. */
export class MalformedAudioError extends AudioError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MalformedAudioError';
  }
}

/** The container is fine but the sample encoding is one Timbre does not decode (e.g. ADPCM). */
export class UnsupportedEncodingError extends AudioError {
  /** Human-readable name of the encoding, e.g. `ADPCM (format 2)`. */
  readonly encoding: string;
  constructor(encoding: string, options?: ErrorOptions) {
    super(`Unsupported audio encoding: ${encoding}`, options);
    this.name = 'UnsupportedEncodingError';
    this.encoding = encoding;
  }
}

/** The sample rate is outside what Timbre accepts (8000–48000 Hz), or not one a resampler can target. */
export class UnsupportedSampleRateError extends AudioError {
  readonly sampleRateHz: number;
  constructor(sampleRateHz: number, allowed: string, options?: ErrorOptions) {
    super(`Unsupported sample rate: ${sampleRateHz} Hz (accepted: ${allowed})`, options);
    this.name = 'UnsupportedSampleRateError';
    this.sampleRateHz = sampleRateHz;
  }
}

/** The audio is longer than the configured cap (`maxSeconds`). */
export class AudioTooLongError extends AudioError {
  readonly durationSeconds: number;
  readonly maxSeconds: number;
  constructor(durationSeconds: number, maxSeconds: number, options?: ErrorOptions) {
    super(
      `Audio is too long: ${durationSeconds.toFixed(1)} s exceeds the cap of ${maxSeconds} s`,
      options,
    );
    this.name = 'AudioTooLongError';
    this.durationSeconds = durationSeconds;
    this.maxSeconds = maxSeconds;
  }
}

/** The requested channel (Voice ID's ChannelId, 0-based) does not exist in the file. */
export class ChannelOutOfRangeError extends AudioError {
  readonly channel: number;
  readonly channelCount: number;
  constructor(channel: number, channelCount: number, options?: ErrorOptions) {
    super(
      `Channel ${channel} is out of range: the audio has ${channelCount} channel${channelCount === 1 ? '' : 's'} (0-based)`,
      options,
    );
    this.name = 'ChannelOutOfRangeError';
    this.channel = channel;
    this.channelCount = channelCount;
  }
}

/** The bytes match no format Timbre knows (WAV, FLAC, Ogg Vorbis), and no raw PCM rate was given. */
export class UnrecognisedAudioFormatError extends AudioError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnrecognisedAudioFormatError';
  }
}

/** An option passed by the caller is invalid (e.g. a negative `maxSeconds`). */
export class InvalidAudioOptionError extends AudioError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidAudioOptionError';
  }
}
