/**
 * Scheduled Lambda entry point for Voice ID's retention rules: purges soft-deleted domains once their
 * 30 days are over (records, voiceprints and audio), and destroys the voiceprint and audio of speakers
 * whose three years without access ran out (their records stay and report EXPIRED). Run it daily, e.g.
 * from an EventBridge schedule; DynamoDB TTL alone would leave S3 audio and a deleted domain's items behind.
 * It also ends sessions idle past sessionIdleSeconds (freeing their quota slots and destroying their voice state);
 * it has no inference layer, so it runs the sessions without a voice engine. Last, it restarts KMS key changes that
 * FAILED (a key disabled mid-way, since enabled again) or were abandoned IN_PROGRESS, through the re-encryption Lambda.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { readApiConfig } from './api-config.js';
import { createSessionRuntime } from './voiceid-runtime.js';

const logger = new Logger({ serviceName: 'timbre-lifecycle-sweep' });

/** Runs both sweeps to the end, in batches; returns how many domains and speakers were handled. */
export const handler = async (
  _event: unknown,
  context: { invokedFunctionArn?: string },
): Promise<{ purgedDomains: number; expiredSpeakers: number; endedSessions: number; restartedKeyChanges: number }> => {
  const { voiceId, sessions } = createSessionRuntime(readApiConfig(context.invokedFunctionArn), () =>
    Promise.reject(new Error('the lifecycle sweep has no voice engine')),
  );
  let purgedDomains = 0;
  for (let batch = await voiceId.domains.purgeDue(); batch.length > 0; batch = await voiceId.domains.purgeDue()) {
    purgedDomains += batch.length;
    logger.info('Purged deleted domains', { domainIds: batch });
  }
  let expiredSpeakers = 0;
  for (let batch = await voiceId.speakers.purgeExpired(); batch.length > 0; batch = await voiceId.speakers.purgeExpired()) {
    expiredSpeakers += batch.length;
    logger.info('Destroyed biometrics of expired speakers', { count: batch.length });
  }
  let endedSessions = 0;
  for (let ended = await sessions.endIdleSessions(); ended > 0; ended = await sessions.endIdleSessions()) {
    endedSessions += ended;
    logger.info('Ended idle sessions', { count: ended });
  }
  const restarted = await voiceId.domains.restartStalledReencryptions();
  if (restarted.length > 0) logger.info('Restarted stalled KMS key changes', { domainIds: restarted });
  return { purgedDomains, expiredSpeakers, endedSessions, restartedKeyChanges: restarted.length };
};
