import type { AuthClient } from "../client.js";
import { clientContexts } from "../client-contexts.js";
import type { ClientContext } from "../client-context.js";
import { AuthError } from "../errors.js";
import { hostedUiSettings, originOf, pickUrlForThisPage } from "./hosted-ui-settings.js";
import { type PendingRequest, requestLifetimeMs, updateRequests } from "./pending-requests.js";
import { pkceChallenge, randomToken } from "./pkce.js";

/**
 * Who signs the user in. `"Google"`, `"Facebook"`, `"Apple"` (Cognito's `SignInWithApple`)
 * and `"Amazon"` (`LoginWithAmazon`) are the social providers; `"COGNITO"` is the user
 * pool's own login page without the provider buttons; any other string is the name of an
 * OIDC or SAML provider of the user pool, passed as it is.
 */
export type HostedUiProvider = "Google" | "Apple" | "Facebook" | "Amazon" | "COGNITO" | (string & {});

/** Options of `signInWithRedirect` (and `signInWithPopup`). */
export interface SignInWithRedirectOptions {
  /** Go straight to this provider; without it, the hosted UI's own page (its login form and provider buttons). */
  provider?: HostedUiProvider;
  /**
   * OAuth scopes to ask for, e.g. `["openid", "email", "aws.cognito.signin.user.admin"]`;
   * they must include `openid` (the id token is the session). Default: none named, so
   * Cognito grants every scope the app client allows.
   */
  scopes?: readonly string[];
  /** Any string of the app's (the page to go back to, say): `completeSignIn` returns it. Never sent to Cognito. */
  customState?: string;
  /** Pre-fills the user name on the login page (`login_hint`). */
  loginHint?: string;
  /** Language of the managed login pages (`lang`, e.g. `"fr"`). */
  lang?: string;
  /**
   * `"login"` asks the user to sign in again even with a hosted-UI session; `"none"` never
   * shows a page: without a hosted-UI session the callback carries `login_required`, which
   * `completeSignIn` rejects with `ERR_NOT_SIGNED_IN`.
   */
  prompt?: "none" | "login" | "consent" | "select_account";
  /**
   * Where Cognito sends the user back; it must be one of the app client's callback URLs.
   * Default: the first of `loginWith.externalProviders.callbackUrls` on this page's origin,
   * else the first of them.
   */
  redirectUri?: string;
  /**
   * Leaves for the hosted UI. Default: `location.assign(url)` (read when called). Pass one
   * where there is no `location`: React Native's `Linking.openURL`, a CLI opening a browser.
   */
  navigate?: (url: string) => void | Promise<void>;
}

const providerNames: Record<string, string> = { Apple: "SignInWithApple", Amazon: "LoginWithAmazon" };

/** The context of a client made by `createAuthClient`; TypeError for anything else. */
export function contextOf(client: AuthClient<any>, operation: string): ClientContext<any> {
  const context = clientContexts.get(client);
  if (!context) throw new TypeError(`${operation}: expected a client made by createAuthClient`);
  return context;
}

/** Checks that `value` is undefined or a string (non-empty when `nonEmpty`); names `field` otherwise. */
export function checkOptionalString(value: unknown, field: string, operation: string, nonEmpty = true): void {
  if (value !== undefined && (typeof value !== "string" || (nonEmpty && value === ""))) {
    throw new TypeError(`${operation}: \`${field}\` must be a ${nonEmpty ? "non-empty " : ""}string`);
  }
}

/** Checks an absolute URL option. */
export function checkUrlOption(value: unknown, field: string, operation: string): void {
  checkOptionalString(value, field, operation);
  if (value !== undefined && originOf(value as string) === undefined) throw new TypeError(`${operation}: \`${field}\` must be an absolute URL`);
}

/**
 * How to leave the page: the given `navigate`, else `location.assign` read now. TypeError
 * naming `navigate` when there is neither (a server, a CLI, React Native).
 */
export function navigatorOf(navigate: unknown, operation: string): (url: string) => void | Promise<void> {
  if (navigate !== undefined) {
    if (typeof navigate !== "function") throw new TypeError(`${operation}: \`navigate\` must be a function`);
    return navigate as (url: string) => void | Promise<void>;
  }
  const location = (globalThis as { location?: { assign?: (url: string) => void } }).location;
  if (typeof location?.assign !== "function") {
    throw new TypeError(`${operation}: no \`location\` to leave the page with: pass \`navigate\``);
  }
  return (url) => location.assign!(url);
}

/** An authorize URL and the request stored for its callback. */
export interface AuthorizeRequest {
  url: string;
  request: PendingRequest;
}

/**
 * Checks the options at once (TypeError naming the field) and returns the function that
 * makes the request: PKCE verifier and S256 challenge, `state` and `nonce`, stored under
 * the client before the URL is handed out, so the callback can be completed after the page
 * was left.
 */
export function prepareAuthorizeRequest(
  context: ClientContext<any>,
  options: SignInWithRedirectOptions,
  operation: string,
): (popup: boolean) => Promise<AuthorizeRequest> {
  if (options === null || typeof options !== "object") throw new TypeError(`${operation} takes an options object`);
  const { provider, scopes, customState, loginHint, lang, prompt, redirectUri } = options;
  checkOptionalString(provider, "provider", operation);
  checkOptionalString(customState, "customState", operation, false);
  checkOptionalString(loginHint, "loginHint", operation);
  checkOptionalString(lang, "lang", operation);
  if (prompt !== undefined && !["none", "login", "consent", "select_account"].includes(prompt)) {
    throw new TypeError(`${operation}: \`prompt\` must be "none", "login", "consent" or "select_account"`);
  }
  checkUrlOption(redirectUri, "redirectUri", operation);
  if (scopes !== undefined) {
    if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== "string" || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope))) {
      throw new TypeError(`${operation}: \`scopes\` must be an array of scope names`);
    }
    if (!scopes.includes("openid")) {
      throw new TypeError(`${operation}: \`scopes\` must include "openid": the id token it brings is the session`);
    }
  }
  return async (popup) => {
    const { config, platform } = context;
    const settings = hostedUiSettings(config);
    const redirect = redirectUri ?? pickUrlForThisPage(settings.callbackUrls);
    if (!redirect) {
      throw new AuthError("ERR_INVALID_CONFIG", "Invalid auth config: `loginWith.externalProviders.callbackUrls` is empty: pass `redirectUri`.");
    }
    const verifier = randomToken(platform, 48);
    const request: PendingRequest = {
      state: randomToken(platform),
      verifier,
      nonce: randomToken(platform),
      redirectUri: redirect,
      expiresAt: platform.clock.now() + requestLifetimeMs,
    };
    if (customState !== undefined) request.customState = customState;
    if (popup) request.popup = true;
    const parameters = new URLSearchParams({
      response_type: "code",
      client_id: config.userPoolClientId,
      redirect_uri: redirect,
      state: request.state,
      code_challenge: await pkceChallenge(platform.subtle, verifier),
      code_challenge_method: "S256",
      nonce: request.nonce,
    });
    const optional: Array<[string, string | undefined]> = [
      ["scope", scopes?.join(" ")],
      ["identity_provider", provider && (providerNames[provider] ?? provider)],
      ["login_hint", loginHint],
      ["lang", lang],
      ["prompt", prompt],
    ];
    for (const [name, value] of optional) if (value) parameters.set(name, value);
    try {
      await updateRequests(platform, config.userPoolClientId, (requests) => [[...requests, request], undefined]);
    } catch (cause) {
      // Without the stored request the callback could not be completed: do not leave.
      throw new AuthError("ERR_UNKNOWN", `${operation}: the sign-in request could not be stored`, { cause });
    }
    return { url: `${settings.domain}/oauth2/authorize?${parameters}`, request };
  };
}
