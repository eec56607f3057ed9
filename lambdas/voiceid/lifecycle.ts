/**
 * Time rules of Voice ID's lifecycle: speaker expiry after three years without access, and the
 * 30-day soft delete of domains.
 */
import type { SpeakerRecord, SpeakerStatus } from './types.js';

/** Years without enrolment or successful authentication after which a speaker is EXPIRED. */
export const SPEAKER_EXPIRY_YEARS = 3;

/** Days a deleted domain is kept (SUSPENDED, hidden) before it is purged. */
export const DOMAIN_PURGE_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** When a speaker last accessed at `lastAccessedAtMs` expires (calendar years, UTC). */
export function speakerExpiresAtMs(lastAccessedAtMs: number): number {
  const date = new Date(lastAccessedAtMs);
  date.setUTCFullYear(date.getUTCFullYear() + SPEAKER_EXPIRY_YEARS);
  return date.getTime();
}

/**
 * When the speaker's biometrics expire: three years after an ENROLLED speaker's last access. Undefined for a
 * speaker with no voiceprint to expire (opted out, pending). The store indexes it for the expiry sweep.
 */
export function biometricsExpireAtMs(speaker: SpeakerRecord): number | undefined {
  return speaker.status === 'ENROLLED' && speaker.lastAccessedAtMs !== undefined ? speakerExpiresAtMs(speaker.lastAccessedAtMs) : undefined;
}

/**
 * The status Voice ID reports. An enrolled speaker whose last access is three years old or more is EXPIRED,
 * checked here explicitly: the voiceprint's TTL deletion may not have run yet (real DynamoDB takes days).
 */
export function reportedSpeakerStatus(speaker: SpeakerRecord, nowMs: number): SpeakerStatus {
  const expiresAtMs = biometricsExpireAtMs(speaker);
  return expiresAtMs !== undefined && expiresAtMs <= nowMs ? 'EXPIRED' : speaker.status;
}

/** When a domain deleted at `deletedAtMs` is purged. */
export function domainPurgeAtMs(deletedAtMs: number): number {
  return deletedAtMs + DOMAIN_PURGE_DAYS * DAY_MS;
}

/** Voice ID keeps `LastAccessedAt` accurate to one hour: truncate so it is written at most hourly. */
export function truncateToHourMs(ms: number): number {
  return ms - (ms % (60 * 60 * 1000));
}
