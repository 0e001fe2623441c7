import type { EmulatorState } from "../emulator-state.js";
import { errorPage } from "./html-page.js";
import type { HostedProvider } from "./oauth-settings.js";

/** A checked `/oauth2/authorize` request. */
export interface AuthorizeRequest {
  clientId: string;
  /** Exactly as sent: the token endpoint wants the same string back. */
  redirectUri: string;
  scopes: readonly string[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  /** The external provider asked for (`identity_provider` / `idp_identifier`); undefined for the pool's own login page. */
  provider: HostedProvider | undefined;
  prompt: string | undefined;
  loginHint: string | undefined;
  lang: string | undefined;
}

/** The result of checking an authorize request: the request, or the answer refusing it. */
export type AuthorizeCheck = { request: AuthorizeRequest; refusal?: undefined } | { request?: undefined; refusal: Response };

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);
const challengePattern = /^[A-Za-z0-9._~-]{43,128}$/;
const prompts = new Set(["login", "none", "select_account", "consent"]);
const single = ["client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method", "identity_provider", "idp_identifier", "prompt", "login_hint", "lang"];

/**
 * Whether a redirect URI is registered: exactly one of the callback URLs, or (RFC 8252 §7.3)
 * a registered `http` loopback URL with any port.
 */
export function isRegisteredUri(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" || !loopbackHosts.has(url.hostname)) return false;
  return registered.some((candidate) => {
    try {
      const known = new URL(candidate);
      if (known.protocol !== "http:" || known.hostname !== url.hostname) return false;
      known.port = url.port;
      return known.href === url.href;
    } catch {
      return false;
    }
  });
}

/** A 302 to a (registered) URI with parameters added to its query. */
export function redirectTo(uri: string, parameters: Record<string, string | undefined>, headers: Record<string, string> = {}): Response {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) url.searchParams.set(name, value);
  return new Response(null, { status: 302, headers: { location: url.href, "cache-control": "no-store", ...headers } });
}

/** The answer to an authorize request that fails after its redirect URI checked out: back to the app with `error`. */
export function authorizeError(request: Pick<AuthorizeRequest, "redirectUri" | "state">, error: string, description: string): Response {
  return redirectTo(request.redirectUri, { error, error_description: description, state: request.state });
}

/**
 * Checks `/oauth2/authorize` parameters the way Cognito does: an unknown client or an
 * unregistered redirect URI gets an error page (never a redirect); everything else wrong
 * goes back to the redirect URI with `error` and `state`.
 */
export function checkAuthorizeRequest(state: EmulatorState, parameters: URLSearchParams): AuthorizeCheck {
  const get = (name: string) => {
    const value = parameters.get(name);
    return value === null || value === "" ? undefined : value;
  };
  const clientId = get("client_id");
  const redirectUri = get("redirect_uri");
  const { settings } = state.oauth;
  if (clientId === undefined || clientId !== state.client.id || redirectUri === undefined || !isRegisteredUri(settings.callbackUrls, redirectUri)) {
    return { refusal: errorPage("redirect_mismatch", clientId !== undefined && clientId !== state.client.id ? "Client does not exist." : "redirect_uri is not registered for this client.") };
  }
  const stateParameter = get("state");
  const back = (error: string, description: string) => ({ refusal: authorizeError({ redirectUri, state: stateParameter }, error, description) });
  const repeated = single.find((name) => parameters.getAll(name).length > 1);
  if (repeated) return back("invalid_request", `${repeated} must not be repeated`);

  const responseType = get("response_type");
  if (responseType === undefined) return back("invalid_request", "response_type is required");
  if (responseType === "token") return back("unauthorized_client", "The implicit grant is not allowed for this client");
  if (responseType !== "code") return back("unsupported_response_type", "response_type must be code");

  const requested = (get("scope") ?? "").split(" ").filter((s) => s !== "");
  const scopes = requested.length > 0 ? [...new Set(requested)] : [...settings.scopes];
  const refused = scopes.find((s) => !settings.scopes.has(s));
  if (refused !== undefined) return back("invalid_scope", `${refused} is not an allowed scope for this client`);

  const codeChallenge = get("code_challenge");
  const method = get("code_challenge_method");
  if (codeChallenge === undefined) {
    if (method !== undefined) return back("invalid_request", "code_challenge_method without code_challenge");
    // A public client cannot keep a code to itself: without PKCE anyone who sees it could use it.
    if (state.client.secret === undefined) return back("invalid_request", "code_challenge is required for a client without a secret (PKCE, S256)");
  } else {
    if (method !== "S256") return back("invalid_request", "code_challenge_method must be S256");
    if (!challengePattern.test(codeChallenge)) return back("invalid_request", "code_challenge must be 43 to 128 base64url characters");
  }

  const prompt = get("prompt");
  if (prompt !== undefined && !prompts.has(prompt)) return back("invalid_request", "prompt must be login, none, select_account or consent");

  const named = get("identity_provider");
  const identifier = get("idp_identifier");
  let provider: HostedProvider | undefined;
  if (named !== undefined && named !== "COGNITO") {
    provider = settings.providers.get(named);
    if (!provider) return back("invalid_request", `${named} is not a supported identity provider of this client`);
  } else if (named === undefined && identifier !== undefined) {
    provider = [...settings.providers.values()].find((p) => p.name.toLowerCase() === identifier.toLowerCase());
    if (!provider) return back("invalid_request", `No identity provider is known by ${identifier}`);
  }

  return {
    request: {
      clientId,
      redirectUri,
      scopes,
      state: stateParameter,
      nonce: get("nonce"),
      codeChallenge,
      provider,
      prompt,
      loginHint: get("login_hint"),
      lang: get("lang"),
    },
  };
}
