/**
 * The asynchronous half of a KMS key change (UpdateDomain with a new key): moves every voiceprint, session voice
 * state and audio item of the domain to its new key, a page at a time, reporting progress on the domain record, and
 * ends the change COMPLETED or FAILED with a message. A run can stop between pages (a Lambda's time budget) and be
 * continued from where it stopped; a run started again from the beginning is safe too, because items already under
 * the new key are left alone.
 */
import { keyRef, nowMs, type VoiceIdDependencies } from './context.js';
import { KeyAccessDeniedError, ResourceConflictError } from './errors.js';
import type { DomainReencryption, ReencryptionLauncher } from './ports.js';
import type { DomainRecord, EncryptionUpdateDetails } from './types.js';

/**
 * A key change IN_PROGRESS whose last heartbeat is older than this counts as abandoned (its worker died), so
 * UpdateDomain and the daily sweep may start it again.
 */
export const ABANDONED_REENCRYPTION_MS = 15 * 60 * 1000;

/** Items re-wrapped between two heartbeats (and two chances to stop). */
const DEFAULT_PAGE_SIZE = 25;

/** Attempts at ending the change when UpdateDomain calls (renames) keep moving the domain's version. */
const FINISH_ATTEMPTS = 5;

/** The stores a re-encryption works through, in this order. */
export const REENCRYPTION_PHASES = ['voiceprints', 'sessions', 'audio'] as const;
export type ReencryptionPhase = (typeof REENCRYPTION_PHASES)[number];

/** Where a run stopped: the store, and the cursor within it (absent: its beginning). */
export interface ReencryptionPosition {
  readonly phase: ReencryptionPhase;
  readonly cursor?: string;
}

/** What a run did. */
export interface ReencryptionOutcome {
  /**
   * COMPLETED or FAILED: the run ended the change so. PAUSED: it stopped at `continueFrom` when asked to.
   * NOT_IN_PROGRESS: the domain has no key change running (it ended, another key was chosen, or it was deleted).
   */
  readonly status: 'COMPLETED' | 'FAILED' | 'PAUSED' | 'NOT_IN_PROGRESS';
  readonly rewrapped: number;
  readonly skipped: number;
  readonly continueFrom?: ReencryptionPosition;
  readonly message?: string;
}

/** What the worker needs: the domain record, KMS's view of the key, and the stores it moves. */
export type ReencryptionDependencies = Pick<VoiceIdDependencies, 'domains' | 'keys' | 'voiceprints' | 'sessions' | 'audio' | 'clock'>;

/** Whether the domain's key change is running now: IN_PROGRESS with a recent heartbeat. */
export function isReencryptionRunning(domain: DomainRecord, now: number): boolean {
  const update = domain.encryptionUpdate;
  if (update?.updateStatus !== 'IN_PROGRESS') return false;
  return now - (update.heartbeatAtMs ?? domain.updatedAtMs) < ABANDONED_REENCRYPTION_MS;
}

/** Whether the domain's key change should be started again: it FAILED, or it was abandoned IN_PROGRESS. */
export function isReencryptionStalled(domain: DomainRecord, now: number): boolean {
  const status = domain.encryptionUpdate?.updateStatus;
  return status === 'FAILED' || (status === 'IN_PROGRESS' && !isReencryptionRunning(domain, now));
}

/** Runs re-encryptions. */
export class ReencryptionWorker {
  constructor(
    private readonly deps: ReencryptionDependencies,
    private readonly pageSize = DEFAULT_PAGE_SIZE,
  ) {}

  /**
   * Re-encrypts the domain's data under its current key, from `from` (default: the beginning), until done or until
   * `shouldPause` says stop (asked after each page). KMS refusing a key ends the change FAILED with a message that
   * names the key; nothing is lost, because an item is replaced only by its re-wrapped copy.
   */
  async run(domainId: string, options: { from?: ReencryptionPosition; shouldPause?: () => boolean } = {}): Promise<ReencryptionOutcome> {
    const domain = await this.deps.domains.getDomain(domainId);
    let rewrapped = 0;
    let skipped = 0;
    const notRunning = (): ReencryptionOutcome => ({ status: 'NOT_IN_PROGRESS', rewrapped, skipped });
    if (domain === undefined || domain.deletedAtMs !== undefined || domain.encryptionUpdate?.updateStatus !== 'IN_PROGRESS') return notRunning();
    try {
      const keyArn = await this.usableKeyArn(domain.kmsKeyId);
      let position: ReencryptionPosition | undefined = options.from ?? { phase: REENCRYPTION_PHASES[0] };
      while (position !== undefined) {
        const page = await this.store(position.phase).reencryptPage(keyRef(domain), keyArn, position.cursor, this.pageSize);
        rewrapped += page.rewrapped;
        skipped += page.skipped;
        if (!(await this.deps.domains.heartbeatEncryptionUpdate(domainId, domain.kmsKeyId, nowMs(this.deps)))) return notRunning();
        position = page.cursor !== undefined ? { phase: position.phase, cursor: page.cursor } : nextPhase(position.phase);
        if (position !== undefined && options.shouldPause?.() === true) return { status: 'PAUSED', rewrapped, skipped, continueFrom: position };
      }
    } catch (error) {
      const message = error instanceof KeyAccessDeniedError
        ? `Re-encryption stopped: ${error.message}. Nothing was lost; once KMS allows the key again, UpdateDomain with the same configuration (or the daily sweep) resumes it.`
        : `Re-encryption failed: ${error instanceof Error ? error.message : String(error)}`;
      const ended = await this.finish(domainId, domain.kmsKeyId, { updateStatus: 'FAILED', message });
      return ended ? { status: 'FAILED', rewrapped, skipped, message } : notRunning();
    }
    return (await this.finish(domainId, domain.kmsKeyId, { updateStatus: 'COMPLETED' })) ? { status: 'COMPLETED', rewrapped, skipped } : notRunning();
  }

  /** The key's ARN (what envelopes record), if KMS has it enabled. */
  private async usableKeyArn(kmsKeyId: string): Promise<string> {
    const key = await this.deps.keys.describeKey(kmsKeyId);
    if (key === undefined) throw new KeyAccessDeniedError(`The KMS key ${kmsKeyId} does not exist or is not accessible`);
    if (!key.enabled) throw new KeyAccessDeniedError(`The KMS key ${kmsKeyId} is not enabled`);
    return key.keyArn;
  }

  private store(phase: ReencryptionPhase): DomainReencryption {
    return { voiceprints: this.deps.voiceprints, sessions: this.deps.sessions, audio: this.deps.audio }[phase];
  }

  /**
   * Ends the change to `kmsKeyId`, moving the domain's version so that an UpdateDomain that read it IN_PROGRESS cannot
   * write that back. Returns false when the change was no longer running (another key was chosen meanwhile).
   */
  private async finish(domainId: string, kmsKeyId: string, outcome: Omit<EncryptionUpdateDetails, 'oldKmsKeyId'>): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      const domain = await this.deps.domains.getDomain(domainId);
      const update = domain?.encryptionUpdate;
      if (domain === undefined || domain.deletedAtMs !== undefined || domain.kmsKeyId !== kmsKeyId || update?.updateStatus !== 'IN_PROGRESS') return false;
      const ended: DomainRecord = {
        ...domain,
        encryptionUpdate: { oldKmsKeyId: update.oldKmsKeyId, ...outcome },
        updatedAtMs: Math.max(nowMs(this.deps), domain.updatedAtMs + 1),
      };
      try {
        await this.deps.domains.updateDomain(ended, domain.updatedAtMs);
        return true;
      } catch (error) {
        if (!(error instanceof ResourceConflictError) || attempt >= FINISH_ATTEMPTS) throw error;
      }
    }
  }
}

function nextPhase(phase: ReencryptionPhase): ReencryptionPosition | undefined {
  const next = REENCRYPTION_PHASES[REENCRYPTION_PHASES.indexOf(phase) + 1];
  return next === undefined ? undefined : { phase: next };
}

/**
 * Runs re-encryptions in this process, in the background: the launcher of local runs and tests where no
 * re-encryption Lambda is configured. `idle()` waits for every run started so far.
 */
export class InProcessReencryptionLauncher implements ReencryptionLauncher {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly worker: ReencryptionWorker,
    private readonly onError: (error: unknown) => void = (error) => console.error('timbre re-encryption:', error),
  ) {}

  async launch(domainId: string): Promise<void> {
    const run = this.worker.run(domainId).then(() => undefined, this.onError);
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Settles when every run started so far has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
