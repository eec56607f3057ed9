/**
 * Which operations the fuzzer calls and with which request shape: every served operation with its REQUESTS shape,
 * every not-yet-available one, and the sessions and batch operations being added, with REQUESTS' shape as soon as
 * it has one (FUTURE_REQUESTS until then).
 */
import { NOT_YET_AVAILABLE_OPERATIONS, REQUESTS, SERVED_OPERATIONS, type StructureShape } from '../../lambdas/api/index.js';
import { FUTURE_REQUESTS } from './future-requests.js';

/** An operation to fuzz and the shape its body is built from. */
export interface FuzzOperation {
  readonly name: string;
  readonly shape: StructureShape;
}

/** Every operation the fuzzer calls, each once, served ones first. */
export function fuzzOperations(): FuzzOperation[] {
  const served = REQUESTS as unknown as Record<string, StructureShape>;
  const names = [...new Set<string>([...SERVED_OPERATIONS, ...NOT_YET_AVAILABLE_OPERATIONS, ...Object.keys(served), ...Object.keys(FUTURE_REQUESTS)])];
  return names.map((name) => ({ name, shape: served[name] ?? FUTURE_REQUESTS[name] ?? { kind: 'structure', members: {}, required: [] } }));
}
