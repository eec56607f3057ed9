/** What every resource's operations share: request validation against the model, tags and paging arguments. */
import type { OperationHandler, OperationTable } from '../dispatch.js';
import { REQUESTS, type RequestOf } from '../requests.js';
import { validateRequest } from '../validate.js';

/** Some of the operation table: what one resource's operations contribute. */
export type OperationsOf<K extends keyof OperationTable> = Pick<OperationTable, K>;

/** The handler of `name`: validates the body against the operation's request shape, then runs it. */
export function op<K extends keyof typeof REQUESTS>(name: K, run: (input: RequestOf<K>) => Promise<object | undefined>): OperationHandler {
  return (body) => run(validateRequest(body, REQUESTS[name]) as RequestOf<K>);
}

/** Voice ID's `Tag` members as Timbre's tags. */
export const toTags = (tags: readonly { Key: string; Value: string }[] | undefined) => (tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));

/** `MaxResults` and `NextToken` as the services' paging arguments. */
export const paging = (input: { MaxResults?: number; NextToken?: string }) => ({
  ...(input.MaxResults !== undefined && { maxResults: input.MaxResults }),
  ...(input.NextToken !== undefined && { nextToken: input.NextToken }),
});
