import { InvalidScoresError } from './errors.js';

/**
 * Cosine similarity of two embeddings, in [-1, 1] (0 when either is all zeros).
 * @throws InvalidScoresError when their lengths differ
 * @example cosineScore(voiceprint, probeEmbedding) // 0.71
 */
export function cosineScore(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new InvalidScoresError(`embeddings differ in size: ${a.length} vs ${b.length}`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}
