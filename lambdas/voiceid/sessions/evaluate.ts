/**
 * Computing a session's results: the authentication decision against the claimed speaker's voiceprint and the
 * known-fraudster risk against a watchlist. Caching by input versions is the service's job; this module computes.
 */
import { IDENTITY_WATCHLIST_CALIBRATION, knownFraudsterRisk } from '../../scoring/index.js';
import { type VoiceIdDependencies, keyRef, nowMs } from '../context.js';
import { isGeneratedId } from '../ids.js';
import { reportedSpeakerStatus, speakerExpiresAtMs, truncateToHourMs } from '../lifecycle.js';
import { type FraudsterEmbedding, usableFraudsterEmbeddings, usableVoiceprint } from '../stored-voiceprints.js';
import type { DomainRecord, SpeakerRecord } from '../types.js';
import { decideAuthentication, decideFraud, resultId } from './decisions.js';
import type { SessionVoiceEngine } from './engine.js';
import type { AuthenticationResult, FraudDetectionResult, SessionRecord } from './types.js';

/** How long decrypted fraudster voiceprints of a watchlist are kept in memory (per execution environment). */
const WATCHLIST_CACHE_MS = 60_000;

/** The speaker a session names, found by generated or customer ID. */
export async function findSessionSpeaker(deps: VoiceIdDependencies, domainId: string, speakerId: string): Promise<SpeakerRecord | undefined> {
  return isGeneratedId(speakerId) ? deps.speakers.getSpeaker(domainId, speakerId) : deps.speakers.findSpeakerByCustomerId(domainId, speakerId);
}

/** The customer ID a session's speaker goes by: the speaker's, else the session's own speaker ID when it is a customer ID. */
export function sessionCustomerId(speaker: SpeakerRecord | undefined, speakerId: string | undefined): string | undefined {
  return speaker?.customerSpeakerId ?? (speakerId !== undefined && !isGeneratedId(speakerId) ? speakerId : undefined);
}

/** Computes results for one session; keeps a short-lived cache of watchlists' decrypted voiceprints. */
export class SessionEvaluator {
  // Fraudster voiceprints decrypted for a watchlist, kept 60 s so that evaluations during a burst of calls do not
  // decrypt the whole watchlist each time; a fraudster added or removed shows within a minute.
  private readonly watchlists = new Map<string, { readonly atMs: number; readonly fraudsters: FraudsterEmbedding[] }>();

  constructor(
    private readonly deps: VoiceIdDependencies,
    private readonly engine: SessionVoiceEngine,
  ) {}

  /**
   * The authentication result for the session's current inputs; an ACCEPT refreshes the speaker's last access. A
   * voiceprint made by another speaker model counts as none: SPEAKER_NOT_ENROLLED until the speaker is re-enrolled.
   */
  async authenticate(domain: DomainRecord, session: SessionRecord, probe: Float32Array | undefined): Promise<AuthenticationResult> {
    const configuration = session.authentication!;
    const speaker = session.speakerId === undefined ? undefined : await findSessionSpeaker(this.deps, session.domainId, session.speakerId);
    const now = nowMs(this.deps);
    const status = speaker === undefined ? undefined : reportedSpeakerStatus(speaker, now);
    const voiceprint =
      speaker !== undefined && status === 'ENROLLED'
        ? await usableVoiceprint(this.deps, domain, speaker.generatedSpeakerId, () => this.engine.modelId(), now)
        : undefined;
    const score = voiceprint !== undefined && probe !== undefined ? this.engine.score(voiceprint, probe, session.netSpeechSeconds).score100 : undefined;
    const decision = decideAuthentication({
      speakerSet: session.speakerId !== undefined,
      speakerStatus: status,
      hasVoiceprint: voiceprint !== undefined,
      netSpeechSeconds: probe === undefined ? 0 : session.netSpeechSeconds,
      minSpeechSeconds: session.minSpeechSeconds,
      ...(score !== undefined && { score }),
      acceptanceThreshold: configuration.acceptanceThreshold,
    });
    if (decision === 'ACCEPT' && speaker !== undefined && voiceprint !== undefined) await this.refreshAccess(domain, speaker, voiceprint, now);
    const customerSpeakerId = sessionCustomerId(speaker, session.speakerId);
    return {
      resultId: resultId(session.sessionId, 'auth', session.audioVersion, session.configVersion),
      decision,
      ...((decision === 'ACCEPT' || decision === 'REJECT') && { score }),
      ...(customerSpeakerId !== undefined && { customerSpeakerId }),
      ...(speaker !== undefined && { generatedSpeakerId: speaker.generatedSpeakerId }),
      configuration,
      ...aggregation(session),
    };
  }

  /**
   * The fraud detection result: the caller against every fraudster of the configured watchlist, and the spoof risk
   * the engine's countermeasure gave the same speech.
   * @param spoofRisk - 0–100, undefined when the engine could not score the speech
   */
  async detectFraud(domain: DomainRecord, session: SessionRecord, probe: Float32Array | undefined, spoofRisk: number | undefined): Promise<FraudDetectionResult> {
    const configuration = session.fraudDetection!;
    let risk: { riskScore: number; generatedFraudsterId?: string } | undefined;
    if (probe !== undefined && session.netSpeechSeconds >= session.minSpeechSeconds) {
      const fraudsters = await this.fraudstersOf(domain, configuration.watchlistId);
      const llrs = fraudsters.map((f) => this.engine.score(f.embedding, probe, session.netSpeechSeconds).llr);
      const found = knownFraudsterRisk(llrs, this.engine.watchlistCalibration ?? IDENTITY_WATCHLIST_CALIBRATION);
      risk = { riskScore: found.riskScore, ...(found.closestIndex !== undefined && { generatedFraudsterId: fraudsters[found.closestIndex]!.generatedFraudsterId }) };
    }
    const { decision, reasons } = decideFraud(
      probe === undefined ? 0 : session.netSpeechSeconds,
      session.minSpeechSeconds,
      { knownFraudster: risk?.riskScore, voiceSpoofing: spoofRisk },
      configuration.riskThreshold,
    );
    const scored = decision !== 'NOT_ENOUGH_SPEECH';
    return {
      resultId: resultId(session.sessionId, 'fraud', session.audioVersion, session.configVersion),
      decision,
      reasons,
      ...(risk !== undefined && { knownFraudsterRisk: risk }),
      ...(scored && spoofRisk !== undefined && { voiceSpoofingRisk: { riskScore: spoofRisk } }),
      configuration,
      ...aggregation(session),
    };
  }

  private async fraudstersOf(domain: DomainRecord, watchlistId: string): Promise<FraudsterEmbedding[]> {
    const key = `${domain.domainId}/${watchlistId}`;
    const now = nowMs(this.deps);
    const cached = this.watchlists.get(key);
    if (cached !== undefined && now - cached.atMs < WATCHLIST_CACHE_MS) return cached.fraudsters;
    const fraudsters = await usableFraudsterEmbeddings(this.deps, domain, watchlistId, await this.engine.modelId(), now);
    this.watchlists.set(key, { atMs: now, fraudsters });
    return fraudsters;
  }

  /** LastAccessedAt and the voiceprint's three-year expiry move on, at most once an hour (LastAccessedAt's accuracy). */
  private async refreshAccess(domain: DomainRecord, speaker: SpeakerRecord, embedding: Float32Array, now: number): Promise<void> {
    const accessedAtMs = truncateToHourMs(now);
    if (speaker.lastAccessedAtMs !== undefined && speaker.lastAccessedAtMs >= accessedAtMs) return;
    const expiresAtMs = speakerExpiresAtMs(accessedAtMs);
    const voiceprint = { embedding, modelId: await this.engine.modelId() };
    await this.deps.voiceprints.putVoiceprint(keyRef(domain), speaker.generatedSpeakerId, voiceprint, expiresAtMs);
    await this.deps.speakers.updateSpeaker({ ...speaker, lastAccessedAtMs: accessedAtMs }, expiresAtMs);
  }
}

function aggregation(session: SessionRecord): { audioStartedAtMs?: number; audioEndedAtMs?: number } {
  return {
    ...(session.audioStartedAtMs !== undefined && { audioStartedAtMs: session.audioStartedAtMs }),
    ...(session.audioEndedAtMs !== undefined && { audioEndedAtMs: session.audioEndedAtMs }),
  };
}
