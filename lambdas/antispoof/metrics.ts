/**
 * Presentation-attack detection metrics (ISO/IEC 30107-3 terms): EER over the pooled scores, and at a risk
 * threshold (the product's default fraud threshold 50) BPCER (bona fide flagged) and APCER per attack (spoofs
 * missed), on the whole-number risk the API answers.
 */
import { equalErrorRate } from '../scoring/index.js';
import { SpoofMetricsError } from './errors.js';
import { spoofRisk100 } from './risk.js';

/** One scored file of a list. */
export interface SpoofTrial {
  readonly label: 'bonafide' | 'spoof';
  /** The attack's name for a spoof (the source or `-` for bona fide). */
  readonly attack: string;
  /** Pooled log-odds (positive = spoof): what the EER is computed on. */
  readonly pooledLogit: number;
  /** The calibrated risk, unrounded. */
  readonly risk: number;
}

/** What `timbre eval-spoof --json` prints (rates as fractions). */
export interface SpoofMetrics {
  readonly eer: number;
  readonly bpcer: number;
  /** Attack name → share of its spoofs scored below the threshold. */
  readonly apcer: Readonly<Record<string, number>>;
  readonly counts: { readonly bonafide: number; readonly spoof: number };
  /** Named bona fide source (third column other than `-`) → its files and the share of them flagged. */
  readonly bonafideSources: Readonly<Record<string, { readonly count: number; readonly bpcer: number }>>;
}

/** The default fraud RiskThreshold, at which BPCER and APCER are reported. */
export const DEFAULT_SPOOF_THRESHOLD = 50;

/** Trials grouped by their third column (attack or source), in sorted name order. */
function byName(trials: readonly SpoofTrial[]): [string, SpoofTrial[]][] {
  const groups = new Map<string, SpoofTrial[]>();
  for (const t of trials) groups.set(t.attack, [...(groups.get(t.attack) ?? []), t]);
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The metrics of scored trials; a trial is flagged when its rounded risk is ≥ `threshold` (the session rule).
 * @throws SpoofMetricsError without both bona fide and spoof trials, or with a non-finite score
 * @example spoofMetrics(trials).apcer['espeak-ng'] // share of espeak-ng spoofs that pass as bona fide
 */
export function spoofMetrics(trials: readonly SpoofTrial[], threshold = DEFAULT_SPOOF_THRESHOLD): SpoofMetrics {
  const bonafide = trials.filter((t) => t.label === 'bonafide');
  const spoof = trials.filter((t) => t.label === 'spoof');
  if (bonafide.length === 0 || spoof.length === 0) {
    throw new SpoofMetricsError(`spoof metrics need bona fide and spoof trials that could be scored (got ${bonafide.length} and ${spoof.length})`);
  }
  if (!trials.every((t) => Number.isFinite(t.pooledLogit) && Number.isFinite(t.risk))) throw new SpoofMetricsError('scores must all be finite');
  const flagged = (t: SpoofTrial): boolean => spoofRisk100(t.risk) >= threshold;
  const apcer: Record<string, number> = {};
  for (const [attack, of] of byName(spoof)) apcer[attack] = of.filter((t) => !flagged(t)).length / of.length;
  const bonafideSources: Record<string, { count: number; bpcer: number }> = {};
  for (const [source, of] of byName(bonafide)) {
    if (source !== '-') bonafideSources[source] = { count: of.length, bpcer: of.filter(flagged).length / of.length };
  }
  return {
    // Spoof is what is detected, so spoofs are the "targets" of the shared EER code (the EER is symmetric anyway).
    eer: equalErrorRate({ targets: spoof.map((t) => t.pooledLogit), nontargets: bonafide.map((t) => t.pooledLogit) }),
    bpcer: bonafide.filter(flagged).length / bonafide.length,
    apcer,
    counts: { bonafide: bonafide.length, spoof: spoof.length },
    bonafideSources,
  };
}
