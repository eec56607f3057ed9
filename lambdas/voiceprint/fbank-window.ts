import type { FbankWindowKind } from './types.js';

/**
 * The frame window Kaldi (and torchaudio.compliance.kaldi) applies, all symmetric (`periodic=False`).
 * @param kind - hamming (WeSpeaker), povey (Kaldi's default, 3D-Speaker), hanning or rectangular
 * @param lengthSamples - frame length in samples
 * @returns the window, one weight per sample
 */
export function makeFbankWindow(kind: FbankWindowKind, lengthSamples: number): Float64Array {
  const w = new Float64Array(lengthSamples);
  const step = (2 * Math.PI) / (lengthSamples - 1);
  for (let i = 0; i < lengthSamples; i++) {
    switch (kind) {
      case 'hamming':
        w[i] = 0.54 - 0.46 * Math.cos(step * i);
        break;
      case 'hanning':
        w[i] = 0.5 - 0.5 * Math.cos(step * i);
        break;
      case 'povey':
        w[i] = Math.pow(0.5 - 0.5 * Math.cos(step * i), 0.85);
        break;
      case 'rectangular':
        w[i] = 1;
        break;
      default: {
        const never: never = kind;
        throw new Error(`unknown window ${String(never)}`);
      }
    }
  }
  return w;
}
