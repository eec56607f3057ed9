export { cosineScore } from './cosine.js';
export { cohortStats, asNormScore } from './as-norm.js';
export type { CohortStats } from './as-norm.js';
export {
  fitCalibration,
  toLlr,
  toScore100,
  decide,
  DEFAULT_ACCEPT_THRESHOLD,
  DEFAULT_FRAUD_THRESHOLD,
} from './calibration.js';
export type { CalibrationFit, CalibrationFitOptions } from './calibration.js';
export { equalErrorRate, minDcf, errorRatesAt, errorRateCurve, detCurve } from './metrics.js';
export { cllr, actualDcf } from './llr-metrics.js';
export { createScorer } from './scorer.js';
export type { Scorer } from './scorer.js';
export { probit } from './probit.js';
export type { Calibration, ScoringConfig, TrialScore, ErrorRatePoint, TrialScores } from './types.js';
export { ScoringError, InvalidScoresError, CalibrationFitError } from './errors.js';
