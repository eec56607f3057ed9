import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE, resolveRateLimits } from '../../../lambdas/api/index.js';
import { QuotaConfigError } from '../../../lambdas/voiceid/index.js';

describe('resolveRateLimits', () => {
  it("has Voice ID's published rates, and a default for operations Voice ID lists none for", () => {
    const limits = resolveRateLimits(undefined);
    expect(limits.EvaluateSession).toBe(60);
    expect(limits.CreateDomain).toBe(2);
    expect(limits.ListSpeakers).toBe(5);
    expect(limits.DescribeSpeaker).toBe(10);
    expect(limits.TagResource).toBe(2);
    expect(limits.CreateWatchlist).toBe(DEFAULT_RATE);
  });

  it('applies named overrides over a wildcard, and ignores the other quotas', () => {
    const limits = resolveRateLimits('{"domainsPerRegion":5,"requestsPerSecond":{"EvaluateSession":120,"*":7}}');
    expect(limits.EvaluateSession).toBe(120);
    expect(limits.CreateDomain).toBe(7);
    expect(limits.CreateWatchlist).toBe(7);
  });

  it('refuses unknown operations and rates that are not positive integers', () => {
    expect(() => resolveRateLimits('{"requestsPerSecond":{"EvaluateSesion":5}}')).toThrow(new QuotaConfigError('requestsPerSecond names no operation "EvaluateSesion"'));
    expect(() => resolveRateLimits('{"requestsPerSecond":{"ListDomains":0}}')).toThrow(QuotaConfigError);
    expect(() => resolveRateLimits('{"requestsPerSecond":{"ListDomains":1.5}}')).toThrow(QuotaConfigError);
    expect(() => resolveRateLimits('{"requestsPerSecond":[1]}')).toThrow(QuotaConfigError);
    expect(() => resolveRateLimits('{')).toThrow(QuotaConfigError);
  });
});
