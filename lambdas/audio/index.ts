export type { DecodeOptions, Pcm } from './types.js';
export { decodeAudio, detectContainer } from './decode.js';
export type { ContainerFormat } from './decode.js';
export { resample } from './resample.js';
export { DEFAULT_MAX_AUDIO_SECONDS, MAX_SAMPLE_RATE_HZ, MIN_SAMPLE_RATE_HZ } from './limits.js';
export { ALAW_TO_FLOAT, MULAW_TO_FLOAT, alawToLinear16, floatToInt16, int16ToFloat, mulawToLinear16 } from './sample-encoding.js';
export {
  AudioError,
  AudioTooLongError,
  ChannelOutOfRangeError,
  EmptyAudioError,
  InvalidAudioOptionError,
  MalformedAudioError,
  TruncatedAudioError,
  UnrecognisedAudioFormatError,
  UnsupportedEncodingError,
  UnsupportedSampleRateError,
} from './errors.js';
export { readMkv, Pcm16Assembler } from './mkv.js';
export type { MkvEvent, MkvReadOptions } from './mkv.js';
export { connectMkv, CONNECT_SAMPLE_RATE_HZ, CONNECT_TRACKS } from './mkv-writer.js';
export type { ConnectCall, ConnectMkvLayout } from './mkv-writer.js';
