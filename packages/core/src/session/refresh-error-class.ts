import { isAuthError, type AuthErrorCode } from "../errors.js";

/**
 * What a failed refresh means for the session:
 * - `transient`: the server could not answer (network, timeout, 5xx, throttling) — keep the
 *   tokens and retry later;
 * - `definitive`: the server said the refresh token is no good — the session is over;
 * - `unknown`: anything else — keep the session (never log out on a guess) and surface it.
 */
export type RefreshErrorClass = "transient" | "definitive" | "unknown";

const definitiveCodes: ReadonlySet<AuthErrorCode> = new Set<AuthErrorCode>([
  "ERR_NOT_AUTHORIZED",
  "ERR_TOKEN_REVOKED",
  "ERR_USER_NOT_FOUND",
  "ERR_PASSWORD_RESET_REQUIRED",
  "ERR_USER_NOT_CONFIRMED",
  "ERR_REFRESH_TOKEN_REUSED",
]);

const transientCodes: ReadonlySet<AuthErrorCode> = new Set<AuthErrorCode>([
  "ERR_NETWORK",
  "ERR_TIMEOUT",
  "ERR_SERVICE",
  "ERR_THROTTLED",
]);

/**
 * Classifies an error thrown by the refresh operation.
 *
 * @example
 * classifyRefreshError(new AuthError("ERR_NETWORK", "offline", { retryable: true })) // "transient"
 */
export function classifyRefreshError(error: unknown): RefreshErrorClass {
  if (!isAuthError(error)) return "unknown";
  if (definitiveCodes.has(error.code)) return "definitive";
  if (error.retryable || transientCodes.has(error.code)) return "transient";
  return "unknown";
}
