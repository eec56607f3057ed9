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
 * each frame's real FFT is a complex FFT of half its length.
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
  // A real FFT of paddedLength points as a complex FFT of half as many: the frame's even samples are the real parts
  // and its odd samples the imaginary parts, which is simply the frame buffer read as interleaved complex numbers.
  const half = paddedLength / 2;
  const fft = new FFT(half);
  const frame = new Float64Array(paddedLength); // zero tail stays zero: only the first frameLengthSamples are written
  const spectrum = new Float64Array(paddedLength);
  const power = new Float64Array(numPowerBins);
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / paddedLength);
    sin[k] = Math.sin((2 * Math.PI * k) / paddedLength);
  }
  // The scale folds into the window: (s·x[i] − k·s·x[i−1] − s·m·(1−k))·w[i] = (x[i] − k·x[i−1] − m·(1−k))·(s·w[i]).
  const scaledWindow = window.map((w) => w * config.sampleScale);
  const { preemphasisCoefficient: preemph, removeDcOffset, usePower, useLogFbank, numMelBins } = config;

  const numFramesFor = (numSamples: number): number =>
    numSamples < frameLengthSamples ? 0 : 1 + Math.floor((numSamples - frameLengthSamples) / frameShiftSamples);

  /** Fills `frame` with frame `start…` of `samples`, DC-removed, pre-emphasised, scaled and windowed. */
  function prepareFrame(samples: Float32Array, start: number): void {
    let mean = 0;
    if (removeDcOffset) {
      for (let i = 0; i < frameLengthSamples; i++) mean += samples[start + i]!;
      mean /= frameLengthSamples;
    }
    // (x[i] - m) - p·(x[i-1] - m), with x[-1] = x[0] as Kaldi: one pass instead of three.
    const offset = mean * (1 - preemph);
    let previous = samples[start]!;
    for (let i = 0; i < frameLengthSamples; i++) {
      const x = samples[start + i]!;
      frame[i] = (x - preemph * previous - offset) * scaledWindow[i]!;
      previous = x;
    }
  }

  /**
   * |X[k]|² for k < paddedLength/2 from Z = FFT_half(even + i·odd): X[k] = E[k] + W^k·O[k] with
   * E[k] = (Z[k] + conj Z[h−k]) / 2, O[k] = (Z[k] − conj Z[h−k]) / 2i, W = e^(−2πi/N), h = N/2; and
   * X[h−k] = conj(E[k] − W^k·O[k]), so each iteration yields bins k and h−k.
   */
  function powerSpectrum(): void {
    for (let k = 0; k <= half / 2; k++) {
      const m = k === 0 ? 0 : half - k;
      const zr = spectrum[2 * k]!;
      const zi = spectrum[2 * k + 1]!;
      const cr = spectrum[2 * m]!;
      const ci = spectrum[2 * m + 1]!;
      const er = zr + cr; // 2·E[k]
      const ei = zi - ci;
      const or = zi + ci; // 2·O[k]
      const oi = cr - zr;
      const wr = cos[k]! * or + sin[k]! * oi; // 2·W^k·O[k]
      const wi = cos[k]! * oi - sin[k]! * or;
      power[k] = 0.25 * ((er + wr) * (er + wr) + (ei + wi) * (ei + wi));
      if (k > 0 && k < half / 2) power[m] = 0.25 * ((er - wr) * (er - wr) + (ei - wi) * (ei - wi));
    }
    if (!usePower) for (let k = 0; k < numPowerBins; k++) power[k] = Math.sqrt(power[k]!);
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
    for (let f = 0; f < numFrames; f++) {
      prepareFrame(samples, f * frameShiftSamples);
      fft.transform(spectrum, frame);
      powerSpectrum();
      writeMel(power, out, f * numMelBins);
    }
    return { numFrames, dim: numMelBins, data: out };
  }

  return { sampleRateHz, frameLengthSamples, frameShiftSamples, dim: numMelBins, compute, numFramesFor };
}
