import { isAuthError } from "../errors.js";

/**
 * What a failed refresh means for the session:
 * - `transient`: the server could not answer (network, timeout, 5xx, throttling) — keep the
 *   tokens and retry later;
 * - `definitive`: the server said the refresh token is no good — the session is over;
 * - `unknown`: anything else — keep the session (never log out on a guess) and surface it.
 *
 * @example
 * client.subscribe((e) => e.type === "tokenRefreshFailed" && e.errorClass === "transient" && showOfflineBanner());
 */
export type RefreshErrorClass = "transient" | "definitive" | "unknown";

// Codes as patterns: the lists ship in every browser bundle.
const definitive = /^ERR_(NOT_AUTHORIZED|TOKEN_REVOKED|USER_NOT_FOUND|PASSWORD_RESET_REQUIRED|USER_NOT_CONFIRMED|REFRESH_TOKEN_REUSED)$/;
const transient = /^ERR_(NETWORK|TIMEOUT|SERVICE|THROTTLED)$/;

/**
 * Classifies an error thrown by the refresh operation.
 *
 * @example
 * classifyRefreshError(new AuthError("ERR_NETWORK", "offline", { retryable: true })) // "transient"
 */
export function classifyRefreshError(error: unknown): RefreshErrorClass {
  if (!isAuthError(error)) return "unknown";
  if (definitive.test(error.code)) return "definitive";
  if (error.retryable || transient.test(error.code)) return "transient";
  return "unknown";
}
