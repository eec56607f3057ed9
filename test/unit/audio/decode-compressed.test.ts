import { describe, expect, it } from 'vitest';
import {
  ChannelOutOfRangeError,
  AudioTooLongError,
  MalformedAudioError,
  TruncatedAudioError,
  UnsupportedEncodingError,
  decodeAudio,
} from '../../../lambdas/audio/index.js';
import { fixture, maxAbsDiff, snrDb, toneAmplitude } from './audio-fixtures.js';

describe('decodeAudio (FLAC and Ogg Vorbis, stereo)', () => {
  it.each([
    ['stereo-tone-left-speech-right-8k.flac', 80],
    ['stereo-tone-left-speech-right-8k.ogg', 15],
  ])('keeps the chosen channel of %s: tone on 0, speech on 1', async (name, minSnrDb) => {
    const speech = await decodeAudio(fixture('speech-8k-s16.wav'));
    const left = await decodeAudio(fixture(name), { channel: 0 });
    const right = await decodeAudio(fixture(name), { channel: 1 });
    expect(toneAmplitude(left.samples, 8000, 1000)).toBeCloseTo(0.5, 2);
    expect(toneAmplitude(right.samples, 8000, 1000)).toBeLessThan(0.01);
    expect(snrDb(speech.samples, right.samples)).toBeGreaterThan(minSnrDb);
    await expect(decodeAudio(fixture(name), { channel: 2 })).rejects.toThrow(ChannelOutOfRangeError);
  });
});

describe('decodeAudio (FLAC)', () => {
  it('decodes FLAC to the 16-bit reference within one least significant bit', async () => {
    const reference = await decodeAudio(fixture('speech-8k-s16.wav'));
    const pcm = await decodeAudio(fixture('speech-8k.flac'));
    expect(pcm.sampleRateHz).toBe(8000);
    expect(pcm.samples.length).toBe(reference.samples.length);
    expect(maxAbsDiff(pcm.samples, reference.samples)).toBeLessThanOrEqual(1 / 32768);
  });

  it('decodes a FLAC file to its last sample when it ends in digital silence (a tiny final frame)', async () => {
    const speech = await decodeAudio(fixture('speech-8k-s16.wav'));
    const pcm = await decodeAudio(fixture('speech-then-silence-8k.flac'));
    expect(pcm.samples.length).toBe(speech.samples.length + 8000);
    expect(maxAbsDiff(pcm.samples.subarray(0, speech.samples.length), speech.samples)).toBeLessThanOrEqual(1 / 32768);
    expect(pcm.samples.subarray(speech.samples.length).every((v) => v === 0)).toBe(true);
  });

  it('decodes FLAC behind an ID3v2 tag, and still refuses an ID3-tagged MP3 by name', async () => {
    const flac = fixture('speech-8k.flac');
    const tag = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 1, 0, ...new Array<number>(128).fill(0)]); // 128-byte body
    const tagged = new Uint8Array(tag.byteLength + flac.byteLength);
    tagged.set(tag);
    tagged.set(flac, tag.byteLength);
    expect((await decodeAudio(tagged)).samples).toEqual((await decodeAudio(flac)).samples);
    const mp3 = tagged.slice();
    mp3.set([0xff, 0xfb, 0x90, 0x64], tag.byteLength);
    await expect(decodeAudio(mp3)).rejects.toThrow(new UnsupportedEncodingError('MP3'));
  });

  it('refuses a truncated FLAC file, which the decoder itself would accept with fewer samples', async () => {
    const bytes = fixture('speech-8k.flac');
    const refusal = decodeAudio(bytes.subarray(0, bytes.byteLength >> 1));
    await expect(refusal).rejects.toThrow(TruncatedAudioError);
    await expect(refusal).rejects.toThrow(/STREAMINFO declares 11219 samples but only \d+ decode/);
  });

  it('refuses FLAC whose frames are damaged', async () => {
    const bytes = fixture('speech-8k.flac');
    for (let i = 200; i < 400; i++) bytes[i] ^= 0x5a;
    await expect(decodeAudio(bytes)).rejects.toThrow(/FLAC/);
  });

  it('refuses FLAC without STREAMINFO, and FLAC cut inside it', async () => {
    const bytes = fixture('speech-8k.flac');
    bytes[4] = 0x04; // first block claims to be a VORBIS_COMMENT
    await expect(decodeAudio(bytes)).rejects.toThrow(MalformedAudioError);
    await expect(decodeAudio(fixture('speech-8k.flac').subarray(0, 20))).rejects.toThrow(TruncatedAudioError);
  });

  it('refuses channels and lengths from STREAMINFO before decoding', async () => {
    await expect(decodeAudio(fixture('speech-8k.flac'), { channel: 1 })).rejects.toThrow(ChannelOutOfRangeError);
    await expect(decodeAudio(fixture('speech-8k.flac'), { maxSeconds: 0.5 })).rejects.toThrow(AudioTooLongError);
  });
});

describe('decodeAudio (Ogg Vorbis)', () => {
  it('decodes Ogg Vorbis close to the reference (lossy: SNR above 15 dB)', async () => {
    const reference = await decodeAudio(fixture('speech-8k-s16.wav'));
    const pcm = await decodeAudio(fixture('speech-8k.ogg'));
    expect(pcm.sampleRateHz).toBe(8000);
    expect(pcm.samples.length).toBe(reference.samples.length);
    expect(snrDb(reference.samples, pcm.samples)).toBeGreaterThan(15);
  });

  it('refuses a truncated Ogg file', async () => {
    const bytes = fixture('speech-8k.ogg');
    await expect(decodeAudio(bytes.subarray(0, bytes.byteLength - 100))).rejects.toThrow(TruncatedAudioError);
    await expect(decodeAudio(bytes.subarray(0, 20))).rejects.toThrow(TruncatedAudioError);
  });

  it('refuses an Ogg file with a corrupt page (CRC mismatch)', async () => {
    const bytes = fixture('speech-8k.ogg');
    bytes[bytes.byteLength - 50] ^= 0x01;
    await expect(decodeAudio(bytes)).rejects.toThrow(/fails its CRC check/);
  });

  it('refuses an Ogg file whose first packet is not Vorbis', async () => {
    const bytes = fixture('speech-8k.ogg');
    const headerLength = 27 + bytes[26]!;
    bytes.set(new TextEncoder().encode('OpusHead'), headerLength);
    fixCrc(bytes, 0, headerLength + bytes.subarray(27, headerLength).reduce((a, b) => a + b, 0));
    await expect(decodeAudio(bytes)).rejects.toThrow(new UnsupportedEncodingError('Ogg Opus'));
  });

  it('refuses a channel the Vorbis stream does not have', async () => {
    await expect(decodeAudio(fixture('speech-8k.ogg'), { channel: 1 })).rejects.toThrow(ChannelOutOfRangeError);
  });
});

/** Rewrites the CRC of the Ogg page at `start` (so a test can change a page and keep it valid). */
function fixCrc(bytes: Uint8Array, start: number, length: number): void {
  bytes.fill(0, start + 22, start + 26);
  let crc = 0;
  for (let i = 0; i < length; i++) {
    crc ^= bytes[start + i]! << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(start + 22, crc >>> 0, true);
}
