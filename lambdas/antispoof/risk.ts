import type { SpoofCalibration } from './types.js';

/**
 * The calibrated spoof risk of pooled log-odds: the spoof posterior at prior 0.5, × 100 (the speaker scores'
 * convention), unrounded in [0, 100].
 * @example spoofRisk({ kind: 'logistic', a: 1, b: 0 }, 0) // 50
 */
export function spoofRisk(calibration: SpoofCalibration, pooledLogit: number): number {
  const x = calibration.a * pooledLogit + calibration.b;
  // exp of a large positive x overflows to Infinity, which still gives 0 for -x: both ends are exact.
  return 100 / (1 + Math.exp(-x));
}

/** The risk as API answers carry it: a whole number 0–100. */
export function spoofRisk100(risk: number): number {
  return Math.max(0, Math.min(100, Math.round(risk)));
}
