import { decodeWav } from './wav.js';
import { decodeFlac } from './flac.js';
import { decodeOggVorbis } from './ogg-vorbis.js';
import { decodeChannel } from './sample-encoding.js';
import { type ResolvedDecodeOptions, checkChannel, checkDuration, resolveDecodeOptions } from './limits.js';
import { EmptyAudioError, TruncatedAudioError, UnrecognisedAudioFormatError, UnsupportedEncodingError } from './errors.js';
import type { DecodeOptions, Pcm } from './types.js';

/**
 * Decodes an audio file (or raw stream) to mono float PCM at the file's own sample rate.
 *
 * The container is found from its magic bytes: WAV (PCM 8/16/24/32-bit, float 32/64-bit, G.711
 * μ-law and A-law, WAVE_FORMAT_EXTENSIBLE), FLAC and Ogg Vorbis. Bytes that match none of them are
 * read as raw 16-bit little-endian PCM when `options.rawPcmSampleRateHz` is given (what Amazon
 * Connect streams), and refused otherwise. One channel is kept (`options.channel`, Voice ID's ChannelId).
 *
 * @param bytes the whole file; not modified.
 * @returns `{ sampleRateHz, samples }` with samples in [-1, 1].
 * @throws {AudioError} a typed subclass for each refusal: empty, truncated, malformed, unsupported
 *   encoding, unsupported rate (accepted 8000–48000 Hz), too long (`options.maxSeconds`), channel out
 *   of range, unrecognised format.
 * @example
 * const pcm = await decodeAudio(await readFile('call.wav'), { channel: 1 });
 * const pcm16k = resample(pcm, 16000);
 */
export async function decodeAudio(bytes: Uint8Array, options?: DecodeOptions): Promise<Pcm> {
  const resolved = resolveDecodeOptions(options);
  if (bytes.byteLength === 0) throw new EmptyAudioError();
  switch (detectContainer(bytes)) {
    case 'wav':
      return decodeWav(bytes, resolved);
    case 'flac':
      return decodeFlac(bytes.subarray(id3TagLength(bytes)), resolved);
    case 'ogg':
      return decodeOggVorbis(bytes, resolved);
    case undefined:
      break;
  }
  if (resolved.rawPcmSampleRateHz !== undefined) return decodeRawPcm16(bytes, resolved.rawPcmSampleRateHz, resolved);
  const known = nameUnsupportedContainer(bytes);
  if (known) throw new UnsupportedEncodingError(known);
  throw new UnrecognisedAudioFormatError(
    'Audio matches no supported format (WAV, FLAC, Ogg Vorbis); pass rawPcmSampleRateHz for headerless 16-bit PCM',
  );
}

/** Containers `decodeAudio` decodes. */
export type ContainerFormat = 'wav' | 'flac' | 'ogg';

/** Containers that are recognised only to be refused by name. */
const KNOWN_UNSUPPORTED: ReadonlyArray<{ readonly name: string; readonly matches: (b: Uint8Array) => boolean }> = [
  { name: 'MP3', matches: (b) => ascii(b, 0, 'ID3') || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0) },
  { name: 'AIFF', matches: (b) => ascii(b, 0, 'FORM') && (ascii(b, 8, 'AIFF') || ascii(b, 8, 'AIFC')) },
  { name: 'Matroska/WebM', matches: (b) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3 },
  { name: 'MP4/M4A', matches: (b) => ascii(b, 4, 'ftyp') },
  { name: 'AMR', matches: (b) => ascii(b, 0, '#!AMR') },
  { name: 'Sun/NeXT audio (.au)', matches: (b) => ascii(b, 0, '.snd') },
  { name: 'Core Audio (CAF)', matches: (b) => ascii(b, 0, 'caff') },
  { name: 'Wave64', matches: (b) => ascii(b, 0, 'riff') && b[4] === 0x2e && b[5] === 0x91 },
];

/**
 * Identifies a container by its magic bytes (never by file name).
 * @returns the container, or `undefined` when the bytes start like none Timbre decodes.
 * @example
 * detectContainer(await readFile('call.flac')); // 'flac', whatever the file is called
 */
export function detectContainer(bytes: Uint8Array): ContainerFormat | undefined {
  const riff = ascii(bytes, 0, 'RIFF') || ascii(bytes, 0, 'RIFX') || ascii(bytes, 0, 'RF64');
  // A RIFF file too short to say "WAVE" is taken as a cut WAV, so it is refused as truncated.
  if (riff && (ascii(bytes, 8, 'WAVE') || bytes.byteLength < 12)) return 'wav';
  if (ascii(bytes, id3TagLength(bytes), 'fLaC')) return 'flac'; // taggers may put ID3v2 before FLAC
  if (ascii(bytes, 0, 'OggS')) return 'ogg';
  return undefined;
}

/** Names a container Timbre recognises but does not decode (e.g. `MP3`), for the refusal message. */
function nameUnsupportedContainer(bytes: Uint8Array): string | undefined {
  return KNOWN_UNSUPPORTED.find((format) => format.matches(bytes))?.name;
}

/** Length of an ID3v2 tag at the start of `bytes` (header, body and optional footer), or 0. */
function id3TagLength(bytes: Uint8Array): number {
  if (!ascii(bytes, 0, 'ID3') || bytes.byteLength < 10) return 0;
  // The size is "syncsafe": four bytes of 7 bits each.
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  const footer = bytes[5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  if (bytes.byteLength < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * Decodes headerless 16-bit signed little-endian mono PCM, the format Amazon Connect streams to
 * Kinesis Video Streams (8 kHz). The rate comes from the caller because raw audio cannot say it.
 */
function decodeRawPcm16(bytes: Uint8Array, sampleRateHz: number, options: ResolvedDecodeOptions): Pcm {
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
