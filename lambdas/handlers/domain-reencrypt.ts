/**
 * Lambda entry point of a KMS key change's re-encryption, invoked asynchronously by UpdateDomain (through the API
 * Lambda) and by the daily sweep for changes that FAILED or were abandoned. It moves the domain's voiceprints, session
 * voice state and audio to the domain's new key, and when its time budget runs low it hands the rest on to a fresh
 * invocation of itself, so a domain of any size finishes.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { ReencryptionEvent } from '../store/index.js';
import { REENCRYPTION_PHASES, ReencryptionWorker, UNIQUE_ID_PATTERN, type ReencryptionOutcome, type ReencryptionPosition } from '../voiceid/index.js';
import { readApiConfig } from './api-config.js';
import { reencryptionLauncher, voiceIdDependencies } from './voiceid-runtime.js';

const logger = new Logger({ serviceName: 'timbre-domain-reencrypt' });

/** Time kept back from the budget: the page under way, the heartbeat and the hand-over must fit in it. */
const HAND_OVER_RESERVE_MS = 60_000;

/** The parts of the Lambda context the handler reads. */
export interface ReencryptContext {
  readonly functionName: string;
  readonly invokedFunctionArn?: string;
  getRemainingTimeInMillis(): number;
}

/** An event that is not a {@link ReencryptionEvent}. */
export class ReencryptionEventError extends Error {
  constructor(message: string) {
    super(`Invalid domain-reencrypt event: ${message}`);
    this.name = 'ReencryptionEventError';
  }
}

/** Checks the event's shape. @throws ReencryptionEventError naming what is wrong. */
export function readReencryptionEvent(event: unknown): ReencryptionEvent {
  if (event === null || typeof event !== 'object') throw new ReencryptionEventError('not an object');
  const { domainId, continueFrom } = event as Record<string, unknown>;
  if (typeof domainId !== 'string' || !UNIQUE_ID_PATTERN.test(domainId)) throw new ReencryptionEventError('domainId must be a 22-character domain ID');
  if (continueFrom === undefined) return { domainId };
  const { phase, cursor } = (continueFrom ?? {}) as Record<string, unknown>;
  if (!REENCRYPTION_PHASES.includes(phase as ReencryptionPosition['phase'])) {
    throw new ReencryptionEventError(`continueFrom.phase must be one of ${REENCRYPTION_PHASES.join(', ')}`);
  }
  if (cursor !== undefined && typeof cursor !== 'string') throw new ReencryptionEventError('continueFrom.cursor must be a string');
  return { domainId, continueFrom: { phase: phase as ReencryptionPosition['phase'], ...(cursor !== undefined && { cursor }) } };
}

/** Re-encrypts one domain, or as much as the budget allows and hands the rest on. */
export const handler = async (event: unknown, context: ReencryptContext): Promise<ReencryptionOutcome> => {
  const request = readReencryptionEvent(event);
  const worker = new ReencryptionWorker(voiceIdDependencies(readApiConfig(context.invokedFunctionArn)));
  const outcome = await worker.run(request.domainId, {
    ...(request.continueFrom !== undefined && { from: request.continueFrom }),
    shouldPause: () => context.getRemainingTimeInMillis() < HAND_OVER_RESERVE_MS,
  });
  if (outcome.status === 'PAUSED') await reencryptionLauncher(context.functionName).continueFrom(request.domainId, outcome.continueFrom!);
  // Counts and the outcome only: no key material, no biometric data.
  logger.info('Re-encryption run ended', { domainId: request.domainId, status: outcome.status, rewrapped: outcome.rewrapped, skipped: outcome.skipped });
  return outcome;
};
