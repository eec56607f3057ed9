/**
 * Voice ID's API throttling quotas (requests per second per account, by operation), which operators may override
 * through TIMBRE_QUOTAS' `requestsPerSecond` member, e.g. `{"requestsPerSecond":{"EvaluateSession":120,"*":50}}`
 * (`*` sets every operation not named).
 */
import { QuotaConfigError } from '../voiceid/index.js';
import { SERVED_OPERATIONS } from './operation-names.js';

/** Voice ID's published rates; operations it lists no rate for get `DEFAULT_RATE`. */
export const VOICE_ID_RATES: Readonly<Record<string, number>> = {
  EvaluateSession: 60,
  CreateDomain: 2,
  DescribeDomain: 2,
  UpdateDomain: 2,
  DeleteDomain: 2,
  ListDomains: 2,
  StartSpeakerEnrollmentJob: 2,
  DescribeSpeakerEnrollmentJob: 2,
  ListSpeakerEnrollmentJobs: 2,
  StartFraudsterRegistrationJob: 2,
  DescribeFraudsterRegistrationJob: 2,
  ListFraudsterRegistrationJobs: 2,
  ListSpeakers: 5,
  DescribeSpeaker: 10,
  OptOutSpeaker: 10,
  DeleteSpeaker: 10,
  DescribeFraudster: 10,
  DeleteFraudster: 10,
  TagResource: 2,
  UntagResource: 2,
  ListTagsForResource: 2,
};

/**
 * The rate of an operation Voice ID publishes none for (watchlists, fraudster membership, ListFraudsters, and the
 * session operations Timbre adds, which a contact centre calls about as often as EvaluateSession).
 */
export const DEFAULT_RATE = 60;

/** Requests per second allowed for each operation. */
export type RateLimits = Readonly<Record<string, number>>;

/**
 * Voice ID's rates with the overrides of TIMBRE_QUOTAS' `requestsPerSecond` member applied.
 * @throws QuotaConfigError when the member is not an object of positive integers keyed by served operations or `*`
 */
export function resolveRateLimits(quotasJson: string | undefined): RateLimits {
  const overrides = requestsPerSecondMember(quotasJson);
  const wildcard = overrides['*'];
  const limits: Record<string, number> = {};
  for (const operation of new Set([...SERVED_OPERATIONS, ...Object.keys(VOICE_ID_RATES)])) {
    limits[operation] = overrides[operation] ?? wildcard ?? VOICE_ID_RATES[operation] ?? DEFAULT_RATE;
  }
  return limits;
}

function requestsPerSecondMember(quotasJson: string | undefined): Record<string, number> {
  if (quotasJson === undefined || quotasJson.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(quotasJson);
  } catch (error) {
    throw new QuotaConfigError('Quota overrides are not valid JSON', { cause: error });
  }
  const member = (parsed as { requestsPerSecond?: unknown } | null)?.requestsPerSecond;
  if (member === undefined) return {};
  if (member === null || typeof member !== 'object' || Array.isArray(member)) {
    throw new QuotaConfigError('requestsPerSecond must be an object, e.g. {"EvaluateSession":120,"*":50}');
  }
  const known = new Set<string>([...SERVED_OPERATIONS, ...Object.keys(VOICE_ID_RATES), '*']);
  for (const [name, value] of Object.entries(member)) {
    if (!known.has(name)) throw new QuotaConfigError(`requestsPerSecond names no operation "${name}"`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new QuotaConfigError(`requestsPerSecond.${name} must be a positive integer, got ${JSON.stringify(value)}`);
    }
  }
  return member as Record<string, number>;
}
