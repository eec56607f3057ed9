import FFT from 'fft.js';
import { InvalidVoiceInputError } from './errors.js';
import { makeFbankWindow } from './fbank-window.js';
import { flattenMelBanks, makeMelBanks } from './mel-banks.js';
import type { Frames, KaldiFbankConfig } from './types.js';

/** torch.finfo(torch.float32).eps: the floor torchaudio puts under Mel energies before the log. */
const FLOAT32_EPSILON = 1.1920928955078125e-7;

/** Turns mono samples in [-1, 1] into feature frames; built once per (config, sample rate) and reused. */
export interface FeatureExtractor {
  readonly sampleRateHz: number;
  readonly frameLengthSamples: number;
  readonly frameShiftSamples: number;
  /** Feature dimension (number of Mel bins). */
  readonly dim: number;
  /** Frames for `samples`, row-major `[numFrames, dim]`; no mean normalisation (see subtractMean). */
  compute(samples: Float32Array): Frames;
  /** How many frames `numSamples` samples give. */
  numFramesFor(numSamples: number): number;
}

/**
 * A Kaldi-compatible log-Mel filterbank, numerically matching torchaudio.compliance.kaldi.fbank with
 * `use_energy=False`, `dither=0`, `snip_edges=True` (held to golden vectors in test/fixtures/fbank/).
 * Window, Mel banks, FFT tables and scratch buffers are made once here, so `compute` allocates only its output;
 * frames are transformed two at a time through one complex FFT.
 * @throws InvalidVoiceInputError when the settings cannot be honoured (dither, snipEdges false, bad sizes)
 */
export function createKaldiFbank(config: KaldiFbankConfig, sampleRateHz: number): FeatureExtractor {
  if (config.dither !== 0) throw new InvalidVoiceInputError('fbank dither must be 0 at inference (got ' + config.dither + ')');
  if (!config.snipEdges) throw new InvalidVoiceInputError('fbank snipEdges=false is not supported; export the model with snip_edges=True');
  // Same arithmetic, in the same order, as torchaudio's int(sample_frequency * frame_length * 0.001).
  const frameLengthSamples = Math.trunc(sampleRateHz * config.frameLengthMs * 0.001);
  const frameShiftSamples = Math.trunc(sampleRateHz * config.frameShiftMs * 0.001);
  if (frameLengthSamples < 2 || frameShiftSamples < 1) {
    throw new InvalidVoiceInputError(`fbank frames of ${config.frameLengthMs}/${config.frameShiftMs} ms are too short at ${sampleRateHz} Hz`);
  }
  let paddedLength = 1;
  while (paddedLength < frameLengthSamples) paddedLength *= 2;
  const highHz = config.highFreqHz <= 0 ? config.highFreqHz + sampleRateHz / 2 : config.highFreqHz;
  if (!(config.lowFreqHz >= 0 && highHz > config.lowFreqHz && highHz <= sampleRateHz / 2)) {
    throw new InvalidVoiceInputError(`fbank band ${config.lowFreqHz}–${highHz} Hz does not fit ${sampleRateHz} Hz audio`);
  }

  const window = makeFbankWindow(config.window, frameLengthSamples);
  const mel = flattenMelBanks(makeMelBanks(config.numMelBins, paddedLength, sampleRateHz, config.lowFreqHz, config.highFreqHz));
  const numPowerBins = paddedLength / 2; // the Nyquist bin has weight 0 in every Kaldi Mel filter
  const fft = new FFT(paddedLength);
  // Two real frames go through one complex FFT (real part, imaginary part), which halves the FFT work.
  const packed = new Float64Array(2 * paddedLength); // zero tail stays zero: only the first frameLengthSamples are written
  const spectrum = new Float64Array(2 * paddedLength);
  const powerA = new Float64Array(numPowerBins);
  const powerB = new Float64Array(numPowerBins);
  const { sampleScale, preemphasisCoefficient: preemph, removeDcOffset, usePower, useLogFbank, numMelBins } = config;

  const numFramesFor = (numSamples: number): number =>
    numSamples < frameLengthSamples ? 0 : 1 + Math.floor((numSamples - frameLengthSamples) / frameShiftSamples);

  /** Writes frame `start…` of `samples`, scaled, DC-removed, pre-emphasised and windowed, into packed[2i + part]. */
  function prepareFrame(samples: Float32Array, start: number, part: 0 | 1): void {
    let mean = 0;
    if (removeDcOffset) {
      for (let i = 0; i < frameLengthSamples; i++) mean += samples[start + i]!;
      mean = (mean * sampleScale) / frameLengthSamples;
    }
    // (x[i] - m) - p·(x[i-1] - m), with x[-1] = x[0] as Kaldi: one pass instead of three.
    const offset = mean * (1 - preemph);
    let previous = samples[start]! * sampleScale;
    for (let i = 0; i < frameLengthSamples; i++) {
      const x = samples[start + i]! * sampleScale;
      packed[2 * i + part] = (x - preemph * previous - offset) * window[i]!;
      previous = x;
    }
  }

  function writeMel(power: Float64Array, out: Float32Array, row: number): void {
    const { firstBins, lengths, weights } = mel;
    let w = 0;
    for (let b = 0; b < numMelBins; b++) {
      const first = firstBins[b]!;
      const n = lengths[b]!;
      let energy = 0;
      for (let j = 0; j < n; j++) energy += weights[w + j]! * power[first + j]!;
      w += n;
      out[row + b] = useLogFbank ? Math.log(Math.max(energy, FLOAT32_EPSILON)) : energy;
    }
  }

  function compute(samples: Float32Array): Frames {
    const numFrames = numFramesFor(samples.length);
    const out = new Float32Array(numFrames * numMelBins);
    for (let f = 0; f < numFrames; f += 2) {
      const pair = f + 1 < numFrames;
      prepareFrame(samples, f * frameShiftSamples, 0);
      if (pair) prepareFrame(samples, (f + 1) * frameShiftSamples, 1);
      else for (let i = 0; i < frameLengthSamples; i++) packed[2 * i + 1] = 0;
      fft.transform(spectrum, packed);
      // Z = FFT(a + i·b): A[k] = (Z[k] + conj Z[N-k]) / 2, B[k] = (Z[k] - conj Z[N-k]) / 2i.
      powerA[0] = spectrum[0]! * spectrum[0]!;
      powerB[0] = spectrum[1]! * spectrum[1]!;
      for (let k = 1, m = 2 * paddedLength - 2; k < numPowerBins; k++, m -= 2) {
        const zr = spectrum[2 * k]!;
        const zi = spectrum[2 * k + 1]!;
        const cr = spectrum[m]!;
        const ci = spectrum[m + 1]!;
        powerA[k] = 0.25 * ((zr + cr) * (zr + cr) + (zi - ci) * (zi - ci));
        powerB[k] = 0.25 * ((zr - cr) * (zr - cr) + (zi + ci) * (zi + ci));
      }
      if (!usePower) {
        for (let k = 0; k < numPowerBins; k++) {
          powerA[k] = Math.sqrt(powerA[k]!);
          powerB[k] = Math.sqrt(powerB[k]!);
        }
      }
      writeMel(powerA, out, f * numMelBins);
      if (pair) writeMel(powerB, out, (f + 1) * numMelBins);
    }
    return { numFrames, dim: numMelBins, data: out };
  }

  return { sampleRateHz, frameLengthSamples, frameShiftSamples, dim: numMelBins, compute, numFramesFor };
}
