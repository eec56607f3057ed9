/** What every resource's operations share: request validation against the model, tags and paging arguments. */
import { normaliseGeneratedId } from '../../voiceid/index.js';
import type { OperationHandler, OperationTable } from '../dispatch.js';
import { REQUESTS, type RequestOf } from '../requests.js';
import { validateRequest } from '../validate.js';

/** Some of the operation table: what one resource's operations contribute. */
export type OperationsOf<K extends keyof OperationTable> = Pick<OperationTable, K>;

/** Members that may hold a generated ID, which is also accepted as `id_…` (Connect's STRING_MAP spelling). */
const GENERATED_ID_MEMBERS = ['SpeakerId', 'FraudsterId', 'SessionNameOrId'] as const;

/**
 * The handler of `name`: validates the body against the operation's request shape, reads `id_…` generated IDs as
 * `id#…`, then runs it.
 */
export function op<K extends keyof typeof REQUESTS>(name: K, run: (input: RequestOf<K>) => Promise<object | undefined>): OperationHandler {
  return (body) => {
    const input = validateRequest(body, REQUESTS[name]) as Record<string, unknown>;
    for (const member of GENERATED_ID_MEMBERS) {
      const value = input[member];
      if (typeof value === 'string') input[member] = normaliseGeneratedId(value);
    }
    return run(input as RequestOf<K>);
  };
}

/** Voice ID's `Tag` members as Timbre's tags. */
export const toTags = (tags: readonly { Key: string; Value: string }[] | undefined) => (tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));

/** `MaxResults` and `NextToken` as the services' paging arguments. */
export const paging = (input: { MaxResults?: number; NextToken?: string }) => ({
  ...(input.MaxResults !== undefined && { maxResults: input.MaxResults }),
  ...(input.NextToken !== undefined && { nextToken: input.NextToken }),
});
