import type { VoiceIdDependencies } from './context.js';
import { DomainService } from './domains.js';
import { FraudsterService } from './fraudsters.js';
import { SpeakerService } from './speakers.js';
import { TagService } from './tags.js';
import { WatchlistService } from './watchlists.js';

/** Voice ID's control plane: one service per resource kind, sharing the same dependencies. */
export interface VoiceIdService {
  readonly domains: DomainService;
  readonly watchlists: WatchlistService;
  readonly speakers: SpeakerService;
  readonly fraudsters: FraudsterService;
  readonly tags: TagService;
}

/**
 * Builds Voice ID's control plane on the given ports.
 * @example const voiceId = createVoiceIdService(deps); await voiceId.domains.describe(domainId);
 */
export function createVoiceIdService(deps: VoiceIdDependencies): VoiceIdService {
  return {
    domains: new DomainService(deps),
    watchlists: new WatchlistService(deps),
    speakers: new SpeakerService(deps),
    fraudsters: new FraudsterService(deps),
    tags: new TagService(deps),
  };
}
