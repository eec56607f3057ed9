/**
 * What a batch record's audio must be before any of it is decoded (spec §5.6): an S3 URI inside the buckets the
 * job's role may read, with no path tricks, naming a RIFF WAV of 8 kHz 16-bit PCM with at most 2 channels and at
 * most 20 MB, whose ChannelId exists. Each rule answers with the sentence the output file reports.
 */

/** Largest audio file a record may name: 20 MB. */
export const MAX_AUDIO_BYTES = 20 * 1024 * 1024;
/** The only sample rate batch audio may have. */
export const BATCH_SAMPLE_RATE_HZ = 8000;

/** An S3 object named by a manifest. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

const S3_URI = /^s3:\/\/([a-z0-9][.\-a-z0-9]{1,61}[a-z0-9])\/(.+)$/;

/**
 * The bucket and key of an audio URI, or the reason it is refused: malformed, outside `readableBuckets`, or a
 * path trick (`..`, percent-encoded characters, backslashes) that could make one key read as another.
 * @example parseAudioUri('s3://calls/a.wav', new Set(['calls'])) // { bucket: 'calls', key: 'a.wav' }
 */
export function parseAudioUri(uri: string, readableBuckets: ReadonlySet<string>): S3Location | { refused: string } {
  const match = S3_URI.exec(uri);
  if (match === null) return { refused: `${uri} is not a valid S3 URI (s3://bucket/key)` };
  const [, bucket, key] = match as unknown as [string, string, string];
  if (key.includes('%') || key.includes('\\') || key.split('/').some((part) => part === '..' || part === '.')) {
    return { refused: `${uri} has a path that is not allowed (dot segments or encoded characters)` };
  }
  if (bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return { refused: `${uri} is not a valid S3 URI (s3://bucket/key)` };
  if (!readableBuckets.has(bucket)) return { refused: `${uri} is outside the buckets the DataAccessRoleArn may read` };
  return { bucket, key };
}

/** The format facts of a WAV file's header. */
export interface WavFormat {
  readonly channels: number;
  readonly sampleRateHz: number;
  readonly bitsPerSample: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Checks one audio file against Voice ID's batch rules; undefined when it passes, else the reason.
 * @example checkBatchAudio(bytes, 1) // 'The audio file has 1 channel; ChannelId 1 does not exist'
 */
export function checkBatchAudio(bytes: Uint8Array, channelId: number): string | undefined {
  if (bytes.length > MAX_AUDIO_BYTES) return `The audio file is ${bytes.length} bytes; the limit is ${MAX_AUDIO_BYTES} (20 MB)`;
  const format = readWavFormat(bytes);
  if (format === undefined) return 'The audio file is not a RIFF WAV file';
  if (typeof format === 'string') return format;
  if (format.sampleRateHz !== BATCH_SAMPLE_RATE_HZ) return `The audio file is sampled at ${format.sampleRateHz} Hz; batch audio must be 8 kHz`;
  if (format.bitsPerSample !== 16) return `The audio file has ${format.bitsPerSample}-bit samples; batch audio must be 16-bit PCM`;
  if (format.channels < 1 || format.channels > 2) return `The audio file has ${format.channels} channels; batch audio has 1 or 2`;
  if (channelId >= format.channels) return `The audio file has ${format.channels} channel; ChannelId ${channelId} does not exist`;
  return undefined;
}

/** The fmt chunk of a RIFF WAV, undefined when it is not one, or a reason when its encoding is not PCM. */
export function readWavFormat(bytes: Uint8Array): WavFormat | string | undefined {
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at + 4, true);
    if (ascii(bytes, at) === 'fmt ') {
      if (size < 16 || at + 8 + 16 > bytes.length) return undefined;
      let encoding = view.getUint16(at + 8, true);
      // WAVE_FORMAT_EXTENSIBLE carries the real encoding in the first two bytes of its SubFormat GUID.
      if (encoding === WAVE_FORMAT_EXTENSIBLE && size >= 40 && at + 8 + 26 <= bytes.length) encoding = view.getUint16(at + 8 + 24, true);
      if (encoding !== WAVE_FORMAT_PCM) return `The audio file's encoding (WAVE format ${encoding}) is not PCM; batch audio must be 16-bit PCM`;
      return { channels: view.getUint16(at + 10, true), sampleRateHz: view.getUint32(at + 12, true), bitsPerSample: view.getUint16(at + 22, true) };
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}
