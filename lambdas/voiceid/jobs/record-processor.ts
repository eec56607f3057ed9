/**
 * One manifest record, processed once per job (idempotent on job + record: the side effect is claimed, with its
 * generated ID, before any write, so a retry repeats the same writes and reports the same outcome): fetch and check its audio as the job's role, embed the speech of
 * all its files together through the one biometric path (voiceprints.ts; an enrolment's fraud check also scores them
 * for spoofing), apply the job's EnrollmentConfig or
 * RegistrationConfig, store the voiceprint and audio, and record the outcome. A record that fails gets its reason
 * and code in the outcome and stores no voiceprint.
 *
 * Not re-exported from ./index.ts: it loads onnxruntime-node through voiceprints.ts.
 */
import { poolSpoofScores, spoofRisk100, type SpoofModel, type SpoofScore } from '../../antispoof/index.js';
import { AudioError } from '../../audio/index.js';
import { knownFraudsterRisk, type Scorer } from '../../scoring/index.js';
import type { SpeakerModel } from '../../voiceprint/index.js';
import { type VoiceIdDependencies, keyRef, requireActiveDomain } from '../context.js';
import { QuotaExceededError, ResourceConflictError } from '../errors.js';
import { FraudsterService } from '../fraudsters.js';
import { reportedSpeakerStatus } from '../lifecycle.js';
import type { Voiceprint } from '../ports.js';
import { SpeakerService } from '../speakers.js';
import { usableFraudsterEmbeddings } from '../stored-voiceprints.js';
import type { DomainRecord } from '../types.js';
import { newGeneratedId } from '../ids.js';
import { embedAndScreenRecording, embedRecording, enrolVoiceprint, type RecordingEmbedding } from '../voiceprints.js';
import { MAX_AUDIO_BYTES, checkBatchAudio, parseAudioUri } from './audio-rules.js';
import type { WorkItem } from './job-runner.js';
import { ObjectTooLargeError, dataAccessOf, type BatchObjects, type JobRepository } from './ports.js';
import type { EnrollmentConfig, JobRecord, RecordClaim, RecordOutcome, RegistrationConfig } from './types.js';

/** Net speech Voice ID needs to enrol a speaker, summed over a record's files. */
export const MIN_ENROLLMENT_SPEECH_SECONDS = 30;
/** RiskThreshold and FraudsterSimilarityThreshold when the job gives none (undocumented; the flow default for fraud risk). */
export const DEFAULT_BATCH_THRESHOLD = 50;

/** What processing a record needs. */
export interface RecordProcessorDependencies extends VoiceIdDependencies {
  readonly jobs: JobRepository;
  readonly objects: BatchObjects;
  readonly roleBuckets: ReadonlySet<string>;
  readonly model: SpeakerModel;
  readonly scorer: Scorer;
  /** The voice-spoofing countermeasure an enrolment's fraud check runs; without it the check is known-fraudster risk only. */
  readonly spoofModel?: SpoofModel;
  /** @default MIN_ENROLLMENT_SPEECH_SECONDS */
  readonly minSpeechSeconds?: number;
}

/** A record's failure, carried to its outcome. */
class RecordFailure extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'RecordFailure';
  }
}

/** Processes the workflow's records. */
export class RecordProcessor {
  private readonly speakers: SpeakerService;
  private readonly fraudsters: FraudsterService;

  constructor(private readonly deps: RecordProcessorDependencies) {
    this.speakers = new SpeakerService(deps);
    this.fraudsters = new FraudsterService(deps);
  }

  /**
   * Processes one record unless it already has an outcome (a retried or resumed iteration), and records it.
   * @returns the record's outcome
   */
  async process(item: WorkItem): Promise<RecordOutcome> {
    const previous = await this.deps.jobs.getOutcome(item.jobId, item.record.index);
    if (previous !== undefined) return previous;
    const job = await this.deps.jobs.getJob(item.domainId, item.type, item.jobId);
    if (job === undefined) throw new Error(`Job ${item.jobId} does not exist`);
    const outcome = await this.outcomeOf(job, item);
    await this.deps.jobs.recordOutcome(job, outcome);
    return (await this.deps.jobs.getOutcome(item.jobId, item.record.index)) ?? outcome;
  }

  private async outcomeOf(job: JobRecord, item: WorkItem): Promise<RecordOutcome> {
    const { index, requestId } = item.record;
    try {
      return job.type === 'ENROLLMENT' ? await this.enrol(job, item) : await this.register(job, item);
    } catch (error) {
      if (error instanceof RecordFailure) return { index, requestId, ok: false, errorCode: error.code, errorMessage: error.message };
      if (error instanceof QuotaExceededError) return { index, requestId, ok: false, errorCode: 402, errorMessage: error.message };
      if (error instanceof ResourceConflictError && error.conflictType === 'SPEAKER_OPTED_OUT') {
        return { index, requestId, ok: false, errorCode: 409, errorMessage: error.message };
      }
      return { index, requestId, ok: false, errorCode: 500, errorMessage: 'An internal error occurred while processing this request' };
    }
  }

  private async enrol(job: JobRecord, item: WorkItem): Promise<RecordOutcome> {
    const config = job.config as EnrollmentConfig;
    const customerSpeakerId = item.record.speakerId!;
    const base = { index: item.record.index, requestId: item.record.requestId, ok: true as const, customerSpeakerId };
    const domain = await requireActiveDomain(this.deps, job.domainId);
    const existing = await this.deps.speakers.findSpeakerByCustomerId(job.domainId, customerSpeakerId);
    if (existing?.status === 'OPTED_OUT') throw new RecordFailure(409, 'You cannot request an enrollment for an opted out speaker');
    // A claim means an earlier attempt decided and maybe enrolled already: its decision holds, or a retry would see
    // its own enrolment and report DUPLICATE_SKIPPED.
    const earlier = await this.deps.jobs.getClaim(job.jobId, item.record.index);
    const enrolled = earlier === undefined ? existing !== undefined && reportedSpeakerStatus(existing, Date.now()) === 'ENROLLED' : earlier.status === 'ENROLLMENT_OVERWRITE';
    const overwrite = (config.ExistingEnrollmentAction ?? 'SKIP') === 'OVERWRITE';
    if (earlier === undefined && enrolled && !overwrite) return { ...base, status: 'DUPLICATE_SKIPPED', generatedId: existing!.generatedSpeakerId };
    const fraud = config.FraudDetectionConfig;
    const checked = earlier === undefined && (fraud?.FraudDetectionAction ?? 'FAIL') === 'FAIL';
    const { voiceprint, netSpeechSeconds, audio, spoof } = await this.voiceprintOf(job, item, checked);
    if (checked) {
      const watchlistId = fraud?.WatchlistIds?.[0] ?? domain.defaultWatchlistId;
      const risk = await this.closestFraudster(domain, watchlistId, voiceprint, netSpeechSeconds);
      const threshold = fraud?.RiskThreshold ?? DEFAULT_BATCH_THRESHOLD;
      // Both risks, in Voice ID's order of reasons: KNOWN_FRAUDSTER, VOICE_SPOOFING.
      const failed = [
        ...(risk.riskScore >= threshold ? [`known-fraudster risk ${risk.riskScore}`] : []),
        ...(spoof !== undefined && spoofRisk100(spoof.risk) >= threshold ? [`voice spoofing risk ${spoofRisk100(spoof.risk)}`] : []),
      ];
      if (failed.length > 0) {
        throw new RecordFailure(400, `The speaker failed the fraud check: ${failed.join(' and ')} ${failed.length > 1 ? 'are' : 'is'} at or above the RiskThreshold ${threshold}`);
      }
    }
    const claim = await this.claim(job, item, enrolled ? 'ENROLLMENT_OVERWRITE' : 'NEW_ENROLLMENT', customerSpeakerId);
    // Enrolling a customer speaker ID again with the same voiceprint is idempotent (same speaker, same ID).
    const speaker = await this.speakers.recordEnrollment(job.domainId, customerSpeakerId, voiceprint);
    if (claim.status === 'ENROLLMENT_OVERWRITE') await this.deps.audio.deleteAllAudio(job.domainId, speaker.generatedSpeakerId);
    await this.storeAudio(domain, speaker.generatedSpeakerId, job, audio);
    return { ...base, status: claim.status, generatedId: speaker.generatedSpeakerId };
  }

  private async register(job: JobRecord, item: WorkItem): Promise<RecordOutcome> {
    const config = job.config as RegistrationConfig;
    const base = { index: item.record.index, requestId: item.record.requestId, ok: true as const };
    const domain = await requireActiveDomain(this.deps, job.domainId);
    const { voiceprint, netSpeechSeconds, audio } = await this.voiceprintOf(job, item);
    // A claim means an earlier attempt chose this record's fraudster ID and maybe registered it: the duplicate
    // check would now find that very fraudster, so it is not run again.
    const earlier = await this.deps.jobs.getClaim(job.jobId, item.record.index);
    if (earlier === undefined && (config.DuplicateRegistrationAction ?? 'SKIP') === 'SKIP') {
      // Voice ID compares a new fraudster with every fraudster of the domain.
      const risk = await this.closestFraudster(domain, undefined, voiceprint, netSpeechSeconds);
      const threshold = config.FraudsterSimilarityThreshold ?? DEFAULT_BATCH_THRESHOLD;
      if (risk.closestId !== undefined && risk.riskScore >= threshold) {
        return { ...base, status: 'DUPLICATE_SKIPPED', generatedId: risk.closestId, similarityScore: risk.riskScore };
      }
    }
    const claim = earlier ?? (await this.claim(job, item, 'NEW_REGISTRATION', newGeneratedId()));
    const fraudster = await this.fraudsters.register(job.domainId, voiceprint, config.WatchlistIds, claim.generatedId);
    await this.storeAudio(domain, fraudster.generatedFraudsterId, job, audio);
    return { ...base, status: 'NEW_REGISTRATION', generatedId: fraudster.generatedFraudsterId };
  }

  /** Claims the record's side effect before any write; the claim that holds (maybe an earlier attempt's) decides. */
  private claim(job: JobRecord, item: WorkItem, status: RecordClaim['status'], generatedId: string): Promise<RecordClaim> {
    return this.deps.jobs.claimRecord(job.jobId, { index: item.record.index, requestId: item.record.requestId, status, generatedId });
  }

  /**
   * Fetches, checks and embeds every file of the record, then aggregates them into one voiceprint; with `screen` (and
   * a countermeasure) also the spoof score of all their speech.
   */
  private async voiceprintOf(
    job: JobRecord,
    item: WorkItem,
    screen = false,
  ): Promise<{ voiceprint: Voiceprint; netSpeechSeconds: number; audio: Uint8Array[]; spoof: SpoofScore | undefined }> {
    const audio: Uint8Array[] = [];
    const embedded: RecordingEmbedding[] = [];
    const spoofScores: (SpoofScore | undefined)[] = [];
    const spoofModel = screen ? this.deps.spoofModel : undefined;
    for (const spec of item.record.audio) {
      const location = parseAudioUri(spec.s3Uri, this.deps.roleBuckets);
      if ('refused' in location) throw new RecordFailure(400, location.refused);
      let bytes: Uint8Array | undefined;
      try {
        bytes = await this.deps.objects.getObject(dataAccessOf(job), location.bucket, location.key, MAX_AUDIO_BYTES);
      } catch (error) {
        if (error instanceof ObjectTooLargeError) throw new RecordFailure(400, `${spec.s3Uri}: the audio file is ${error.bytes} bytes; the limit is ${MAX_AUDIO_BYTES} (20 MB)`);
        throw error;
      }
      if (bytes === undefined) throw new RecordFailure(400, `${spec.s3Uri} does not exist`);
      const refused = checkBatchAudio(bytes, spec.channelId);
      if (refused !== undefined) throw new RecordFailure(400, `${spec.s3Uri}: ${refused}`);
      try {
        if (spoofModel === undefined) {
          embedded.push(await embedRecording(this.deps.model, bytes, { channel: spec.channelId }));
        } else {
          const screened = await embedAndScreenRecording(this.deps.model, spoofModel, bytes, { channel: spec.channelId });
          embedded.push(screened.recording);
          spoofScores.push(screened.spoof);
        }
      } catch (error) {
        if (error instanceof AudioError) throw new RecordFailure(400, `${spec.s3Uri}: ${error.message}`);
        throw error;
      }
      audio.push(bytes);
    }
    const enrolment = enrolVoiceprint(embedded);
    const minimum = this.deps.minSpeechSeconds ?? MIN_ENROLLMENT_SPEECH_SECONDS;
    const seconds = enrolment.outcome === 'enrolled' ? enrolment.voiceprint.netSpeechSeconds : 0;
    if (enrolment.outcome !== 'enrolled' || seconds < minimum) {
      throw new RecordFailure(400, `The provided audio files do not have enough speech for enrollment: ${seconds.toFixed(1)} s of speech, ${minimum} s needed`);
    }
    const voiceprint = { embedding: enrolment.voiceprint.embedding, modelId: this.deps.model.card.id };
    return { voiceprint, netSpeechSeconds: seconds, audio, spoof: spoofModel === undefined ? undefined : poolSpoofScores(spoofModel, spoofScores) };
  }

  /**
   * Known-fraudster risk of a voiceprint against a watchlist (every fraudster of the domain when undefined); fraudsters
   * registered under another model are skipped.
   */
  private async closestFraudster(
    domain: DomainRecord,
    watchlistId: string | undefined,
    voiceprint: Voiceprint,
    netSpeechSeconds: number,
  ): Promise<{ riskScore: number; closestId: string | undefined }> {
    const fraudsters = await usableFraudsterEmbeddings(this.deps, domain, watchlistId, voiceprint.modelId, Date.now());
    const risk = knownFraudsterRisk(fraudsters.map((f) => this.deps.scorer.score(f.embedding, voiceprint.embedding, netSpeechSeconds).llr));
    return { riskScore: risk.riskScore, closestId: risk.closestIndex === undefined ? undefined : fraudsters[risk.closestIndex]!.generatedFraudsterId };
  }

  private async storeAudio(domain: DomainRecord, ownerId: string, job: JobRecord, audio: readonly Uint8Array[]): Promise<void> {
    for (const [i, bytes] of audio.entries()) await this.deps.audio.putAudio(keyRef(domain), ownerId, `batch-${job.jobId}-${i}.wav`, bytes);
  }
}
