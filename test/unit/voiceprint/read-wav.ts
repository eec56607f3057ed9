import { readFileSync } from 'node:fs';
import wavefile from 'wavefile';

/** A 16-bit mono WAV fixture as floats in [-1, 1] (÷32768, as the golden-vector scripts do). */
export function readWavFixture(path: string): { sampleRateHz: number; samples: Float32Array } {
  const wav = new wavefile.WaveFile(readFileSync(path));
  const ints = wav.getSamples(false, Float64Array) as unknown as Float64Array;
  const samples = new Float32Array(ints.length);
  for (let i = 0; i < ints.length; i++) samples[i] = ints[i]! / 32768;
  return { sampleRateHz: (wav.fmt as { sampleRate: number }).sampleRate, samples };
}
