import { describe, expect, it } from 'vitest';
import { biometricsExpireAtMs, domainPurgeAtMs, reportedSpeakerStatus, speakerExpiresAtMs, truncateToHourMs, type SpeakerRecord } from '../../../lambdas/voiceid/index.js';

const lastAccess = Date.UTC(2023, 5, 15, 10, 0, 0);
const speaker: SpeakerRecord = {
  domainId: 'Ab12Cd34Ef56Gh78Ij90Kl',
  generatedSpeakerId: 'id#Spk0000000000000000001',
  customerSpeakerId: 'cust-1',
  status: 'ENROLLED',
  createdAtMs: lastAccess,
  updatedAtMs: lastAccess,
  lastAccessedAtMs: lastAccess,
};

describe('speaker lifecycle', () => {
  it('expires a speaker three calendar years after its last access', () => {
    expect(speakerExpiresAtMs(lastAccess)).toBe(Date.UTC(2026, 5, 15, 10, 0, 0));
  });

  it('reports EXPIRED from the expiry instant on, ENROLLED before it', () => {
    const expiry = speakerExpiresAtMs(lastAccess);
    expect(reportedSpeakerStatus(speaker, expiry - 1)).toBe('ENROLLED');
    expect(reportedSpeakerStatus(speaker, expiry)).toBe('EXPIRED');
  });

  it('gives only enrolled speakers a biometric expiry, three years after the last access', () => {
    expect(biometricsExpireAtMs(speaker)).toBe(speakerExpiresAtMs(lastAccess));
    expect(biometricsExpireAtMs({ ...speaker, status: 'OPTED_OUT' })).toBeUndefined();
    expect(biometricsExpireAtMs({ ...speaker, status: 'PENDING' })).toBeUndefined();
  });

  it('never reports an opted-out speaker as expired', () => {
    expect(reportedSpeakerStatus({ ...speaker, status: 'OPTED_OUT' }, Date.UTC(2030, 0, 1))).toBe('OPTED_OUT');
  });

  it('purges a deleted domain 30 days later', () => {
    expect(domainPurgeAtMs(0)).toBe(30 * 24 * 3600 * 1000);
  });

  it('truncates access times to the hour', () => {
    expect(truncateToHourMs(Date.UTC(2026, 0, 1, 10, 59, 59, 999))).toBe(Date.UTC(2026, 0, 1, 10));
  });
});
