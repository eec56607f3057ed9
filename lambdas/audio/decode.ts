import { detectContainer, nameUnsupportedContainer } from './detect-format.js';
import { decodeWav } from './wav.js';
import { decodeFlac } from './flac.js';
import { decodeOggVorbis } from './ogg-vorbis.js';
import { decodeRawPcm16 } from './raw-pcm.js';
import { resolveDecodeOptions } from './limits.js';
import { EmptyAudioError, UnrecognisedAudioFormatError, UnsupportedEncodingError } from './errors.js';
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
      return decodeFlac(bytes, resolved);
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
