import { createHash, timingSafeEqual } from "node:crypto";
import type { EmulatorState } from "../emulator-state.js";
import type { TokenFamily } from "../tokens/refresh-token-store.js";
import type { MachineClient } from "./oauth-settings.js";

/** The token endpoint's error codes (RFC 6749 §5.2), as Cognito answers them. */
export type TokenError = "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "invalid_scope";

/** A JSON answer of the OAuth endpoints, never cached. */
export function oauthJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store", pragma: "no-cache", ...headers },
  });
}

/** `{ "error": ... }` with 400, or 401 (and a Basic challenge) for invalid_client. */
export function tokenError(error: TokenError, usedBasic = false): Response {
  return oauthJson({ error }, error === "invalid_client" ? 401 : 400, error === "invalid_client" && usedBasic ? { "www-authenticate": 'Basic realm="cognito"' } : {});
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, " "));

/** Reads a form-encoded body; undefined when it is not one or repeats a parameter. */
export async function readForm(request: Request): Promise<URLSearchParams | undefined> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) return undefined;
  const form = new URLSearchParams(await request.text());
  const names = [...form.keys()];
  return new Set(names).size === names.length ? form : undefined;
}

/** Which client called: the app client or the machine client. */
export type CallingClient = { kind: "app"; id: string } | { kind: "machine"; id: string; machine: MachineClient };

/**
 * Client authentication of the token and revocation endpoints: HTTP Basic or
 * `client_secret_post` for clients with a secret, `client_id` alone for public ones.
 */
export function authenticateClient(state: EmulatorState, request: Request, form: URLSearchParams): CallingClient | Response {
  const header = request.headers.get("authorization");
  let basic: { id: string; secret: string } | undefined;
  if (header !== null) {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    const decoded = match ? Buffer.from(match[1]!, "base64").toString("utf8") : "";
    const colon = decoded.indexOf(":");
    if (colon < 0) return tokenError("invalid_client", true);
    try {
      basic = { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
    } catch {
      return tokenError("invalid_client", true);
    }
  }
  const bodyId = form.get("client_id") ?? undefined;
  const bodySecret = form.get("client_secret") ?? undefined;
  if (basic && bodySecret !== undefined) return tokenError("invalid_request");
  if (basic && bodyId !== undefined && bodyId !== basic.id) return tokenError("invalid_client", true);
  const id = basic?.id ?? bodyId;
  const secret = basic?.secret ?? bodySecret;
  if (id === undefined || id === "") return tokenError("invalid_client", Boolean(basic));
  const machine = state.oauth.machineClient;
  const expected = id === state.client.id ? state.client.secret : machine && id === machine.clientId ? machine.clientSecret : null;
  if (expected === null) return tokenError("invalid_client", Boolean(basic));
  if (expected === undefined ? secret !== undefined : secret === undefined || !sameText(secret, expected)) return tokenError("invalid_client", Boolean(basic));
  return machine && id === machine.clientId ? { kind: "machine", id, machine } : { kind: "app", id };
}

const verifierPattern = /^[A-Za-z0-9._~-]{43,128}$/;

function tokenBody(result: { AccessToken: string; IdToken: string; ExpiresIn: number }, family: TokenFamily, refreshToken: string | undefined) {
  const withId = family.scopes === undefined || family.scopes.includes("openid");
  return {
    ...(withId ? { id_token: result.IdToken } : {}),
    access_token: result.AccessToken,
    ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
    expires_in: result.ExpiresIn,
    token_type: "Bearer",
  };
}

async function authorizationCodeGrant(state: EmulatorState, form: URLSearchParams): Promise<Response> {
  const code = form.get("code");
  const redirectUri = form.get("redirect_uri");
  if (!code || !redirectUri) return tokenError("invalid_request");
  const grant = state.oauth.codes.get(code);
  if (!grant || grant.clientId !== state.client.id) return tokenError("invalid_grant");
  if (grant.used) {
    // RFC 6749 §4.1.2: a code used twice may be stolen; what its first use issued is revoked.
    if (grant.family) grant.family.revoked = true;
    return tokenError("invalid_grant");
  }
  // Single use, whatever the outcome: a code is not something to guess at.
  grant.used = true;
  if (redirectUri !== grant.redirectUri) return tokenError("invalid_grant");
  const verifier = form.get("code_verifier");
  if (grant.codeChallenge !== undefined) {
    if (!verifier || !verifierPattern.test(verifier)) return tokenError("invalid_grant");
    const computed = createHash("sha256").update(verifier).digest("base64url");
    if (!sameText(computed, grant.codeChallenge)) return tokenError("invalid_grant");
  }
  const user = state.users.byUsername(grant.username);
  if (!user || !user.enabled) return tokenError("invalid_grant");
  const { family, refreshToken } = state.refreshTokens.open({
    username: user.username,
    clientId: state.client.id,
    authTime: grant.authTime,
    lifetimeSeconds: state.client.tokenValidity.refreshSeconds,
    scopes: grant.scopes,
  });
  grant.family = family;
  const result = await state.tokens.issue(user, family, grant.nonce !== undefined ? { nonce: grant.nonce } : {});
  return oauthJson(tokenBody(result, family, refreshToken));
}

async function refreshTokenGrant(state: EmulatorState, form: URLSearchParams): Promise<Response> {
  const refreshToken = form.get("refresh_token");
  if (!refreshToken) return tokenError("invalid_request");
  const { client } = state;
  const found = state.refreshTokens.use(refreshToken, client.rotation.enabled ? client.rotation.gracePeriodSeconds : 0);
  if ("problem" in found || found.family.clientId !== client.id) return tokenError("invalid_grant");
  // A refresh token bound to a device (pools that track devices) must name it, which only
  // GetTokensFromRefreshToken / REFRESH_TOKEN_AUTH can: Cognito's endpoint refuses it here.
  if (found.family.deviceKey !== undefined) return tokenError("invalid_grant");
  const user = state.users.byUsername(found.family.username);
  if (!user || !user.enabled) return tokenError("invalid_grant");
  const result = await state.tokens.issue(user, found.family);
  const rotated = client.rotation.enabled ? state.refreshTokens.rotate(refreshToken, client.tokenValidity.refreshSeconds) : undefined;
  return oauthJson(tokenBody(result, found.family, rotated));
}

async function clientCredentialsGrant(state: EmulatorState, machine: MachineClient, form: URLSearchParams): Promise<Response> {
  const asked = (form.get("scope") ?? "").split(" ").filter((s) => s !== "");
  const scopes = asked.length > 0 ? [...new Set(asked)] : [...machine.scopes];
  if (scopes.some((s) => !machine.scopes.includes(s))) return tokenError("invalid_scope");
  const lifetimeSeconds = state.client.tokenValidity.accessSeconds;
  const accessToken = await state.tokens.issueClientAccessToken({ clientId: machine.clientId, scopes, lifetimeSeconds });
  return oauthJson({ access_token: accessToken, expires_in: lifetimeSeconds, token_type: "Bearer" });
}

/**
 * `POST /oauth2/token` (form-encoded): the authorization_code grant with PKCE and
 * single-use codes, refresh_token (rotation as GetTokensFromRefreshToken does it), and
 * client_credentials for the machine client; errors as JSON `{ "error": ... }`.
 */
export async function handleTokenRequest(state: EmulatorState, request: Request): Promise<Response> {
  const form = await readForm(request);
  if (!form) return tokenError("invalid_request");
  const grantType = form.get("grant_type");
  if (!grantType) return tokenError("invalid_request");
  const caller = authenticateClient(state, request, form);
  if (caller instanceof Response) return caller;
  switch (grantType) {
    case "authorization_code":
      return caller.kind === "app" ? authorizationCodeGrant(state, form) : tokenError("unauthorized_client");
    case "refresh_token":
      return caller.kind === "app" ? refreshTokenGrant(state, form) : tokenError("unauthorized_client");
    case "client_credentials":
      return caller.kind === "machine" ? clientCredentialsGrant(state, caller.machine, form) : tokenError("unauthorized_client");
    default:
      return tokenError("unsupported_grant_type");
  }
}
