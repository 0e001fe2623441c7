import { AuthError, type AuthErrorCode } from "../errors.js";

// OAuth 2.0 error codes (RFC 6749 §4.1.2.1 for the callback, §5.2 for the token endpoint),
// OpenID Connect's for `prompt: "none"`, and what each means for the app. Unknown ones are ERR_UNKNOWN; each keeps its OAuth code
// as `serviceCode`.
const codes: Record<string, AuthErrorCode> = {
  // The user refused, or Cognito did (a trigger failed, the user is disabled).
  access_denied: "ERR_NOT_AUTHORIZED",
  // The code is wrong, used, expired, or not this verifier's / redirect URI's.
  invalid_grant: "ERR_NOT_AUTHORIZED",
  invalid_request: "ERR_INVALID_PARAMETER",
  invalid_scope: "ERR_INVALID_PARAMETER",
  // The app client is not set up for this (no code grant, wrong secret): the config's fault.
  invalid_client: "ERR_INVALID_CONFIG",
  unauthorized_client: "ERR_INVALID_CONFIG",
  unsupported_response_type: "ERR_INVALID_CONFIG",
  unsupported_grant_type: "ERR_INVALID_CONFIG",
  // `prompt: "none"` and the user would have to see a page (OpenID Connect Core §3.1.2.6).
  login_required: "ERR_NOT_SIGNED_IN",
  interaction_required: "ERR_NOT_SIGNED_IN",
  consent_required: "ERR_NOT_SIGNED_IN",
  account_selection_required: "ERR_NOT_SIGNED_IN",
  server_error: "ERR_SERVICE",
  temporarily_unavailable: "ERR_SERVICE",
};

/**
 * An {@link AuthError} for an OAuth `error` (from the callback URL or the token endpoint).
 * The description is the server's text for people, cut to 200 printable characters; it
 * never holds a code or token (those never reach this function).
 *
 * @example
 * oauthError("access_denied", "User cancelled", "Hosted UI sign-in") // ERR_NOT_AUTHORIZED, serviceCode "access_denied"
 */
export function oauthError(error: string, description: unknown, what: string, status?: number): AuthError {
  const code = codes[error] ?? "ERR_UNKNOWN";
  const text = typeof description === "string" ? description.replace(/[^\x20-\x7e\u00a0-\uffff]/g, " ").slice(0, 200).trim() : "";
  // An error name is shown only when it is one of OAuth's (it is text from a URL).
  const name = error in codes ? error : "error";
  return new AuthError(code, `${what} failed (${name})${text ? `: ${text}` : ""}`, {
    serviceCode: error.slice(0, 64),
    retryable: code === "ERR_SERVICE",
    status,
  });
}
