/**
 * A real Lambda handler for the Invoke endpoint test: echoes its event and the template environment it ran
 * under, writes the event to `event.writeTo` (so an Event invocation, which returns nothing, can be observed),
 * and throws when `event.fail` is set.
 */
import { writeFileSync } from 'node:fs';

export async function handler(event: { writeTo?: string; fail?: string }, context: { functionName: string }): Promise<unknown> {
  if (event.fail !== undefined) {
    const error = new Error(event.fail);
    error.name = 'DeliberateError';
    throw error;
  }
  if (event.writeTo !== undefined) writeFileSync(event.writeTo, JSON.stringify(event));
  return { echo: event, functionName: context.functionName, mark: process.env.INVOKE_TEST_MARK };
}
