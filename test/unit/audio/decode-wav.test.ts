import { describe, expect, it } from 'vitest';
import {
  AudioTooLongError,
  ChannelOutOfRangeError,
  EmptyAudioError,
  MalformedAudioError,
  TruncatedAudioError,
  UnsupportedEncodingError,
  UnsupportedSampleRateError,
  decodeAudio,
} from '../../../lambdas/audio/index.js';
import { fixture, maxAbsDiff, snrDb, toneAmplitude } from './audio-fixtures.js';

const LSB16 = 1 / 32768;

/** Byte offset of the first chunk with this id (its 8-byte header starts there). */
function chunkAt(bytes: Uint8Array, id: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 12; at + 8 <= bytes.byteLength; ) {
    if (String.fromCharCode(...bytes.subarray(at, at + 4)) === id) return at;
    const size = view.getUint32(at + 4, true);
    at += 8 + size + (size & 1);
  }
  throw new Error(`fixture has no ${id} chunk`);
}

function setU16(bytes: Uint8Array, at: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint16(at, value, true);
}
function setU32(bytes: Uint8Array, at: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, value, true);
}

describe('decodeAudio (WAV)', () => {
  it('decodes 16-bit PCM to floats at the file rate', async () => {
    // Act
    const pcm = await decodeAudio(fixture('speech-8k-s16.wav'));
    // Assess: the raw little-endian samples of the same phrase, scaled by 1/32768
    const raw = fixture('speech-8k-s16le.raw');
    const view = new DataView(raw.buffer);
    expect(pcm.sampleRateHz).toBe(8000);
    expect(pcm.samples.length).toBe(raw.byteLength / 2);
    for (const i of [0, 1000, 5000, pcm.samples.length - 1]) expect(pcm.samples[i]).toBe(view.getInt16(2 * i, true) / 32768);
  });

  // Every encoding of the same phrase against the 16-bit decode, with the tolerance its quantisation allows.
  it.each([
    ['speech-8k-u8.wav', 1 / 128 + LSB16, 25],
    ['speech-8k-s24.wav', LSB16, 70],
    ['speech-8k-s32.wav', LSB16, 70],
    ['speech-8k-f32.wav', LSB16, 70],
    ['speech-8k-f64.wav', LSB16, 70],
    ['speech-8k-s24-extensible.wav', LSB16, 70],
    ['speech-8k-mulaw.wav', 0.03, 30],
    ['speech-8k-alaw.wav', 0.03, 30],
  ])('decodes %s to the reference within its codec tolerance', async (name, maxDiff, minSnrDb) => {
    // Prepare
    const reference = await decodeAudio(fixture('speech-8k-s16.wav'));
    // Act
    const pcm = await decodeAudio(fixture(name));
    // Assess
    expect(pcm.sampleRateHz).toBe(8000);
    expect(pcm.samples.length).toBe(reference.samples.length);
    expect(maxAbsDiff(pcm.samples, reference.samples)).toBeLessThanOrEqual(maxDiff);
    expect(snrDb(reference.samples, pcm.samples)).toBeGreaterThan(minSnrDb);
  });

  it('keeps the chosen channel of a stereo file: tone on 0, speech on 1', async () => {
    // Prepare
    const bytes = fixture('stereo-tone-left-speech-right-8k-s16.wav');
    const speech = await decodeAudio(fixture('speech-8k-s16.wav'));
    // Act
    const left = await decodeAudio(bytes, { channel: 0 });
    const right = await decodeAudio(bytes, { channel: 1 });
    const byDefault = await decodeAudio(bytes);
    // Assess
    expect(toneAmplitude(left.samples, 8000, 1000)).toBeCloseTo(0.5, 2);
    expect(right.samples).toEqual(speech.samples);
    expect(byDefault.samples).toEqual(left.samples);
  });

  it('reads a three-channel WAVE_FORMAT_EXTENSIBLE file channel by channel', async () => {
    const bytes = fixture('three-channel-8k-s16.wav');
    const speech = await decodeAudio(fixture('speech-8k-s16.wav'));
    expect(toneAmplitude((await decodeAudio(bytes, { channel: 0 })).samples, 8000, 1000)).toBeCloseTo(0.5, 2);
    expect((await decodeAudio(bytes, { channel: 1 })).samples).toEqual(speech.samples);
    expect(Math.max(...(await decodeAudio(bytes, { channel: 2 })).samples.map(Math.abs))).toBe(0);
  });

  it('reads 32-bit float inside WAVE_FORMAT_EXTENSIBLE (sub-format 3)', async () => {
    // Prepare: the float samples of speech-8k-f32.wav under a 40-byte EXTENSIBLE fmt chunk
    const f32 = fixture('speech-8k-f32.wav');
    const dataAt = chunkAt(f32, 'data');
    const data = f32.subarray(dataAt + 8, dataAt + 8 + new DataView(f32.buffer).getUint32(dataAt + 4, true));
    const bytes = new Uint8Array(12 + 8 + 40 + 8 + data.byteLength);
    const view = new DataView(bytes.buffer);
    bytes.set(new TextEncoder().encode('RIFF'), 0);
    view.setUint32(4, bytes.byteLength - 8, true);
    bytes.set(new TextEncoder().encode('WAVEfmt '), 8);
    view.setUint32(16, 40, true);
    view.setUint16(20, 0xfffe, true); // WAVE_FORMAT_EXTENSIBLE
    view.setUint16(22, 1, true);
    view.setUint32(24, 8000, true);
    view.setUint32(28, 32000, true);
    view.setUint16(32, 4, true);
    view.setUint16(34, 32, true);
    view.setUint16(36, 22, true); // cbSize
    view.setUint16(38, 32, true); // valid bits
    view.setUint32(40, 4, true); // channel mask: front centre
    bytes.set([3, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], 44); // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT
    bytes.set(new TextEncoder().encode('data'), 60);
    view.setUint32(64, data.byteLength, true);
    bytes.set(data, 68);
    // Act + Assess
    expect((await decodeAudio(bytes)).samples).toEqual((await decodeAudio(f32)).samples);
  });

  it('accepts a data chunk of unknown length (0xFFFFFFFF) by reading to the end of the file', async () => {
    const bytes = fixture('speech-8k-s16.wav');
    setU32(bytes, chunkAt(bytes, 'data') + 4, 0xffffffff);
    const pcm = await decodeAudio(bytes);
    expect(pcm.samples).toEqual((await decodeAudio(fixture('speech-8k-s16.wav'))).samples);
  });

  it('skips other chunks, odd-sized ones with their pad byte, before the data chunk', async () => {
    // Prepare: RIFF header + fmt, then a 5-byte LIST chunk (plus pad byte), then the original data chunk
    const original = fixture('speech-8k-s16.wav');
    const data = chunkAt(original, 'data');
    const list = new Uint8Array([0x4c, 0x49, 0x53, 0x54, 5, 0, 0, 0, 1, 2, 3, 4, 5, 0]);
    const bytes = new Uint8Array(original.byteLength + list.byteLength);
    bytes.set(original.subarray(0, data));
    bytes.set(list, data);
    bytes.set(original.subarray(data), data + list.byteLength);
    setU32(bytes, 4, bytes.byteLength - 8);
    // Act
    const pcm = await decodeAudio(bytes);
    // Assess
    expect(pcm.samples).toEqual((await decodeAudio(original)).samples);
  });

  it('drops a trailing partial frame', async () => {
    const bytes = fixture('stereo-tone-left-speech-right-8k-s16.wav');
    const data = chunkAt(bytes, 'data');
    setU32(bytes, data + 4, 4 * 100 + 2); // 100 stereo frames and half of the next
    const pcm = await decodeAudio(bytes.subarray(0, data + 8 + 402));
    expect(pcm.samples.length).toBe(100);
  });

  it('refuses a file whose data chunk is shorter than declared', async () => {
    const bytes = fixture('speech-8k-s16.wav');
    const cut = bytes.subarray(0, bytes.byteLength - 1000);
    await expect(decodeAudio(cut)).rejects.toThrow(TruncatedAudioError);
    await expect(decodeAudio(cut)).rejects.toThrow(/data chunk is truncated: declares 22438 bytes but only 21438/);
  });

  it('refuses a file cut inside its header', async () => {
    await expect(decodeAudio(fixture('speech-8k-s16.wav').subarray(0, 30))).rejects.toThrow(TruncatedAudioError);
    await expect(decodeAudio(fixture('speech-8k-s16.wav').subarray(0, 10))).rejects.toThrow(TruncatedAudioError);
  });

  it('refuses ADPCM and names it', async () => {
    await expect(decodeAudio(fixture('speech-8k-ms-adpcm.wav'))).rejects.toThrow(
      new UnsupportedEncodingError('ADPCM (format 2)'),
    );
  });

  it('refuses an unknown format code by number', async () => {
    const bytes = fixture('speech-8k-s16.wav');
    setU16(bytes, chunkAt(bytes, 'fmt ') + 8, 0x1234);
    await expect(decodeAudio(bytes)).rejects.toThrow(/Unsupported audio encoding: WAV encoding \(format 4660\)/);
  });

  it('refuses EXTENSIBLE with a sub-format GUID that is not a KSDATAFORMAT one', async () => {
    const bytes = fixture('speech-8k-s24-extensible.wav');
    bytes[chunkAt(bytes, 'fmt ') + 8 + 30] ^= 0xff;
    await expect(decodeAudio(bytes)).rejects.toThrow(UnsupportedEncodingError);
  });

  it.each([
    [4000, 'too low'],
    [96000, 'too high'],
  ])('refuses a sample rate of %i Hz (%s) and names it', async (rate) => {
    const bytes = fixture('speech-8k-s16.wav');
    setU32(bytes, chunkAt(bytes, 'fmt ') + 12, rate);
    const refusal = decodeAudio(bytes);
    await expect(refusal).rejects.toThrow(UnsupportedSampleRateError);
    await expect(refusal).rejects.toThrow(`Unsupported sample rate: ${rate} Hz (accepted: 8000–48000 Hz)`);
  });

  it('refuses audio longer than maxSeconds, naming the length and the cap', async () => {
    const refusal = decodeAudio(fixture('speech-8k-s16.wav'), { maxSeconds: 1 });
    await expect(refusal).rejects.toThrow(AudioTooLongError);
    await expect(refusal).rejects.toThrow('Audio is too long: 1.4 s exceeds the cap of 1 s');
  });

  it('refuses a channel the file does not have', async () => {
    const refusal = decodeAudio(fixture('stereo-tone-left-speech-right-8k-s16.wav'), { channel: 2 });
    await expect(refusal).rejects.toThrow(ChannelOutOfRangeError);
    await expect(refusal).rejects.toThrow('Channel 2 is out of range: the audio has 2 channels (0-based)');
    await expect(decodeAudio(fixture('speech-8k-s16.wav'), { channel: 1 })).rejects.toThrow(/has 1 channel \(/);
  });

  it.each([
    ['a fmt chunk shorter than 16 bytes', (b: Uint8Array) => setU32(b, chunkAt(b, 'fmt ') + 4, 8), /fmt|data/],
    ['zero channels', (b: Uint8Array) => setU16(b, chunkAt(b, 'fmt ') + 10, 0), /0 channels/],
    ['a block align that does not fit the channels', (b: Uint8Array) => setU16(b, chunkAt(b, 'fmt ') + 20, 3), /block align 3/],
    ['more bits than the container holds', (b: Uint8Array) => setU16(b, chunkAt(b, 'fmt ') + 22, 20), /block align 2 does not match 1 channel\(s\) × 3 bytes for 20 bits/],
    ['no fmt chunk', (b: Uint8Array) => b.set([0x78, 0x78, 0x78, 0x78], chunkAt(b, 'fmt ')), /data chunk comes before any fmt chunk/],
  ])('refuses a malformed header: %s', async (_case, corrupt, message) => {
    const bytes = fixture('speech-8k-s16.wav');
    corrupt(bytes);
    const refusal = decodeAudio(bytes);
    await expect(refusal).rejects.toThrow(MalformedAudioError);
    await expect(refusal).rejects.toThrow(message);
  });

  it('refuses a file with no data chunk', async () => {
    const bytes = fixture('speech-8k-s16.wav');
    const data = chunkAt(bytes, 'data');
    await expect(decodeAudio(bytes.subarray(0, data))).rejects.toThrow(new MalformedAudioError('WAV file has no data chunk'));
  });

  it('refuses a data chunk with no samples', async () => {
    const bytes = fixture('speech-8k-s16.wav');
    const data = chunkAt(bytes, 'data');
    setU32(bytes, data + 4, 0);
    await expect(decodeAudio(bytes.subarray(0, data + 8))).rejects.toThrow(EmptyAudioError);
  });

  it('refuses big-endian RIFX by name', async () => {
    const bytes = fixture('speech-8k-s16.wav');
    bytes.set([0x52, 0x49, 0x46, 0x58], 0); // "RIFX"
    await expect(decodeAudio(bytes)).rejects.toThrow('Unsupported audio encoding: big-endian WAV (RIFX)');
  });

  it('does not modify the input bytes', async () => {
    const bytes = fixture('speech-8k-mulaw.wav');
    const copy = bytes.slice();
    await decodeAudio(bytes);
    expect(bytes).toEqual(copy);
  });
});
