import type { AuthClient } from "../client.js";
import type { ClientContext } from "../client-context.js";
import { AuthError } from "../errors.js";
import { createSessionTokens } from "../session/session-tokens.js";
import { contextOf } from "./authorize-request.js";
import { checkIdToken } from "./check-id-token.js";
import { exchangeCode } from "./exchange-code.js";
import { hostedUiSettings } from "./hosted-ui-settings.js";
import { oauthError } from "./oauth-error.js";
import { completedLifetimeMs, type PendingRequest, readRequests, updateRequests } from "./pending-requests.js";

/** Options of {@link completeSignIn}. */
export interface CompleteSignInOptions {
  /** The URL the hosted UI sent the user back to. Default: `location.href`, read when called. */
  url?: string | URL;
}

/** What {@link completeSignIn} returns once the user is signed in. */
export interface CompleteSignInResult {
  /** The `customState` given to `signInWithRedirect` (or `signInWithPopup`), if any. */
  customState: string | undefined;
}

/** The message a callback page in a popup sends to the window that opened it. */
export const popupMessageType = "cogkit.oauth.callback";

/** The OAuth parameters of a callback URL; `undefined` when it is not one (no `state`, or neither `code` nor `error`). */
export function callbackParams(url: URL): { state: string; code: string | null; error: string | null; description: string | null } | undefined {
  const get = (name: string) => url.searchParams.get(name);
  const state = get("state");
  if (!state || !(get("code") || get("error"))) return undefined;
  return { state, code: get("code"), error: get("error"), description: get("error_description") };
}

// The completions each client has made or is making, by `state`: a second call with the
// same callback (React Strict Mode's double effect, a re-render) shares the first one's
// exchange and result. A few per client; the oldest go first.
const completions = new WeakMap<ClientContext<any>, Map<string, Promise<CompleteSignInResult | null>>>();

/**
 * Completes a hosted-UI sign-in: when `url` (default: this page's `location.href`) is the
 * callback of a sign-in this client started with `signInWithRedirect`, it checks its
 * `state` against the stored request, trades the code for tokens (PKCE), checks the id
 * token (`iss`, `aud`, `nonce`, expiry), and signs the user in: the session refreshes,
 * syncs tabs and emits `signedIn` as after `client.signIn`, and `getCredentials` serves the
 * user. Resolves to `{ customState }` then, and to `null` when the URL carries no callback
 * (no `state` with a `code` or `error` parameter) — so an app may call it on every page load.
 *
 * Safe to call more than once: calls with the same callback share one exchange and get the
 * same result, whether at once (React Strict Mode) or later, also after a reload of the
 * callback page (the completed request is remembered in storage for an hour). Nothing runs
 * at import: this call is the whole completion.
 *
 * Refusals are `AuthError`s, and the stored request is used up by the first try either way
 * (a code is never sent twice): a `state` unknown here, expired (10 minutes) or already used
 * → `ERR_INVALID_STATE` (start again); an `error=` callback → the OAuth error as
 * `serviceCode` (`access_denied` → `ERR_NOT_AUTHORIZED`, `login_required` after
 * `prompt: "none"` → `ERR_NOT_SIGNED_IN`, `invalid_scope` →
 * `ERR_INVALID_PARAMETER`, `server_error` → retryable `ERR_SERVICE`) with Cognito's
 * description in the message; the token request's failures (`invalid_grant` →
 * `ERR_NOT_AUTHORIZED`, no answer → retryable `ERR_NETWORK`, 5xx → retryable `ERR_SERVICE`,
 * not JSON → `ERR_BAD_RESPONSE`; retrying means signing in again); an id token of another
 * pool, client or sign-in → `ERR_TOKEN_INVALID`, or expired → `ERR_TOKEN_EXPIRED`. A
 * missing or bad `loginWith.externalProviders.domain` → `ERR_INVALID_CONFIG`.
 *
 * In a popup opened by `signInWithPopup`, it hands the URL to the opening window (which
 * completes the sign-in) and resolves to `null`. The request must be in the client's
 * `platform.storage` when the callback page loads: a redirect needs a storage that outlives
 * the page (`createWebStorage("local")` or `("session")`), not the default memory storage.
 *
 * Taking `code` and `state` out of the address bar is the app's choice, once this resolved:
 * `history.replaceState(null, "", location.pathname)`.
 *
 * @example
 * // On the callback route (or on every page load):
 * const result = await completeSignIn(client);
 * if (result) {
 *   history.replaceState(null, "", location.pathname);
 *   router.navigate(result.customState ?? "/");
 * }
 */
export function completeSignIn(client: AuthClient<any>, options: CompleteSignInOptions = {}): Promise<CompleteSignInResult | null> {
  const context = contextOf(client, "completeSignIn");
  if (options === null || typeof options !== "object") throw new TypeError("completeSignIn takes an options object");
  const href = options.url ?? (globalThis as { location?: { href?: string } }).location?.href;
  if (href === undefined) throw new TypeError("completeSignIn: no `location` to read the callback from: pass `url`");
  let url: URL;
  try {
    if (typeof href !== "string" && !(href instanceof URL)) throw href;
    url = new URL(href);
  } catch {
    throw new TypeError("completeSignIn: `url` must be an absolute URL");
  }
  return completeCallback(client, context, url, true);
}

/**
 * {@link completeSignIn} once the URL is known. `handOff`: whether a callback of a popup
 * sign-in goes to the window that opened the popup (false in that window itself).
 */
export function completeCallback(client: AuthClient<any>, context: ClientContext<any>, url: URL, handOff: boolean): Promise<CompleteSignInResult | null> {
  const params = callbackParams(url);
  if (!params) return Promise.resolve(null);
  let made = completions.get(context);
  if (!made) completions.set(context, (made = new Map()));
  let result = made.get(params.state);
  if (!result) {
    result = complete(client, context, url, params, handOff);
    made.set(params.state, result);
    if (made.size > 10) made.delete(made.keys().next().value!);
  }
  return result;
}

async function complete(
  client: AuthClient<any>,
  context: ClientContext<any>,
  url: URL,
  params: NonNullable<ReturnType<typeof callbackParams>>,
  handOff: boolean,
): Promise<CompleteSignInResult | null> {
  // The client starts as for its own signIn: the stored session is read before this one lands.
  client.getSnapshot();
  const { config, platform } = context;
  const clientId = config.userPoolClientId;
  const { domain } = hostedUiSettings(config);
  const stored = (await readRequests(platform, clientId)).find((request) => request.state === params.state);
  // A popup's callback (or one whose request lives only in the opener's memory) is the opener's to complete.
  if (handOff && (!stored || ("popup" in stored && stored.popup)) && handToOpener(url)) return null;
  if (stored && "done" in stored) return { customState: stored.customState };
  // Single use: the request leaves storage before the code is sent, whatever follows.
  const request = await updateRequests(platform, clientId, (requests) => {
    const found = requests.find((request): request is PendingRequest => request.state === params.state && !("done" in request));
    return [requests.filter((request) => request !== found), found];
  }).catch(() => (stored && !("done" in stored) ? stored : undefined));
  if (!request) {
    // Unknown after a redirect is most often a storage that did not outlive the page: say so.
    throw new AuthError(
      "ERR_INVALID_STATE",
      "Hosted UI sign-in: this callback's state is unknown here (is platform.storage one that outlives the page?), expired or already used: sign in again",
    );
  }
  if (params.error) throw oauthError(params.error, params.description, "Hosted UI sign-in");
  const grant = await exchangeCode(context, domain, request, params.code!);
  checkIdToken(config, grant.idToken, request.nonce);
  const now = platform.clock.now();
  const tokens = createSessionTokens(grant, now);
  // On the drift-corrected clock of the session, as every later use of these tokens.
  if (tokens.expiresAt <= now) throw new AuthError("ERR_TOKEN_EXPIRED", "Hosted UI sign-in: the tokens had expired on arrival");
  await context.session.acceptSignIn(tokens);
  const result: CompleteSignInResult = { customState: request.customState };
  // Remembered a while (without verifier or nonce), so a reload of the callback page answers the same.
  const completed = { state: request.state, done: true as const, customState: request.customState, expiresAt: now + completedLifetimeMs };
  await updateRequests(platform, clientId, (requests) => [[...requests, completed], undefined]).catch(() => undefined);
  return result;
}

/**
 * In a popup, sends the callback URL to the window that opened it, on this page's exact
 * origin only. False when there is no such window to send it to.
 */
function handToOpener(url: URL): boolean {
  const g = globalThis as { opener?: { closed?: boolean; postMessage?: (message: unknown, origin: string) => void } | null; location?: { origin?: string } };
  const { opener } = g;
  const origin = g.location?.origin;
  if (!opener || opener.closed || !origin || origin === "null" || typeof opener.postMessage !== "function") return false;
  try {
    opener.postMessage({ type: popupMessageType, url: url.href }, origin);
    return true;
  } catch {
    return false;
  }
}
