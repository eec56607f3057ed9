/** One triangular Mel filter, stored sparsely: weights for FFT bins `firstBin … firstBin + weights.length - 1`. */
export interface MelFilter {
  readonly firstBin: number;
  readonly weights: Float64Array;
}

/** Kaldi's Mel scale: 1127 · ln(1 + f / 700). */
export function melScale(frequencyHz: number): number {
  return 1127 * Math.log(1 + frequencyHz / 700);
}

/**
 * Kaldi's triangular Mel filter bank (torchaudio.compliance.kaldi.get_mel_banks without VTLN): `numBins` filters
 * equally spaced on the Mel scale between lowFreqHz and highFreqHz over the first `paddedLengthSamples / 2` FFT bins
 * (the Nyquist bin always gets weight 0, as in Kaldi).
 * @param highFreqHz - 0 or negative means an offset from the Nyquist frequency
 */
export function makeMelBanks(
  numBins: number,
  paddedLengthSamples: number,
  sampleRateHz: number,
  lowFreqHz: number,
  highFreqHz: number,
): MelFilter[] {
  const numFftBins = paddedLengthSamples / 2;
  const nyquistHz = sampleRateHz / 2;
  const highHz = highFreqHz <= 0 ? highFreqHz + nyquistHz : highFreqHz;
  const binWidthHz = sampleRateHz / paddedLengthSamples;
  const melLow = melScale(lowFreqHz);
  const melHigh = melScale(highHz);
  const melDelta = (melHigh - melLow) / (numBins + 1);
  const fftMels = new Float64Array(numFftBins);
  for (let k = 0; k < numFftBins; k++) fftMels[k] = melScale(binWidthHz * k);

  const filters: MelFilter[] = [];
  for (let b = 0; b < numBins; b++) {
    const left = melLow + b * melDelta;
    const center = melLow + (b + 1) * melDelta;
    const right = melLow + (b + 2) * melDelta;
    const dense = new Float64Array(numFftBins);
    let first = -1;
    let last = -1;
    for (let k = 0; k < numFftBins; k++) {
      const mel = fftMels[k]!;
      const weight = Math.max(0, Math.min((mel - left) / (center - left), (right - mel) / (right - center)));
      dense[k] = weight;
      if (weight > 0) {
        if (first < 0) first = k;
        last = k;
      }
    }
    filters.push(first < 0 ? { firstBin: 0, weights: new Float64Array(0) } : { firstBin: first, weights: dense.slice(first, last + 1) });
  }
  return filters;
}

/** All filters of a bank in three flat arrays, for a tight inner loop. */
export interface FlatMelBanks {
  readonly firstBins: Int32Array;
  readonly lengths: Int32Array;
  /** Every filter's weights, one filter after another. */
  readonly weights: Float64Array;
}

/** Packs `makeMelBanks` output into flat typed arrays. */
export function flattenMelBanks(filters: readonly MelFilter[]): FlatMelBanks {
  const firstBins = Int32Array.from(filters, (f) => f.firstBin);
  const lengths = Int32Array.from(filters, (f) => f.weights.length);
  const weights = new Float64Array(lengths.reduce((sum, n) => sum + n, 0));
  let at = 0;
  for (const f of filters) {
    weights.set(f.weights, at);
    at += f.weights.length;
  }
  return { firstBins, lengths, weights };
}
