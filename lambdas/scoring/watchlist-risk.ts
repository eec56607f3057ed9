/**
 * Known-fraudster risk over a watchlist. The caller is compared with N fraudsters; taking the best of N scores
 * would raise false alarms as N grows (the best of many non-target scores drifts up). Instead the risk is the
 * posterior that the caller is *one of* the N, each a priori equally likely, with even prior odds of being on the
 * list at all: odds = mean of the N likelihood ratios, i.e. llr = logsumexp(llr_i) − ln N.
 */
import { toScore100 } from './calibration.js';

/** An optional affine recalibration of the watchlist LLR (`a·llr + b`), fitted on held-out watchlist trials. */
export interface WatchlistCalibration {
  readonly a: number;
  readonly b: number;
}

/** No recalibration: the per-comparison LLRs are trusted as they are. */
export const IDENTITY_WATCHLIST_CALIBRATION: WatchlistCalibration = { a: 1, b: 0 };

/** What the watchlist comparison found. */
export interface WatchlistRisk {
  /** round(100 · posterior) that the caller is one of the fraudsters compared. */
  readonly riskScore: number;
  /** The watchlist LLR behind riskScore (natural log); -Infinity for an empty list. */
  readonly llr: number;
  /** Index of the closest fraudster (highest LLR); undefined for an empty list or a risk of 0. */
  readonly closestIndex: number | undefined;
}

/**
 * The risk that the caller is one of the fraudsters whose calibrated LLRs against the caller are `llrs`.
 * @example knownFraudsterRisk([-6.1, 4.2, -3.0]).riskScore // 96 (one close match among three: ln(e^4.2 / 3) ≈ 3.1)
 */
export function knownFraudsterRisk(llrs: readonly number[], calibration: WatchlistCalibration = IDENTITY_WATCHLIST_CALIBRATION): WatchlistRisk {
  if (llrs.length === 0) return { riskScore: 0, llr: Number.NEGATIVE_INFINITY, closestIndex: undefined };
  let closestIndex = 0;
  for (let i = 1; i < llrs.length; i++) if (llrs[i]! > llrs[closestIndex]!) closestIndex = i;
  const max = llrs[closestIndex]!;
  let sum = 0;
  for (const llr of llrs) sum += Math.exp(llr - max);
  const meanLlr = max + Math.log(sum) - Math.log(llrs.length);
  const llr = calibration.a * meanLlr + calibration.b;
  const riskScore = toScore100(llr);
  return { riskScore, llr, closestIndex: riskScore === 0 ? undefined : closestIndex };
}
