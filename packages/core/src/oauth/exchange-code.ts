import type { ClientContext } from "../client-context.js";
import { toBase64, utf8 } from "../encoding.js";
import { AuthError } from "../errors.js";
import { isRecord } from "../is-record.js";
import type { TokenGrant } from "../session/session-tokens.js";
import { oauthError } from "./oauth-error.js";
import type { PendingRequest } from "./pending-requests.js";

const what = "Hosted UI token request";
const timeoutMs = 15_000;

/**
 * Trades an authorization code for tokens at `<domain>/oauth2/token` (form-encoded, with
 * the PKCE verifier; HTTP Basic with the client secret when the client has one). Failures
 * are AuthErrors: OAuth errors by their code (`invalid_grant` → `ERR_NOT_AUTHORIZED`), no
 * answer → retryable `ERR_NETWORK` (or `ERR_TIMEOUT` after 15 s), 5xx → retryable
 * `ERR_SERVICE`, an answer that is not the expected JSON → `ERR_BAD_RESPONSE`. No message
 * holds the code, the verifier or a token.
 */
export async function exchangeCode(context: ClientContext<any>, domain: string, request: PendingRequest, code: string): Promise<TokenGrant> {
  const { config, platform } = context;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (config.clientSecret !== undefined) {
    headers.authorization = `Basic ${toBase64(utf8(`${config.userPoolClientId}:${config.clientSecret}`))}`;
  }
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    client_id: config.userPoolClientId,
    code,
    redirect_uri: request.redirectUri,
    code_verifier: request.verifier,
  });
  const controller = new AbortController();
  let timedOut = false;
  const timer = platform.clock.setTimeout(
    () => {
      timedOut = true;
      controller.abort();
    },
    timeoutMs,
    { keepAlive: true },
  );
  let response: Response;
  let text: string;
  try {
    response = await platform.fetch(`${domain}/oauth2/token`, { method: "POST", headers, body: body.toString(), signal: controller.signal });
    text = await response.text();
  } catch (cause) {
    throw timedOut
      ? new AuthError("ERR_TIMEOUT", `${what}: timeout`, { retryable: true })
      : new AuthError("ERR_NETWORK", `${what}: network error`, { retryable: true, cause });
  } finally {
    platform.clock.clearTimeout(timer);
  }
  const { status } = response;
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    // Not JSON: refused below.
  }
  if (status >= 500) throw new AuthError("ERR_SERVICE", `${what}: the server failed (${status})`, { status, retryable: true });
  if (status === 429) throw new AuthError("ERR_THROTTLED", `${what}: too many requests`, { status, retryable: true });
  if (!isRecord(answer)) throw new AuthError("ERR_BAD_RESPONSE", `${what}: bad answer (${status})`, { status });
  if (status >= 300 || answer.error !== undefined) {
    throw typeof answer.error === "string"
      ? oauthError(answer.error, answer.error_description, what, status)
      : new AuthError("ERR_BAD_RESPONSE", `${what}: bad answer (${status})`, { status });
  }
  const { id_token, access_token, refresh_token, expires_in } = answer;
  if (typeof access_token !== "string" || !access_token || (refresh_token !== undefined && typeof refresh_token !== "string")) {
    throw new AuthError("ERR_BAD_RESPONSE", `${what}: no access token in the answer`, { status });
  }
  if (typeof id_token !== "string" || !id_token) {
    // Cognito leaves the id token out when `openid` was not among the granted scopes.
    throw new AuthError("ERR_BAD_RESPONSE", `${what}: no id token in the answer (the app client must allow the openid scope)`, { status });
  }
  const grant: TokenGrant = { idToken: id_token, accessToken: access_token };
  if (refresh_token) grant.refreshToken = refresh_token;
  if (Number.isFinite(expires_in)) grant.expiresIn = expires_in as number;
  return grant;
}
