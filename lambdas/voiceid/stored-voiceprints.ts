/**
 * Stored voiceprints as scoring may use them: only those made by the model that embeds the live speech. After an
 * operator changes the speaker model, older voiceprints lie in another embedding space (or have another size), so
 * they are left out, with a warning, until their speakers are re-enrolled and their fraudsters re-registered.
 */
import { type VoiceIdDependencies, keyRef } from './context.js';
import type { DomainRecord } from './types.js';

/** A fraudster's voiceprint usable against the live model's embeddings. */
export interface FraudsterEmbedding {
  readonly generatedFraudsterId: string;
  readonly embedding: Float32Array;
}

/**
 * The owner's stored embedding when `modelId` made it; undefined when there is none or another model made it
 * (logged, so an operator sees why an enrolled speaker reads as not enrolled).
 */
export async function usableVoiceprint(
  deps: VoiceIdDependencies,
  domain: DomainRecord,
  ownerId: string,
  modelId: () => Promise<string>,
  nowMs: number,
): Promise<Float32Array | undefined> {
  const voiceprint = await deps.voiceprints.getVoiceprint(keyRef(domain), ownerId, nowMs);
  if (voiceprint === undefined) return undefined;
  const liveModelId = await modelId();
  if (voiceprint.modelId === liveModelId) return voiceprint.embedding;
  warn(deps, `Voiceprint of ${ownerId} made by model ${voiceprint.modelId}, this deployment runs ${liveModelId}: re-enrol`, {
    domainId: domain.domainId,
    ownerId,
    voiceprintModelId: voiceprint.modelId,
    modelId: liveModelId,
  });
  return undefined;
}

/**
 * The voiceprints of a watchlist's fraudsters (every fraudster of the domain when `watchlistId` is undefined) that
 * `modelId` made; the others are skipped and counted in one warning.
 */
export async function usableFraudsterEmbeddings(
  deps: VoiceIdDependencies,
  domain: DomainRecord,
  watchlistId: string | undefined,
  modelId: string,
  nowMs: number,
): Promise<FraudsterEmbedding[]> {
  const usable: FraudsterEmbedding[] = [];
  const otherModels = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const page = await deps.fraudsters.listFraudsters(domain.domainId, watchlistId, { cursor, limit: 100 });
    for (const { generatedFraudsterId } of page.items) {
      const voiceprint = await deps.voiceprints.getVoiceprint(keyRef(domain), generatedFraudsterId, nowMs);
      if (voiceprint === undefined) continue;
      if (voiceprint.modelId === modelId) usable.push({ generatedFraudsterId, embedding: voiceprint.embedding });
      else otherModels.set(voiceprint.modelId, (otherModels.get(voiceprint.modelId) ?? 0) + 1);
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  if (otherModels.size > 0) {
    const skipped = [...otherModels.values()].reduce((sum, n) => sum + n, 0);
    warn(deps, `${skipped} fraudster voiceprints made by another model than ${modelId} were skipped: re-register them`, {
      domainId: domain.domainId,
      ...(watchlistId !== undefined && { watchlistId }),
      modelId,
      skippedByModel: Object.fromEntries(otherModels),
    });
  }
  return usable;
}

function warn(deps: VoiceIdDependencies, message: string, details: Record<string, unknown>): void {
  (deps.log ?? console).warn(message, details);
}
