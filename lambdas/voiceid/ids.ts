import { randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Length of Voice ID's domain, watchlist and job IDs, and of the random part of generated IDs. */
export const ID_LENGTH = 22;

/** Voice ID's 22-alphanumeric ID pattern (`DomainId`, `WatchlistId`, `JobId`). */
export const UNIQUE_ID_PATTERN = /^[a-zA-Z0-9]{22}$/;

/** Voice ID's generated-ID pattern (`GeneratedSpeakerId`, `GeneratedFraudsterId`, `SessionId`). */
export const GENERATED_ID_PATTERN = /^id#[a-zA-Z0-9]{22}$/;

/** Voice ID's domain ARN pattern (`AmazonResourceName`): only domains are taggable. */
export const DOMAIN_ARN_PATTERN = /^arn:aws(-[^:]+)?:voiceid.+:[0-9]{12}:domain\/([a-zA-Z0-9]{22})$/;

/**
 * A random 22-character alphanumeric ID, as Voice ID gives domains, watchlists and jobs.
 * @example newUniqueId() // 'k3Jd9aQ0sLmN2bV7xZ1cYt'
 */
export function newUniqueId(): string {
  let id = '';
  for (let i = 0; i < ID_LENGTH; i += 1) id += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return id;
}

/**
 * A generated speaker, fraudster or session ID: `id#` plus 22 alphanumerics (25 characters).
 * @example newGeneratedId() // 'id#k3Jd9aQ0sLmN2bV7xZ1cYt'
 */
export function newGeneratedId(): string {
  return `id#${newUniqueId()}`;
}

/** True when a speaker ID is Voice ID's generated form rather than a customer's own ID. */
export function isGeneratedId(id: string): boolean {
  return GENERATED_ID_PATTERN.test(id);
}

/**
 * A generated ID spelt `id_…` (Connect's STRING_MAP attributes cannot carry `#`) as `id#…`; anything else as it is.
 * `id_` followed by exactly 22 letters or digits is always a generated ID, never a customer's speaker ID.
 * @example normaliseGeneratedId('id_k3Jd9aQ0sLmN2bV7xZ1cYt') // 'id#k3Jd9aQ0sLmN2bV7xZ1cYt'
 */
export function normaliseGeneratedId(id: string): string {
  return /^id_[a-zA-Z0-9]{22}$/.test(id) ? `id#${id.slice(3)}` : id;
}

/** Where Timbre's ARNs live: the partition's region and the 12-digit account. */
export interface ArnContext {
  readonly region: string;
  readonly accountId: string;
}

/**
 * The ARN of a domain, in Voice ID's form.
 * @example domainArn({ region: 'us-east-1', accountId: '000000000000' }, id)
 *   // 'arn:aws:voiceid:us-east-1:000000000000:domain/<id>'
 */
export function domainArn(ctx: ArnContext, domainId: string): string {
  return `arn:aws:voiceid:${ctx.region}:${ctx.accountId}:domain/${domainId}`;
}

/** The domain ID named by a domain ARN, or undefined when the text is not one. */
export function domainIdFromArn(arn: string): string | undefined {
  return DOMAIN_ARN_PATTERN.exec(arn)?.[2];
}
