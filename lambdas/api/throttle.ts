/**
 * Per-operation throttling in the API handler. API Gateway's stage throttling can only cap the one `POST /` route as a
 * whole, and Lambda runs many copies of the handler, so requests are counted where every copy sees them: a counter per
 * operation and second in a shared store (fixed one-second windows).
 */
import type { RequestCounter } from '../voiceid/index.js';
import { ThrottlingException } from './errors.js';
import type { RateLimits } from './rate-limits.js';

/** Where the throttle reports a counter it could not reach. */
export interface ThrottleReporter {
  error(message: string, details: Record<string, unknown>): void;
}

/** Admits requests at each operation's rate. */
export class Throttle {
  constructor(
    private readonly counter: RequestCounter,
    private readonly limits: RateLimits,
    private readonly reporter: ThrottleReporter,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Counts a request of `operation`. A counter that fails lets the request through (and is reported): throttling
   * protects the service, and must not be what takes it down.
   * @throws ThrottlingException when the operation's rate is used up for this second
   */
  async admit(operation: string): Promise<void> {
    const limit = this.limits[operation];
    if (limit === undefined) return;
    const windowStartMs = Math.floor(this.clock() / 1000) * 1000;
    let counted: boolean;
    try {
      counted = await this.counter.count(operation, windowStartMs, limit);
    } catch (error) {
      this.reporter.error('Request counter failed; request admitted unthrottled', { operation, error });
      return;
    }
    if (!counted) throw new ThrottlingException(`Rate exceeded: ${operation} allows ${limit} requests per second`);
  }
}
