import type { Clock } from "@cogkit/core";

/** The pauses before the second and the third try (each shortened by up to half, at random). */
export const retryPausesMs = [400, 1200] as const;

/**
 * Runs one interactive call (a sign-in, a code, a sign-out) and tries it twice more when it
 * fails for a passing reason — no answer, a timeout, Cognito throttling or failing inside —
 * pausing on `clock` (kept alive: the process waits). Answers that will not change (a wrong
 * password or code, "attempt limit exceeded") are thrown at once. Core retries refreshes and
 * credentials itself; these are the calls it leaves to its caller.
 *
 * @example
 * const { nextStep } = await retryTransient(() => client.signIn({ username, password }), platform.clock);
 */
export async function retryTransient<T>(task: () => Promise<T>, clock: Pick<Clock, "setTimeout">, random: () => number = Math.random): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      const pause = retryPausesMs[attempt];
      if (pause === undefined || !isTransient(error)) throw error;
      await new Promise<void>((resolve) => clock.setTimeout(resolve, pause * (1 - random() / 2), { keepAlive: true }));
    }
  }
}

function isTransient(error: unknown): boolean {
  const { retryable, code } = (error ?? {}) as { retryable?: unknown; code?: unknown };
  // Cognito's LimitExceeded means "after some time": not within a second or two.
  return retryable === true && code !== "ERR_LIMIT_EXCEEDED";
}
