import type { AuthClient, AuthTokens } from "@cogkit/core";

/**
 * The client's tokens, asked for again after a short wait while a refresh fails for a
 * passing reason (network, 5xx, throttling). A page's session retries on its own later; a
 * script or a CLI call has no later, so it waits here: three tries over about a second, on
 * timers that keep the process alive. Any other failure, and the last, is thrown.
 *
 * @example
 * const { idToken } = await freshTokens(core, client);
 */
export async function freshTokens(core: Pick<typeof import("@cogkit/core"), "isAuthError">, client: AuthClient): Promise<AuthTokens> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.getTokens();
    } catch (error) {
      if (attempt >= 3 || !core.isAuthError(error) || !error.retryable) throw error;
      // Past expiry, the next getTokens refreshes at once rather than at the session's own retry.
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
}
