import { isAuthError } from "../errors.js";
import type { Clock } from "../platform/types.js";

/**
 * How the identity pool calls are retried after a transient failure (network, timeout, 5xx,
 * throttling): a jittered delay that doubles per retry, capped.
 *
 * @example
 * const credentials = createCredentialsManager({ ...options, retry: { retries: 5, maxMs: 10_000 } });
 */
export interface RetryOptions {
  /** Retries after the first try; default 3. */
  retries?: number;
  /** Ceiling of the first delay in ms, doubled per retry; default 200. */
  baseMs?: number;
  /** Longest delay in ms; default 3 000. */
  maxMs?: number;
}

/**
 * Runs `task`, and again after a jittered, capped, exponential delay while it fails with a
 * retryable `AuthError` (network, timeout, 5xx, throttling), at most `retries` times. The
 * delay runs on the injected clock, so tests advance it instead of sleeping, and asks it to
 * keep the process alive: the caller awaits the outcome, so Node must not exit meanwhile.
 *
 * @example
 * const out = await retryTransient(() => transport.identityPool("GetId", input), { clock, random: Math.random });
 */
export async function retryTransient<T>(
  task: () => Promise<T>,
  options: RetryOptions & { clock: Clock; random: () => number },
): Promise<T> {
  const { clock, random, retries = 3, baseMs = 200, maxMs = 3_000 } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= retries || !isAuthError(error) || !error.retryable) throw error;
      // "Equal jitter": never at once, never all together.
      const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
      await new Promise<void>((resolve) => clock.setTimeout(resolve, ceiling / 2 + (ceiling / 2) * random(), { keepAlive: true }));
    }
  }
}
