/** Base class of every error the scoring box throws. */
export class ScoringError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ScoringError';
  }
}

/** Scores or embeddings that cannot be used: empty trial lists, non-finite values, mismatched sizes. */
export class InvalidScoresError extends ScoringError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidScoresError';
  }
}

/** The calibration fit did not converge. */
export class CalibrationFitError extends ScoringError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CalibrationFitError';
  }
}
