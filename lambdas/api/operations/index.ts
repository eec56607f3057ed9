/**
 * The table of served operations, assembled from one module per resource: each operation validates its request
 * against the model, calls Voice ID's services and shapes the output.
 */
import type { VoiceIdService } from '../../voiceid/index.js';
import type { SessionService } from '../../voiceid/sessions/index.js';
import type { OperationTable } from '../dispatch.js';
import { domainOperations } from './domains.js';
import { fraudsterOperations } from './fraudsters.js';
import { type SessionOperationOptions, sessionOperations } from './sessions.js';
import { jobOperations, type JobServices } from './jobs.js';
import { speakerOperations } from './speakers.js';
import { tagOperations } from './tags.js';
import { watchlistOperations } from './watchlists.js';

/**
 * Voice ID's operations: the control plane served by `voiceId`, the sessions by `sessions`, the batch jobs by `jobs`.
 * @example dispatch(request, buildOperationTable(createVoiceIdService(deps), sessions, { sessionAudioBuckets: [] }, jobs), logger)
 */
export function buildOperationTable(voiceId: VoiceIdService, sessions: SessionService, options: SessionOperationOptions, jobs: JobServices): OperationTable {
  return {
    ...sessionOperations(sessions, options),
    ...domainOperations(voiceId.domains),
    ...watchlistOperations(voiceId.watchlists),
    ...speakerOperations(voiceId.speakers),
    ...fraudsterOperations(voiceId.fraudsters),
    ...tagOperations(voiceId.tags),
    ...jobOperations(jobs),
  };
}
