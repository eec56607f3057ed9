/** v / ‖v‖ as a new array (a zero vector stays zero). */
export function l2Normalised(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  const out = new Float32Array(v.length);
  if (norm > 0) for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
  return out;
}

/**
 * The L2-normalised weighted mean of the L2-normalised vectors: how window embeddings become one utterance
 * embedding, and utterance embeddings one voiceprint.
 * @param weights - one non-negative weight per vector (e.g. seconds of speech); @default all equal
 */
export function meanOfNormalised(vectors: readonly Float32Array[], weights?: readonly number[]): Float32Array {
  const dim = vectors[0]?.length ?? 0;
  const sum = new Float64Array(dim);
  vectors.forEach((v, i) => {
    const unit = l2Normalised(v);
    const w = weights?.[i] ?? 1;
    for (let d = 0; d < dim; d++) sum[d]! += w * unit[d]!;
  });
  return l2Normalised(Float32Array.from(sum));
}
