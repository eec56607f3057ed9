/**
 * Audio for fuzzing: small well-formed WAV, FLAC and Ogg files and mutators that break them the ways a
 * hostile or broken client would (corrupt headers, truncation, wrong rates, giant declared sizes).
 */
import type { Rng } from './prng.js';

/** The most sample data a fuzz WAV carries, whatever its header declares (odd channel counts would make it huge). */
const MAX_DATA_BYTES = 64 * 1024;

/** A WAV (PCM-16 mono by default) of `samples` samples of a tone at `rateHz`, its data cut at MAX_DATA_BYTES. */
export function wavFile(rateHz: number, samples: number, channels = 1, bitsPerSample = 16, format = 1): Buffer {
  const bytesPerSample = Math.max(1, bitsPerSample >> 3);
  const data = Buffer.alloc(Math.min(samples * channels * bytesPerSample, MAX_DATA_BYTES));
  for (let i = 0; i < data.length >> 1 && bytesPerSample === 2; i++) {
    data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / Math.max(rateHz, 1))), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(format, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rateHz >>> 0, 24);
  header.writeUInt32LE((rateHz * channels * bytesPerSample) >>> 0, 28);
  header.writeUInt16LE((channels * bytesPerSample) & 0xffff, 32);
  header.writeUInt16LE(bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A FLAC stream header (fLaC + STREAMINFO) followed by `payload` bytes that are not valid frames. */
function flacLike(rng: Rng): Buffer {
  const info = Buffer.alloc(38);
  info.write('fLaC', 0, 'ascii');
  info[4] = 0x80; // last metadata block, type STREAMINFO
  info.writeUIntBE(34, 5, 3);
  info.writeUInt16BE(4096, 8);
  info.writeUInt16BE(4096, 10);
  // sample rate (20 bits) 8000, channels-1 (3 bits), bits-1 (5 bits), total samples (36 bits)
  info.writeUInt32BE(((8000 << 12) | (0 << 9) | (15 << 4)) >>> 0, 18);
  return Buffer.concat([info, rng.bytes(rng.int(0, 2048))]);
}

/** An Ogg page header with a Vorbis identification packet start, followed by noise. */
function oggLike(rng: Rng): Buffer {
  const page = Buffer.alloc(28);
  page.write('OggS', 0, 'ascii');
  page[5] = 0x02; // beginning of stream
  page[26] = 1; // one segment
  page[27] = 30;
  const ident = Buffer.concat([Buffer.from([1]), Buffer.from('vorbis', 'ascii'), rng.bytes(23)]);
  return Buffer.concat([page, ident, rng.bytes(rng.int(0, 2048))]);
}

/** Ways to make audio. */
const AUDIO_MUTATIONS = {
  valid: 4,
  wrongRate: 2,
  zeroRate: 1,
  giantDeclaredSize: 2,
  truncated: 2,
  corruptHeader: 2,
  oddFormat: 2,
  flac: 2,
  ogg: 2,
  empty: 1,
  noise: 1,
  headerOnly: 1,
} as const;

/** The name of an audio mutation. */
export type AudioMutation = keyof typeof AUDIO_MUTATIONS;

/** Audio bytes made one of the ways above, and which way. */
export function mutatedAudio(rng: Rng): { mutation: AudioMutation; bytes: Buffer } {
  const mutation = rng.weighted(AUDIO_MUTATIONS);
  const samples = rng.int(1, 16_000);
  switch (mutation) {
    case 'valid':
      return { mutation, bytes: wavFile(rng.pick([8000, 16000]), samples) };
    case 'wrongRate':
      return { mutation, bytes: wavFile(rng.pick([1, 7, 4_000_000_000, 0xffffffff, 44100, 96000]), samples) };
    case 'zeroRate':
      return { mutation, bytes: wavFile(0, samples) };
    case 'giantDeclaredSize': {
      const wav = wavFile(8000, samples);
      wav.writeUInt32LE(0xffffffff, rng.pick([4, 40]));
      return { mutation, bytes: wav };
    }
    case 'truncated': {
      const wav = wavFile(8000, samples);
      return { mutation, bytes: wav.subarray(0, rng.int(0, Math.min(wav.length - 1, 60))) };
    }
    case 'corruptHeader': {
      const wav = wavFile(8000, samples);
      for (let i = 0; i < rng.int(1, 8); i++) wav[rng.int(0, 43)] = rng.int(0, 255);
      return { mutation, bytes: wav };
    }
    case 'oddFormat':
      return {
        mutation,
        bytes: wavFile(8000, samples, rng.pick([0, 1, 2, 3, 255, 65535]), rng.pick([0, 1, 8, 12, 24, 32, 33]), rng.pick([1, 3, 6, 7, 0xfffe, 99])),
      };
    case 'flac':
      return { mutation, bytes: flacLike(rng) };
    case 'ogg':
      return { mutation, bytes: oggLike(rng) };
    case 'empty':
      return { mutation, bytes: Buffer.alloc(0) };
    case 'noise':
      return { mutation, bytes: rng.bytes(rng.int(1, 4096)) };
    case 'headerOnly':
      return { mutation, bytes: wavFile(8000, 0) };
  }
}
