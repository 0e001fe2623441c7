import type { CognitoTransport, UserPoolInput, UserPoolOperation } from "../transport/types.js";

/**
 * How long a refresh's answer keeps serving requests that arrive with the refresh token it
 * replaced: a browser that sent a burst of requests gets the rotated cookies from the first
 * answer, but the requests it sent meanwhile still carry the old token.
 */
export const refreshReuseMs = 30_000;

interface Shared {
  answer: Promise<unknown>;
  /** Clock time the answer arrived; undefined while on its way. */
  settledAt?: number;
}

// Process-wide on purpose: the requests of one burst each make their own server client, and
// only a map they all see can give them one refresh call. Keyed by everything the call sends.
const refreshes = new Map<string, Shared>();

/**
 * Wraps `transport` so that refresh calls (`GetTokensFromRefreshToken`, `InitiateAuth
 * REFRESH_TOKEN_AUTH`) with the same input share one call in this process, and their answer
 * serves identical calls for {@link refreshReuseMs} more. With rotation and no grace period,
 * a second call with the old token would be refused and sign the user out.
 */
export function shareRefreshes(transport: CognitoTransport, now: () => number): CognitoTransport {
  return {
    identityPool: (operation, input, options) => transport.identityPool(operation, input, options),
    userPool(operation, input, options) {
      const key = refreshKey(operation, input);
      if (key === undefined) return transport.userPool(operation, input, options);
      const time = now();
      for (const [other, shared] of refreshes) {
        if (shared.settledAt !== undefined && time - shared.settledAt >= refreshReuseMs) refreshes.delete(other);
      }
      let shared = refreshes.get(key);
      if (!shared) {
        // No caller's signal: one request ending must not fail the others' shared refresh.
        const entry: Shared = { answer: transport.userPool(operation, input) };
        refreshes.set(key, (shared = entry));
        entry.answer.then(
          () => (entry.settledAt = now()),
          // A failure is not kept: the next request asks again.
          () => refreshes.get(key) === entry && refreshes.delete(key),
        );
      }
      return shared.answer as never;
    },
  };
}

function refreshKey<Op extends UserPoolOperation>(operation: Op, input: UserPoolInput<Op>): string | undefined {
  const request = input as UserPoolInput<"GetTokensFromRefreshToken"> & UserPoolInput<"InitiateAuth">;
  if (operation === "GetTokensFromRefreshToken" || (operation === "InitiateAuth" && request.AuthFlow === "REFRESH_TOKEN_AUTH")) {
    return JSON.stringify([operation, request]);
  }
  return undefined;
}
