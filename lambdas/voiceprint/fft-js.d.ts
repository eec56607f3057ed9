// fft.js ships no types; this declares the part Timbre uses.
declare module 'fft.js' {
  type NumericArray = number[] | Float64Array | Float32Array;
  class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    /** Fills `out[0 .. size + 1]` (bins 0 … size/2, interleaved re/im) from real `data`. */
    realTransform(out: NumericArray, data: NumericArray): void;
    completeSpectrum(spectrum: NumericArray): void;
    transform(out: NumericArray, data: NumericArray): void;
  }
  export default FFT;
}
