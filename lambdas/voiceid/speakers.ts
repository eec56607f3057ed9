/**
 * Voice ID's speaker operations, and `recordEnrollment`, which stores an enrolled speaker's voiceprint (what batch
 * enrolment jobs call for each record, voiceid/jobs/record-processor.ts).
 */
import { type ListInput, type ListOutput, type VoiceIdDependencies, keyRef, listPage, nowMs, requireActiveDomain, requireDomain } from './context.js';
import { ResourceConflictError, ResourceNotFoundError } from './errors.js';
import { isGeneratedId, newGeneratedId } from './ids.js';
import { biometricsExpireAtMs, reportedSpeakerStatus, speakerExpiresAtMs, truncateToHourMs } from './lifecycle.js';
import type { Voiceprint } from './ports.js';
import type { SpeakerRecord, SpeakerStatus } from './types.js';

/** A speaker with the status Voice ID reports for it now (EXPIRED included). */
export interface SpeakerView extends Omit<SpeakerRecord, 'status'> {
  readonly status: SpeakerStatus;
}

/** Speaker operations. */
export class SpeakerService {
  constructor(private readonly deps: VoiceIdDependencies) {}

  /** The speaker named by generated or customer ID. @throws ResourceNotFoundError(SPEAKER) */
  async describe(domainId: string, speakerId: string): Promise<SpeakerView> {
    await requireDomain(this.deps, domainId);
    return this.view(await this.requireSpeaker(domainId, speakerId));
  }

  /** Speakers of the domain. */
  async list(domainId: string, input: ListInput): Promise<ListOutput<SpeakerView>> {
    await requireDomain(this.deps, domainId);
    const page = await listPage(this.deps, `ListSpeakers/${domainId}`, input, 100, (p) => this.deps.speakers.listSpeakers(domainId, p));
    return { ...page, items: page.items.map((s) => this.view(s)) };
  }

  /** Deletes the speaker with its voiceprint and audio. */
  async delete(domainId: string, speakerId: string): Promise<void> {
    await requireActiveDomain(this.deps, domainId);
    const speaker = await this.requireSpeaker(domainId, speakerId);
    await this.purgeBiometrics(speaker);
    await this.deps.speakers.deleteSpeaker(speaker);
  }

  /**
   * Opts a speaker out: creates an OPTED_OUT speaker when the customer ID is new, or overrides an existing
   * speaker's status; either way no voiceprint or audio is kept.
   */
  async optOut(domainId: string, speakerId: string): Promise<SpeakerView> {
    await requireActiveDomain(this.deps, domainId);
    const now = nowMs(this.deps);
    const existing = await this.findSpeaker(domainId, speakerId);
    if (existing === undefined) {
      if (isGeneratedId(speakerId)) throw notFound(domainId);
      const created: SpeakerRecord = {
        domainId,
        generatedSpeakerId: newGeneratedId(),
        customerSpeakerId: speakerId,
        status: 'OPTED_OUT',
        createdAtMs: now,
        updatedAtMs: now,
      };
      await this.deps.speakers.createSpeaker(created, { maxSpeakers: this.deps.quotas.speakersPerDomain, biometricsExpireAtMs: biometricsExpireAtMs(created) });
      return this.view(created);
    }
    await this.purgeBiometrics(existing);
    const optedOut: SpeakerRecord = { ...existing, status: 'OPTED_OUT', updatedAtMs: now };
    await this.deps.speakers.updateSpeaker(optedOut, biometricsExpireAtMs(optedOut));
    return this.view(optedOut);
  }

  /**
   * Records an enrolment: stores the voiceprint (encrypted with the domain's key, expiring three years after
   * this access) and marks the speaker ENROLLED, creating it when the customer ID is new.
   * @throws ResourceConflictError(SPEAKER_OPTED_OUT) for an opted-out speaker.
   */
  async recordEnrollment(domainId: string, customerSpeakerId: string, voiceprint: Voiceprint): Promise<SpeakerView> {
    const domain = await requireActiveDomain(this.deps, domainId);
    const now = nowMs(this.deps);
    const accessedAtMs = truncateToHourMs(now);
    const existing = await this.deps.speakers.findSpeakerByCustomerId(domainId, customerSpeakerId);
    if (existing?.status === 'OPTED_OUT') {
      throw new ResourceConflictError('SPEAKER_OPTED_OUT', 'You cannot request an enrollment for an opted out speaker');
    }
    const speaker: SpeakerRecord = existing
      ? { ...existing, status: 'ENROLLED', updatedAtMs: now, lastAccessedAtMs: accessedAtMs }
      : {
          domainId,
          generatedSpeakerId: newGeneratedId(),
          customerSpeakerId,
          status: 'ENROLLED',
          createdAtMs: now,
          updatedAtMs: now,
          lastAccessedAtMs: accessedAtMs,
        };
    const expiresAtMs = speakerExpiresAtMs(accessedAtMs);
    await this.deps.voiceprints.putVoiceprint(keyRef(domain), speaker.generatedSpeakerId, voiceprint, expiresAtMs);
    if (existing) {
      await this.deps.speakers.updateSpeaker(speaker, expiresAtMs);
      return this.view(speaker);
    }
    try {
      await this.deps.speakers.createSpeaker(speaker, { maxSpeakers: this.deps.quotas.speakersPerDomain, biometricsExpireAtMs: expiresAtMs });
    } catch (error) {
      // A speaker that could not be created (quota, concurrent create) keeps no voiceprint.
      await this.deps.voiceprints.deleteVoiceprint(domainId, speaker.generatedSpeakerId);
      throw error;
    }
    return this.view(speaker);
  }

  /**
   * Destroys the voiceprint and audio of speakers whose three years ran out, keeping their records (they
   * report EXPIRED). Meant for a scheduled job; the voiceprint's TTL does the same for voiceprints, but S3
   * audio has no TTL. Returns the speakers handled.
   */
  async purgeExpired(limit = 100): Promise<SpeakerRecord[]> {
    const due = await this.deps.speakers.listSpeakersDueForExpiry(nowMs(this.deps), limit);
    for (const speaker of due) {
      await this.purgeBiometrics(speaker);
      await this.deps.speakers.markBiometricsExpired(speaker);
    }
    return due;
  }

  private view(speaker: SpeakerRecord): SpeakerView {
    return { ...speaker, status: reportedSpeakerStatus(speaker, nowMs(this.deps)) };
  }

  private async purgeBiometrics(speaker: SpeakerRecord): Promise<void> {
    await this.deps.voiceprints.deleteVoiceprint(speaker.domainId, speaker.generatedSpeakerId);
    await this.deps.audio.deleteAllAudio(speaker.domainId, speaker.generatedSpeakerId);
  }

  private findSpeaker(domainId: string, speakerId: string): Promise<SpeakerRecord | undefined> {
    return isGeneratedId(speakerId)
      ? this.deps.speakers.getSpeaker(domainId, speakerId)
      : this.deps.speakers.findSpeakerByCustomerId(domainId, speakerId);
  }

  private async requireSpeaker(domainId: string, speakerId: string): Promise<SpeakerRecord> {
    const speaker = await this.findSpeaker(domainId, speakerId);
    if (speaker === undefined) throw notFound(domainId);
    return speaker;
  }
}

function notFound(domainId: string): ResourceNotFoundError {
  return new ResourceNotFoundError('SPEAKER', `The speaker does not exist in domain ${domainId}`);
}
