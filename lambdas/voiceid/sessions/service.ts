/**
 * Voice ID's session rules (docs/sessions.md): one active session per name, the concurrent-session quota and the
 * idle timeout, audio into a running voiceprint, enrolment from a call, and cached evaluations.
 */
import { AudioError } from '../../audio/index.js';
import { type VoiceIdDependencies, keyRef, nowMs, requireActiveDomain, requireDomain } from '../context.js';
import { QuotaExceededError, RequestValidationError, ResourceConflictError, ResourceNotFoundError } from '../errors.js';
import { withClientToken } from '../idempotency.js';
import { isGeneratedId, newGeneratedId, normaliseGeneratedId } from '../ids.js';
import type { SessionReadOptions, StoredSession } from '../ports.js';
import { SpeakerService } from '../speakers.js';
import type { DomainRecord } from '../types.js';
import { requireWatchlist } from '../watchlists.js';
import type { SessionAudio, SessionVoiceEngine } from './engine.js';
import { SessionEvaluator, findSessionSpeaker, sessionCustomerId } from './evaluate.js';
import type {
  CachedEvaluation,
  AuthenticationConfig,
  EnrollmentRequestStatus,
  ExistingEnrollmentAction,
  SessionEvaluation,
  SessionRecord,
  SessionView,
} from './types.js';

/** Net speech an enrolment needs, in seconds (Voice ID's rule). */
export const ENROLLMENT_SPEECH_SECONDS = 30;
/** Default and range of `AuthenticationMinimumSpeechInSeconds`. */
export const DEFAULT_MIN_SPEECH_SECONDS = 10;
export const MIN_SPEECH_RANGE = [5, 10] as const;
/** Default `RiskThreshold`. */
export const DEFAULT_RISK_THRESHOLD = 50;
/** Tries of a read-modify-write before a concurrent-update conflict is reported. */
const UPDATE_ATTEMPTS = 4;

/** StartSession's input. */
export interface StartSessionInput {
  readonly domainId: string;
  readonly sessionName: string;
  readonly speakerId?: string;
  readonly authentication?: AuthenticationConfig;
  readonly fraudDetection?: { readonly riskThreshold?: number; readonly watchlistId?: string };
  readonly minSpeechSeconds?: number;
  readonly stream?: { readonly streamArn: string; readonly startFragmentNumber: string };
  readonly clientToken?: string;
}

/** UpdateSession's changes: a member given replaces the session's, one left out is kept. */
export interface SessionChanges {
  readonly speakerId?: string;
  readonly authentication?: AuthenticationConfig;
  readonly fraudDetection?: { readonly riskThreshold?: number; readonly watchlistId?: string };
  readonly minSpeechSeconds?: number;
}

/** PutSessionAudio's audio. */
export type PutAudioInput =
  | { readonly bytes: Uint8Array; readonly encoding: 'FILE' | 'PCM_S16LE'; readonly sampleRateHz?: number; readonly channel?: number; readonly endOfStream?: boolean }
  | { readonly s3Uri: string; readonly channel?: number; readonly endOfStream?: boolean };

/** Reads audio named by an S3 URI the API has already checked against the allowed buckets. */
export interface SessionAudioReader {
  read(s3Uri: string): Promise<Uint8Array>;
}

/** What one change of a session writes. */
interface SessionWrite {
  readonly record: SessionRecord;
  readonly voiceState?: Uint8Array | null;
}

/** The session operations; see createSessionService. */
export class SessionService {
  private readonly evaluator: SessionEvaluator;
  private readonly speakerService: SpeakerService;

  constructor(
    private readonly deps: VoiceIdDependencies,
    private readonly engine: SessionVoiceEngine,
    private readonly audioReader?: SessionAudioReader,
  ) {
    this.evaluator = new SessionEvaluator(deps, engine);
    this.speakerService = new SpeakerService(deps);
  }

  /**
   * Starts a session (PENDING_CONFIGURATION until audio arrives). Idempotent with a ClientToken.
   * @throws ResourceConflictError(ANOTHER_ACTIVE_STREAM) while a session of the name is active;
   *   QuotaExceededError at activeSessionsPerDomain (after ending the domain's idle sessions)
   */
  async start(input: StartSessionInput): Promise<SessionView> {
    const domain = await requireActiveDomain(this.deps, input.domainId);
    const fraudDetection =
      input.fraudDetection === undefined
        ? undefined
        : { riskThreshold: input.fraudDetection.riskThreshold ?? DEFAULT_RISK_THRESHOLD, watchlistId: input.fraudDetection.watchlistId ?? domain.defaultWatchlistId };
    if (fraudDetection !== undefined) await requireWatchlist(this.deps, domain.domainId, fraudDetection.watchlistId);
    const minSpeechSeconds = checkedMinSpeech(input.minSpeechSeconds ?? DEFAULT_MIN_SPEECH_SECONDS);
    const { clientToken, ...parameters } = input;
    const record = await withClientToken(
      this.deps,
      {
        operation: 'StartSession',
        scope: domain.domainId,
        clientToken,
        parameters: { ...parameters },
        find: async (sessionId) => (await this.deps.sessions.getSession(domain.domainId, sessionId))?.record,
      },
      async (claim) => {
        const now = nowMs(this.deps);
        const session: SessionRecord = {
          domainId: domain.domainId,
          sessionId: newGeneratedId(),
          sessionName: input.sessionName,
          streamingStatus: 'PENDING_CONFIGURATION',
          ...(input.speakerId !== undefined && { speakerId: normaliseGeneratedId(input.speakerId) }),
          ...(input.authentication !== undefined && { authentication: input.authentication }),
          ...(fraudDetection !== undefined && { fraudDetection }),
          minSpeechSeconds,
          ...(input.stream !== undefined && { stream: input.stream }),
          netSpeechSeconds: 0,
          audioVersion: 0,
          configVersion: 0,
          createdAtMs: now,
          updatedAtMs: now,
          lastActivityAtMs: now,
          version: 1,
        };
        const create = () =>
          this.deps.sessions.createSession(session, {
            maxActiveSessions: this.deps.quotas.activeSessionsPerDomain,
            ...(claim(session.sessionId) !== undefined && { idempotency: claim(session.sessionId)! }),
          });
        try {
          await create();
        } catch (error) {
          if (!(error instanceof QuotaExceededError) && !isNameTaken(error)) throw error;
          // An idle session still holds its slot (or its name) until someone ends it: end them, then try once more.
          if ((await this.endIdleSessionsOf(domain)) === 0) throw error;
          await create();
        }
        return session;
      },
    );
    return this.view(record);
  }

  /** Changes the session's speaker or configuration. @throws ResourceConflictError(CANNOT_CHANGE_SPEAKER_AFTER_ENROLLMENT) */
  async update(domainId: string, sessionNameOrId: string, changes: SessionChanges): Promise<SessionView> {
    const domain = await requireActiveDomain(this.deps, domainId);
    if (changes.minSpeechSeconds !== undefined) checkedMinSpeech(changes.minSpeechSeconds);
    if (changes.fraudDetection?.watchlistId !== undefined) await requireWatchlist(this.deps, domainId, changes.fraudDetection.watchlistId);
    const record = await this.mutate(domain, sessionNameOrId, async (stored) => {
      const session = stored.record;
      const speakerId = changes.speakerId === undefined ? undefined : normaliseGeneratedId(changes.speakerId);
      if (speakerId !== undefined && speakerId !== session.speakerId && session.enrolledSpeakerId !== undefined) {
        throw new ResourceConflictError('CANNOT_CHANGE_SPEAKER_AFTER_ENROLLMENT', 'The session has enrolled its speaker; the speaker cannot change');
      }
      const fraudDetection =
        changes.fraudDetection === undefined
          ? session.fraudDetection
          : {
              riskThreshold: changes.fraudDetection.riskThreshold ?? DEFAULT_RISK_THRESHOLD,
              watchlistId: changes.fraudDetection.watchlistId ?? domain.defaultWatchlistId,
            };
      const next: SessionRecord = {
        ...session,
        ...(speakerId !== undefined && { speakerId }),
        ...(changes.authentication !== undefined && { authentication: changes.authentication }),
        ...(fraudDetection !== undefined && { fraudDetection }),
        ...(changes.minSpeechSeconds !== undefined && { minSpeechSeconds: changes.minSpeechSeconds }),
      };
      const changed =
        next.speakerId !== session.speakerId ||
        JSON.stringify([next.authentication, next.fraudDetection, next.minSpeechSeconds]) !==
          JSON.stringify([session.authentication, session.fraudDetection, session.minSpeechSeconds]);
      return { record: { ...this.touched(next), configVersion: session.configVersion + (changed ? 1 : 0) } };
    });
    return this.view(record);
  }

  /** The session (an idle one is ended first). @throws ResourceNotFoundError(SESSION) */
  async describe(domainId: string, sessionNameOrId: string): Promise<SessionView> {
    const domain = await requireDomain(this.deps, domainId);
    return this.view((await this.read(domain, sessionNameOrId, { voiceState: false })).record);
  }

  /** Ends the session: frees its slot and destroys its voice state. Ending an ended session is no error. */
  async end(domainId: string, sessionNameOrId: string): Promise<SessionView> {
    const domain = await requireDomain(this.deps, domainId);
    const stored = await this.read(domain, sessionNameOrId);
    if (stored.record.streamingStatus === 'ENDED') return this.view(stored.record);
    const record = await this.mutate(domain, stored.record.sessionId, async (current) => this.ending(domain, current));
    return this.view(record);
  }

  /**
   * Enrols the session's speaker from this call's speech: at once with 30 s of net speech (COMPLETED), else when the
   * call reaches it (IN_PROGRESS), or NOT_ENOUGH_SPEECH when the session ends first.
   * @throws ResourceConflictError(SPEAKER_NOT_SET, SPEAKER_OPTED_OUT, ENROLLMENT_ALREADY_EXISTS)
   */
  async enrollBySession(domainId: string, sessionNameOrId: string, action?: ExistingEnrollmentAction): Promise<EnrollmentRequestStatus> {
    const domain = await requireActiveDomain(this.deps, domainId);
    const record = await this.mutate(domain, sessionNameOrId, async (stored) => {
      const session = stored.record;
      if (session.speakerId === undefined) throw new ResourceConflictError('SPEAKER_NOT_SET', 'Set the session’s speaker before enrolling it');
      const speaker = await findSessionSpeaker(this.deps, domainId, session.speakerId);
      if (speaker?.status === 'OPTED_OUT') throw new ResourceConflictError('SPEAKER_OPTED_OUT', 'You cannot request an enrollment for an opted out speaker');
      if (speaker === undefined && isGeneratedId(session.speakerId)) throw new ResourceNotFoundError('SPEAKER', `The speaker does not exist in domain ${domainId}`);
      if (speaker?.status === 'ENROLLED' && action !== 'OVERWRITE' && session.enrolledSpeakerId !== speaker.generatedSpeakerId) {
        throw new ResourceConflictError('ENROLLMENT_ALREADY_EXISTS', 'The speaker is already enrolled; use ExistingEnrollmentAction OVERWRITE to replace it');
      }
      const requested: SessionRecord = { ...session, enrollmentRequest: { status: 'IN_PROGRESS', ...(action !== undefined && { action }) } };
      if (session.netSpeechSeconds >= ENROLLMENT_SPEECH_SECONDS && stored.sealedVoiceState !== undefined) {
        const state = await this.deps.sessions.openVoiceState(keyRef(domain), stored.sealedVoiceState);
        return { record: this.touched(await this.enrolNow(domain, requested, state)) };
      }
      const status = session.streamingStatus === 'ENDED' ? 'NOT_ENOUGH_SPEECH' : 'IN_PROGRESS';
      return { record: this.touched({ ...requested, enrollmentRequest: { ...requested.enrollmentRequest!, status, ...notEnoughMessage(status, session) } }) };
    });
    return record.enrollmentRequest!.status;
  }

  /** Evaluates the session; cached results are answered as they are while audio, speaker and configuration stay. */
  async evaluate(domainId: string, sessionNameOrId: string): Promise<SessionEvaluation> {
    const domain = await requireDomain(this.deps, domainId);
    // Most evaluations of a live call repeat cached results: read the voice state only when they must be recomputed.
    const light = await this.read(domain, sessionNameOrId, { voiceState: false });
    const stored = freshResults(light.record) === undefined ? await this.read(domain, light.record.sessionId) : light;
    const session = stored.record;
    const sealed = stored.sealedVoiceState;
    const results = await this.results(domain, session, async () => (sealed === undefined ? undefined : this.deps.sessions.openVoiceState(keyRef(domain), sealed)));
    if (results !== session.cachedEvaluation) {
      // Caching is best effort: a concurrent update means new inputs, and the next evaluation recomputes anyway.
      await this.deps.sessions
        .updateSession(keyRef(domain), { ...session, cachedEvaluation: results, version: session.version + 1 }, { expectedVersion: session.version })
        .catch((error: unknown) => {
          if (!(error instanceof ResourceConflictError)) throw error;
        });
    }
    return {
      domainId: session.domainId,
      sessionId: session.sessionId,
      sessionName: session.sessionName,
      streamingStatus: session.streamingStatus,
      ...(session.authentication !== undefined && results.authentication !== undefined && { authentication: results.authentication }),
      ...(session.fraudDetection !== undefined && results.fraudDetection !== undefined && { fraudDetection: results.fraudDetection }),
    };
  }

  /**
   * The session's results for its current inputs: the cached ones (the same object) while they are fresh, else
   * computed from the voice state, which is opened only then (`openState`: undefined when there is none).
   */
  private async results(domain: DomainRecord, session: SessionRecord, openState: () => Promise<Uint8Array | undefined>): Promise<CachedEvaluation> {
    const complete = freshResults(session);
    if (complete !== undefined) return complete;
    const cached = session.cachedEvaluation;
    const fresh = cached !== undefined && cached.audioVersion === session.audioVersion && cached.configVersion === session.configVersion;
    let authentication = fresh ? cached.authentication : undefined;
    let fraudDetection = fresh ? cached.fraudDetection : undefined;
    const needsAuth = session.authentication !== undefined && authentication === undefined;
    const needsFraud = session.fraudDetection !== undefined && fraudDetection === undefined;
    if (needsAuth || needsFraud) {
      const state = session.netSpeechSeconds >= session.minSpeechSeconds ? await openState() : undefined;
      const probe = state === undefined ? undefined : await this.engine.voiceprint(state);
      if (needsAuth) authentication = await this.evaluator.authenticate(domain, session, probe);
      if (needsFraud) {
        const spoofRisk = state === undefined ? undefined : await this.engine.spoofRisk(state);
        fraudDetection = await this.evaluator.detectFraud(domain, session, probe, spoofRisk);
      }
    }
    return {
      audioVersion: session.audioVersion,
      configVersion: session.configVersion,
      ...(authentication !== undefined && { authentication }),
      ...(fraudDetection !== undefined && { fraudDetection }),
    };
  }

  /**
   * Adds audio from PutSessionAudio. A session with a Kinesis Video stream takes none.
   * @throws RequestValidationError for undecodable audio (the session is unchanged);
   *   ResourceConflictError(ANOTHER_ACTIVE_STREAM) for a stream session or an ended one
   */
  async putAudio(domainId: string, sessionNameOrId: string, input: PutAudioInput): Promise<SessionView> {
    const domain = await requireActiveDomain(this.deps, domainId);
    const current = await this.read(domain, sessionNameOrId);
    if (current.record.stream !== undefined) {
      throw new ResourceConflictError('ANOTHER_ACTIVE_STREAM', 'The session takes its audio from a Kinesis Video stream; it takes no PutSessionAudio');
    }
    let audio: SessionAudio | undefined;
    if ('s3Uri' in input) {
      if (this.audioReader === undefined) throw new RequestValidationError('S3Uri is not available: no session audio bucket is configured');
      audio = { kind: 'file', bytes: await this.audioReader.read(input.s3Uri), ...(input.channel !== undefined && { channel: input.channel }) };
    } else if (input.encoding === 'PCM_S16LE') {
      if (input.bytes.byteLength % 2 !== 0) throw new RequestValidationError('PCM_S16LE audio must be a whole number of 16-bit samples');
      const samples = new Int16Array(input.bytes.byteLength / 2);
      const view = new DataView(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
      audio = { kind: 'pcm', samples, sampleRateHz: input.sampleRateHz ?? 8000 };
    } else if (input.bytes.byteLength > 0) {
      audio = { kind: 'file', bytes: input.bytes, ...(input.channel !== undefined && { channel: input.channel }) };
    }
    const record = await this.takeAudio(domain, current.record.sessionId, audio, input.endOfStream === true);
    return this.view(record);
  }

  /** Adds caller PCM of a Connect call in stream order (the Kinesis Video consumer, in-process). */
  async appendStreamAudio(
    domainId: string,
    sessionId: string,
    samples: Int16Array,
    sampleRateHz: number,
    options: { readonly endOfStream?: boolean; readonly fragmentNumber?: string } = {},
  ): Promise<SessionView> {
    const domain = await requireActiveDomain(this.deps, domainId);
    const record = await this.takeAudio(domain, sessionId, { kind: 'pcm', samples, sampleRateHz }, options.endOfStream === true, options.fragmentNumber);
    return this.view(record);
  }

  /** Ends every session idle for sessionIdleSeconds (the lifecycle sweep); returns how many. */
  async endIdleSessions(limit = 100): Promise<number> {
    const idle = await this.deps.sessions.listIdleSessions(nowMs(this.deps) - this.idleMs(), limit);
    let ended = 0;
    for (const session of idle) {
      const domain = await this.deps.domains.getDomain(session.domainId);
      if (domain === undefined) continue;
      await this.mutate(domain, session.sessionId, async (current) => this.ending(domain, current)).then(
        () => (ended += 1),
        (error: unknown) => {
          if (!(error instanceof ResourceConflictError)) throw error;
        },
      );
    }
    return ended;
  }

  private async takeAudio(domain: DomainRecord, sessionId: string, audio: SessionAudio | undefined, endOfStream: boolean, fragmentNumber?: string): Promise<SessionRecord> {
    return this.mutate(domain, sessionId, async (stored) => {
      const session = stored.record;
      if (session.streamingStatus === 'ENDED') throw new ResourceConflictError('ANOTHER_ACTIVE_STREAM', 'The session has ENDED and takes no more audio');
      const state = stored.sealedVoiceState === undefined ? undefined : await this.deps.sessions.openVoiceState(keyRef(domain), stored.sealedVoiceState);
      let step;
      try {
        step = await this.engine.addAudio(state, audio, endOfStream);
      } catch (error) {
        if (error instanceof AudioError) throw new RequestValidationError(`The audio cannot be used: ${error.message}`, { cause: error });
        throw error;
      }
      const now = nowMs(this.deps);
      const speechMoved = step.netSpeechSeconds !== session.netSpeechSeconds;
      let next: SessionRecord = {
        ...session,
        streamingStatus: 'ONGOING',
        netSpeechSeconds: step.netSpeechSeconds,
        audioVersion: session.audioVersion + (speechMoved ? 1 : 0),
        audioStartedAtMs: session.audioStartedAtMs ?? now,
        audioEndedAtMs: now,
        ...(fragmentNumber !== undefined && session.stream !== undefined && { stream: { ...session.stream, lastFragmentNumber: fragmentNumber } }),
      };
      if (next.enrollmentRequest?.status === 'IN_PROGRESS' && next.netSpeechSeconds >= ENROLLMENT_SPEECH_SECONDS) {
        next = await this.enrolNow(domain, next, step.state);
      }
      if (endOfStream) return this.ending(domain, { record: this.touched(next) }, step.state);
      return { record: this.touched(next), voiceState: step.state };
    });
  }

  /** Enrols the session's speaker from the state's voiceprint; the request's status says how it went. */
  private async enrolNow(domain: DomainRecord, session: SessionRecord, state: Uint8Array): Promise<SessionRecord> {
    const embedding = await this.engine.voiceprint(state);
    const speaker = await findSessionSpeaker(this.deps, domain.domainId, session.speakerId!);
    const customerSpeakerId = speaker?.customerSpeakerId ?? (isGeneratedId(session.speakerId!) ? undefined : session.speakerId!);
    if (embedding === undefined || customerSpeakerId === undefined) {
      const message = embedding === undefined ? 'The speech could not be embedded' : 'The speaker has no customer ID to enrol under';
      return { ...session, enrollmentRequest: { status: 'FAILED', message } };
    }
    try {
      const voiceprint = { embedding, modelId: await this.engine.modelId() };
      const enrolled = await this.speakerService.recordEnrollment(domain.domainId, customerSpeakerId, voiceprint);
      return {
        ...session,
        enrolledSpeakerId: enrolled.generatedSpeakerId,
        enrollmentRequest: { status: 'COMPLETED' },
        configVersion: session.configVersion + 1,
      };
    } catch (error) {
      if (!(error instanceof ResourceConflictError)) throw error;
      return { ...session, enrollmentRequest: { status: 'FAILED', message: error.message } };
    }
  }

  /**
   * The write that ends a session. The speech still held back is embedded; a pending enrolment gets its last chance
   * on it, then fails; and the final results are computed and cached before the voice state is destroyed, so an
   * ended session keeps answering them.
   */
  private async ending(domain: DomainRecord, stored: StoredSession, openState?: Uint8Array): Promise<SessionWrite> {
    let session = stored.record;
    let state = openState ?? (stored.sealedVoiceState === undefined ? undefined : await this.deps.sessions.openVoiceState(keyRef(domain), stored.sealedVoiceState));
    if (state !== undefined && openState === undefined) {
      const step = await this.engine.addAudio(state, undefined, true).catch(() => undefined);
      if (step !== undefined) {
        state = step.state;
        if (step.netSpeechSeconds !== session.netSpeechSeconds) {
          session = { ...session, netSpeechSeconds: step.netSpeechSeconds, audioVersion: session.audioVersion + 1 };
        }
      }
    }
    if (session.enrollmentRequest?.status === 'IN_PROGRESS') {
      const pending = session;
      session =
        state !== undefined && session.netSpeechSeconds >= ENROLLMENT_SPEECH_SECONDS
          ? await this.enrolNow(domain, session, state).catch((error: unknown) => ({
              ...pending,
              enrollmentRequest: { status: 'FAILED' as const, message: `Enrolment failed: ${(error as Error).message}` },
            }))
          : { ...session, enrollmentRequest: { ...session.enrollmentRequest!, status: 'NOT_ENOUGH_SPEECH', ...notEnoughMessage('NOT_ENOUGH_SPEECH', session) } };
    }
    const finalState = state;
    const cachedEvaluation = await this.results(domain, session, async () => finalState);
    const now = nowMs(this.deps);
    return { record: { ...session, cachedEvaluation, streamingStatus: 'ENDED', endedAtMs: now, updatedAtMs: now }, voiceState: null };
  }

  /** Reads the session; one idle past the timeout is ended first, as if the timeout had fired. */
  private async read(domain: DomainRecord, sessionNameOrId: string, options?: SessionReadOptions): Promise<StoredSession> {
    const stored = await this.find(domain.domainId, sessionNameOrId, options);
    if (!this.isIdle(stored.record)) return stored;
    const record = await this.mutate(domain, stored.record.sessionId, async (current) =>
      this.isIdle(current.record) ? this.ending(domain, current) : { record: current.record },
    );
    return { record };
  }

  private async find(domainId: string, sessionNameOrId: string, options?: SessionReadOptions): Promise<StoredSession> {
    const key = normaliseGeneratedId(sessionNameOrId);
    const stored = isGeneratedId(key)
      ? await this.deps.sessions.getSession(domainId, key, options)
      : await this.deps.sessions.findSessionByName(domainId, key, options);
    if (stored === undefined) throw new ResourceNotFoundError('SESSION', `The session does not exist in domain ${domainId}`);
    return stored;
  }

  /**
   * Read-modify-write with optimistic locking: on a concurrent update (audio and configuration at once) the session
   * is read again and the change re-applied, a few times, before CONCURRENT_CHANGES is reported.
   */
  private async mutate(domain: DomainRecord, sessionNameOrId: string, change: (stored: StoredSession) => Promise<SessionWrite>): Promise<SessionRecord> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.find(domain.domainId, sessionNameOrId);
      const write = await change(stored);
      if (write.record === stored.record) return stored.record;
      const record = { ...write.record, version: stored.record.version + 1 };
      try {
        await this.deps.sessions.updateSession(keyRef(domain), record, {
          expectedVersion: stored.record.version,
          ...(write.voiceState !== undefined && { voiceState: write.voiceState }),
        });
        return record;
      } catch (error) {
        if (!(error instanceof ResourceConflictError && error.conflictType === 'CONCURRENT_CHANGES') || attempt >= UPDATE_ATTEMPTS) throw error;
      }
    }
  }

  private async endIdleSessionsOf(domain: DomainRecord): Promise<number> {
    const idle = (await this.deps.sessions.listActiveSessions(domain.domainId)).filter((s) => this.isIdle(s));
    for (const session of idle) await this.mutate(domain, session.sessionId, async (current) => this.ending(domain, current));
    return idle.length;
  }

  private idleMs(): number {
    return this.deps.quotas.sessionIdleSeconds * 1000;
  }

  private isIdle(session: SessionRecord): boolean {
    return session.streamingStatus !== 'ENDED' && session.lastActivityAtMs + this.idleMs() <= nowMs(this.deps);
  }

  private touched(session: SessionRecord): SessionRecord {
    const now = nowMs(this.deps);
    return { ...session, updatedAtMs: now, lastActivityAtMs: now };
  }

  private async view(session: SessionRecord): Promise<SessionView> {
    const speaker = session.speakerId === undefined ? undefined : await findSessionSpeaker(this.deps, session.domainId, session.speakerId);
    const customerSpeakerId = sessionCustomerId(speaker, session.speakerId);
    const request = session.enrollmentRequest;
    return {
      sessionId: session.sessionId,
      sessionName: session.sessionName,
      domainId: session.domainId,
      streamingStatus: session.streamingStatus,
      ...(customerSpeakerId !== undefined && { customerSpeakerId }),
      ...(speaker !== undefined && { generatedSpeakerId: speaker.generatedSpeakerId }),
      ...(session.authentication !== undefined && { authentication: session.authentication }),
      ...(session.fraudDetection !== undefined && { fraudDetection: session.fraudDetection }),
      minSpeechSeconds: session.minSpeechSeconds,
      ...(session.stream !== undefined && { stream: session.stream }),
      netSpeechSeconds: session.netSpeechSeconds,
      ...(request !== undefined && { enrollmentRequest: { status: request.status, ...(request.message !== undefined && { message: request.message }) } }),
      createdAtMs: session.createdAtMs,
      updatedAtMs: session.updatedAtMs,
    };
  }
}

function isNameTaken(error: unknown): boolean {
  return error instanceof ResourceConflictError && error.conflictType === 'ANOTHER_ACTIVE_STREAM';
}

function checkedMinSpeech(seconds: number): number {
  if (!(seconds >= MIN_SPEECH_RANGE[0] && seconds <= MIN_SPEECH_RANGE[1])) {
    throw new RequestValidationError(`AuthenticationMinimumSpeechInSeconds must be between ${MIN_SPEECH_RANGE[0]} and ${MIN_SPEECH_RANGE[1]}`);
  }
  return seconds;
}

function notEnoughMessage(status: EnrollmentRequestStatus, session: SessionRecord): { message?: string } {
  return status === 'NOT_ENOUGH_SPEECH'
    ? { message: `The session ended with ${session.netSpeechSeconds.toFixed(1)} s of net speech; enrolment needs ${ENROLLMENT_SPEECH_SECONDS} s` }
    : {};
}

/**
 * The session operations over Voice ID's ports and a voice engine.
 * @param audioReader - reads PutSessionAudio's S3Uri audio; without it S3Uri is refused
 * @example const sessions = createSessionService(deps, engine); await sessions.start({ domainId, sessionName });
 */
export function createSessionService(deps: VoiceIdDependencies, engine: SessionVoiceEngine, audioReader?: SessionAudioReader): SessionService {
  return new SessionService(deps, engine, audioReader);
}

/** The cached results when they are for the session's current audio and configuration and cover every feature it has on. */
function freshResults(session: SessionRecord): CachedEvaluation | undefined {
  const cached = session.cachedEvaluation;
  if (cached === undefined || cached.audioVersion !== session.audioVersion || cached.configVersion !== session.configVersion) return undefined;
  if (session.authentication !== undefined && cached.authentication === undefined) return undefined;
  if (session.fraudDetection !== undefined && cached.fraudDetection === undefined) return undefined;
  return cached;
}
