/**
 * The table of served operations, assembled from one module per resource: each operation validates its request
 * against the model, calls Voice ID's services and shapes the output.
 */
import type { VoiceIdService } from '../../voiceid/index.js';
import type { OperationTable } from '../dispatch.js';
import { domainOperations } from './domains.js';
import { fraudsterOperations } from './fraudsters.js';
import { jobOperations, type JobServices } from './jobs.js';
import { speakerOperations } from './speakers.js';
import { tagOperations } from './tags.js';
import { watchlistOperations } from './watchlists.js';

/**
 * Voice ID's control-plane operations served by `voiceId`, and the batch-job operations served by `jobs`.
 * @example dispatch(request, buildOperationTable(createVoiceIdService(deps), jobs), logger)
 */
export function buildOperationTable(voiceId: VoiceIdService, jobs: JobServices): OperationTable {
  return {
    ...domainOperations(voiceId.domains),
    ...watchlistOperations(voiceId.watchlists),
    ...speakerOperations(voiceId.speakers),
    ...fraudsterOperations(voiceId.fraudsters),
    ...tagOperations(voiceId.tags),
    ...jobOperations(jobs),
  };
}
