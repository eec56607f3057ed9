/** Voice ID's default quotas (the service-limits table), which operators may override. */
export const DEFAULT_QUOTAS = {
  /** Active (not soft-deleted) domains per account. */
  domainsPerRegion: 3,
  /** Watchlists per domain, the default watchlist included. */
  watchlistsPerDomain: 3,
  /** Fraudsters per watchlist. */
  fraudstersPerWatchlist: 500,
  /** Speakers per domain. */
  speakersPerDomain: 100_000,
  /** Tags per domain. */
  tagsPerResource: 200,
  /** Sessions of a domain that have not ENDED, at once. */
  activeSessionsPerDomain: 50,
  /** Seconds without audio or a call after which a session ends by itself. */
  sessionIdleSeconds: 600,
} as const;

/** The quotas Timbre enforces. */
export type Quotas = { readonly [K in keyof typeof DEFAULT_QUOTAS]: number };

/** Thrown when a quota override is not a JSON object of positive integers with known names. */
export class QuotaConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'QuotaConfigError';
  }
}

/**
 * Merges operator overrides (the JSON text of `TIMBRE_QUOTAS`) over Voice ID's defaults.
 * Unknown names and values that are not positive integers are refused, so a typo never goes unnoticed.
 * @example resolveQuotas('{"domainsPerRegion":10}').domainsPerRegion // 10
 */
export function resolveQuotas(overridesJson: string | undefined): Quotas {
  if (overridesJson === undefined || overridesJson.trim() === '') return { ...DEFAULT_QUOTAS };
  let parsed: unknown;
  try {
    parsed = JSON.parse(overridesJson);
  } catch (error) {
    throw new QuotaConfigError('Quota overrides are not valid JSON', { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new QuotaConfigError('Quota overrides must be a JSON object, e.g. {"domainsPerRegion":10}');
  }
  const quotas: Record<string, number> = { ...DEFAULT_QUOTAS };
  for (const [name, value] of Object.entries(parsed)) {
    // The API's rates per operation, read by lambdas/api/rate-limits.ts.
    if (name === 'requestsPerSecond') continue;
    if (!(name in DEFAULT_QUOTAS)) {
      throw new QuotaConfigError(`Unknown quota "${name}"; known: ${Object.keys(DEFAULT_QUOTAS).join(', ')}`);
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new QuotaConfigError(`Quota "${name}" must be a positive integer, got ${JSON.stringify(value)}`);
    }
    quotas[name] = value;
  }
  return quotas as Quotas;
}
