import { describe, expect, it } from 'vitest';
import {
  EmptyAudioError,
  InvalidAudioOptionError,
  TruncatedAudioError,
  UnrecognisedAudioFormatError,
  UnsupportedEncodingError,
  UnsupportedSampleRateError,
  decodeAudio,
  detectContainer,
} from '../../../lambdas/audio/index.js';
import { fixture } from './audio-fixtures.js';

describe('decodeAudio (raw PCM and format detection)', () => {
  it('decodes raw 16-bit little-endian PCM at the rate given', async () => {
    const pcm = await decodeAudio(fixture('speech-8k-s16le.raw'), { rawPcmSampleRateHz: 8000 });
    const reference = await decodeAudio(fixture('speech-8k-s16.wav'));
    expect(pcm.sampleRateHz).toBe(8000);
    expect(pcm.samples).toEqual(reference.samples);
  });

  it('still detects a container by its magic bytes when a raw rate is given', async () => {
    const pcm = await decodeAudio(fixture('speech-16k-s16.wav'), { rawPcmSampleRateHz: 8000 });
    expect(pcm.sampleRateHz).toBe(16000);
  });

  it('detects containers from magic bytes, not names', () => {
    expect(detectContainer(fixture('speech-8k.flac'))).toBe('flac');
    expect(detectContainer(fixture('speech-8k.ogg'))).toBe('ogg');
    expect(detectContainer(fixture('speech-8k-mulaw.wav'))).toBe('wav');
    expect(detectContainer(fixture('speech-8k-s16le.raw'))).toBeUndefined();
  });

  it('refuses raw PCM with an odd byte count', async () => {
    const bytes = fixture('speech-8k-s16le.raw').subarray(0, 101);
    await expect(decodeAudio(bytes, { rawPcmSampleRateHz: 8000 })).rejects.toThrow(TruncatedAudioError);
  });

  it('refuses a raw PCM rate outside 8000–48000 Hz', async () => {
    await expect(decodeAudio(fixture('speech-8k-s16le.raw'), { rawPcmSampleRateHz: 6000 })).rejects.toThrow(
      UnsupportedSampleRateError,
    );
  });

  it('refuses empty input', async () => {
    await expect(decodeAudio(new Uint8Array(0))).rejects.toThrow(EmptyAudioError);
    await expect(decodeAudio(new Uint8Array(0), { rawPcmSampleRateHz: 8000 })).rejects.toThrow(EmptyAudioError);
  });

  it('refuses bytes that match no format when no raw rate is given', async () => {
    const refusal = decodeAudio(fixture('speech-8k-s16le.raw'));
    await expect(refusal).rejects.toThrow(UnrecognisedAudioFormatError);
    await expect(refusal).rejects.toThrow(/matches no supported format/);
  });

  it('names formats it recognises but does not decode', async () => {
    const mp3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 1, 2, 3]);
    await expect(decodeAudio(mp3)).rejects.toThrow(new UnsupportedEncodingError('MP3'));
    const aiff = new TextEncoder().encode('FORM\0\0\0\0AIFFCOMM');
    await expect(decodeAudio(aiff)).rejects.toThrow(new UnsupportedEncodingError('AIFF'));
  });

  it.each([
    [{ channel: -1 }, /channel must be a non-negative integer/],
    [{ channel: 0.5 }, /channel must be a non-negative integer/],
    [{ maxSeconds: 0 }, /maxSeconds must be a positive number/],
    [{ maxSeconds: Number.NaN }, /maxSeconds must be a positive number/],
  ])('refuses the invalid option %o', async (options, message) => {
    await expect(decodeAudio(fixture('speech-8k-s16.wav'), options)).rejects.toThrow(InvalidAudioOptionError);
    await expect(decodeAudio(fixture('speech-8k-s16.wav'), options)).rejects.toThrow(message);
  });

  it('admits Voice ID\'s largest batch file (20 MiB of 8 kHz 16-bit mono) by default', async () => {
    const bytes = new Uint8Array(20 * 1024 * 1024); // raw silence, 1310.72 s
    const pcm = await decodeAudio(bytes, { rawPcmSampleRateHz: 8000 });
    expect(pcm.samples.length).toBe(10 * 1024 * 1024);
  });
});
