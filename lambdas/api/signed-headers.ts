/**
 * The headers a Voice ID request's SigV4 signature must cover. SigV4 itself only insists on `host`;
 * without `x-amz-target` a signed DescribeDomain could be replayed as DeleteDomain, and without
 * `content-type` as another protocol. The official SDK signs every header it sends, so it always complies.
 */
export const REQUIRED_SIGNED_HEADERS = ['host', 'x-amz-target', 'content-type'] as const;

const DISPLAY_NAMES: Record<(typeof REQUIRED_SIGNED_HEADERS)[number], string> = {
  host: 'Host',
  'content-type': 'Content-Type',
  'x-amz-target': 'X-Amz-Target',
};

/** The `SignedHeaders` list of a SigV4 `Authorization` header, lower case; undefined when it has none. */
export function signedHeadersOf(authorization: string): string[] | undefined {
  return /SignedHeaders=([^,\s]+)/.exec(authorization)?.[1]?.toLowerCase().split(';');
}

/** AWS's message for the first required header the signature leaves out, e.g. `'X-Amz-Target' must be a signed header`; undefined when all are signed. */
export function unsignedRequiredHeader(signedNames: readonly string[]): string | undefined {
  const missing = REQUIRED_SIGNED_HEADERS.find((name) => !signedNames.includes(name));
  return missing === undefined ? undefined : `'${DISPLAY_NAMES[missing]}' must be a signed header`;
}
