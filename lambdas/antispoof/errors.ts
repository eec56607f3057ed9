/** Base class of every error the antispoof box throws (card errors are the voiceprint box's ModelCardError). */
export class AntispoofError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AntispoofError';
  }
}

/** The countermeasure's ONNX file could not be loaded or does not match its card (checksum, tensor names, output shape). */
export class SpoofModelLoadError extends AntispoofError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SpoofModelLoadError';
  }
}

/** onnxruntime failed while running the countermeasure, or returned something of the wrong shape. */
export class SpoofModelRunError extends AntispoofError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SpoofModelRunError';
  }
}

/** Bad input to the countermeasure: wrong sample rate, frames of the wrong size, a state it did not write. */
export class InvalidSpoofInputError extends AntispoofError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidSpoofInputError';
  }
}

/** A line of a spoof evaluation list that cannot be read; `line` is 1-based. */
export class SpoofListError extends AntispoofError {
  constructor(
    readonly listPath: string,
    readonly line: number,
    message: string,
  ) {
    super(`${listPath}:${line}: ${message}`);
    this.name = 'SpoofListError';
  }
}

/** Metrics asked of scores that cannot give them (no bona fide or no spoof trials, non-finite scores). */
export class SpoofMetricsError extends AntispoofError {
  constructor(message: string) {
    super(message);
    this.name = 'SpoofMetricsError';
  }
}
