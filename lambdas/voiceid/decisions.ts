/** Voice ID's authentication rule on the 0–100 score that the scoring pipeline produces. */

/** Voice ID's default authentication threshold: ACCEPT at or above it. */
export const DEFAULT_ACCEPT_THRESHOLD = 90;

/** ACCEPT when the 0–100 score reaches the threshold, else REJECT. */
export function decide(score100: number, threshold: number = DEFAULT_ACCEPT_THRESHOLD): 'ACCEPT' | 'REJECT' {
  return score100 >= threshold ? 'ACCEPT' : 'REJECT';
}
