import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { checkChannel, checkDuration, checkSampleRate, type ResolvedDecodeOptions } from './limits.js';
import type { Pcm } from './types.js';
import { EmptyAudioError, MalformedAudioError, TruncatedAudioError, UnsupportedEncodingError } from './errors.js';

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

/** What a walk over every Ogg page found, before any audio is decoded. */
export interface OggStreamSummary {
  readonly channelCount: number;
  readonly sampleRateHz: number;
  /** Granule position of the last page: the stream's length in samples per channel (Vorbis). */
  readonly lastGranule: number;
}

const CRC_TABLE = buildCrcTable();

/**
 * Checks an Ogg Vorbis file's page structure: every page complete and CRC-valid, pages back to back
 * to the end of the file, the last one flagged end-of-stream, and a Vorbis identification header
 * first. The wasm decoder silently returns fewer or no samples for cut or damaged files, so these
 * checks are what turn such files into typed refusals.
 */
export function summariseOggVorbis(bytes: Uint8Array): OggStreamSummary {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  let pageIndex = 0;
  let ident: { channelCount: number; sampleRateHz: number } | undefined;
  let lastGranule = 0;
  let ended = false;
  while (offset < bytes.byteLength) {
    if (bytes.byteLength - offset < 27) {
      throw new TruncatedAudioError(`Ogg file ends inside the header of page ${pageIndex}`, offset + 27, bytes.byteLength);
    }
    if (view.getUint32(offset, false) !== 0x4f676753 /* "OggS" */ || bytes[offset + 4] !== 0) {
      throw new MalformedAudioError(`Ogg page ${pageIndex} at byte ${offset} has no valid capture pattern`);
    }
    const headerType = bytes[offset + 5]!;
    const segmentCount = bytes[offset + 26]!;
    const headerLength = 27 + segmentCount;
    if (bytes.byteLength - offset < headerLength) {
      throw new TruncatedAudioError(`Ogg file ends inside the header of page ${pageIndex}`, offset + headerLength, bytes.byteLength);
    }
    let bodyLength = 0;
    for (let i = 0; i < segmentCount; i++) bodyLength += bytes[offset + 27 + i]!;
    const pageLength = headerLength + bodyLength;
    if (bytes.byteLength - offset < pageLength) {
      throw new TruncatedAudioError(
        `Ogg file is truncated: page ${pageIndex} needs ${pageLength} bytes but only ${bytes.byteLength - offset} remain`,
        offset + pageLength,
        bytes.byteLength,
      );
    }
    if (oggCrc(bytes, offset, pageLength) !== view.getUint32(offset + 22, true)) {
      throw new MalformedAudioError(`Ogg page ${pageIndex} fails its CRC check: the file is corrupt`);
    }
    if (pageIndex === 0) ident = readIdentification(bytes.subarray(offset + headerLength, offset + pageLength));
    // Granule positions above 2^53 do not occur in files under Timbre's length cap.
    const granule = view.getUint32(offset + 6, true) + view.getUint32(offset + 10, true) * 2 ** 32;
    if (granule !== 2 ** 64 - 1) lastGranule = granule; // all ones: no packet ends on this page
    ended = (headerType & 0x04) !== 0;
    offset += pageLength;
    pageIndex++;
  }
  if (!ident) throw new TruncatedAudioError('Ogg file has no pages', 27, bytes.byteLength);
  if (!ended) {
    throw new TruncatedAudioError('Ogg file is truncated: its last page is not marked end-of-stream', bytes.byteLength + 1, bytes.byteLength);
  }
  return { ...ident, lastGranule };
}

function readIdentification(packet: Uint8Array): { channelCount: number; sampleRateHz: number } {
  const starts = (magic: string): boolean => [...magic].every((c, i) => packet[i] === c.charCodeAt(0));
  if (starts('\x01vorbis')) {
    if (packet.byteLength < 30) throw new MalformedAudioError('Vorbis identification header is too short');
    const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
    const channelCount = packet[11]!;
    const sampleRateHz = view.getUint32(12, true);
    if (channelCount === 0) throw new MalformedAudioError('Vorbis identification header declares 0 channels');
    return { channelCount, sampleRateHz };
  }
  if (starts('OpusHead')) throw new UnsupportedEncodingError('Ogg Opus');
  if (starts('\x7fFLAC')) throw new UnsupportedEncodingError('FLAC in Ogg');
  if (starts('Speex   ')) throw new UnsupportedEncodingError('Ogg Speex');
  throw new UnsupportedEncodingError('Ogg stream whose first packet is not a Vorbis identification header');
}

/** Ogg's CRC-32 (polynomial 0x04C11DB7, unreflected, zero initial value) with the CRC field read as zero. */
function oggCrc(bytes: Uint8Array, start: number, length: number): number {
  let crc = 0;
  for (let i = 0; i < length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : bytes[start + i]!;
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  }
  return crc;
}

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
}
