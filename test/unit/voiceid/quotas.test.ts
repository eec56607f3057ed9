import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS, QuotaConfigError, resolveQuotas } from '../../../lambdas/voiceid/index.js';

describe('resolveQuotas', () => {
  it("uses Voice ID's defaults when nothing is overridden", () => {
    expect(resolveQuotas(undefined)).toEqual(DEFAULT_QUOTAS);
    expect(resolveQuotas('')).toEqual({ domainsPerRegion: 3, watchlistsPerDomain: 3, fraudstersPerWatchlist: 500, speakersPerDomain: 100_000, tagsPerResource: 200, activeSessionsPerDomain: 50, sessionIdleSeconds: 600 });
  });

  it('merges overrides over the defaults', () => {
    const quotas = resolveQuotas('{"domainsPerRegion":10,"speakersPerDomain":5}');
    expect(quotas).toMatchObject({ domainsPerRegion: 10, speakersPerDomain: 5, watchlistsPerDomain: 3 });
  });

  it('refuses unknown names, non-integers and malformed JSON', () => {
    expect(() => resolveQuotas('{"domainsPerAccount":10}')).toThrow(QuotaConfigError);
    expect(() => resolveQuotas('{"domainsPerRegion":0}')).toThrow('positive integer');
    expect(() => resolveQuotas('{"domainsPerRegion":"10"}')).toThrow(QuotaConfigError);
    expect(() => resolveQuotas('[1]')).toThrow(QuotaConfigError);
    expect(() => resolveQuotas('{')).toThrow('not valid JSON');
  });
});
