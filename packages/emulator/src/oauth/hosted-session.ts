import type { EmulatorState } from "../emulator-state.js";
import type { UserRecord } from "../user-pool/user-store.js";
import type { AuthorizeRequest } from "./authorize-request.js";
import { redirectTo } from "./authorize-request.js";
import type { HostedSession } from "./oauth-state.js";

/**
 * The hosted UI's session cookie. Cookies ignore ports, so two emulators on 127.0.0.1
 * would share one name: the pool id in it keeps them apart.
 */
export const sessionCookieName = (state: EmulatorState): string => `cogkit_hosted_${state.pool.id}`;

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The signed-in browser's session (by its cookie), if it lives and its user still may sign in. */
export function currentSession(state: EmulatorState, request: Request): { key: string; session: HostedSession; user: UserRecord } | undefined {
  const key = readCookie(request, sessionCookieName(state));
  const session = key === undefined ? undefined : state.oauth.sessions.get(key);
  const user = session && state.users.byUsername(session.username);
  if (!key || !session || !user || !user.enabled) return undefined;
  return { key, session, user };
}

/** The `Set-Cookie` that ends the hosted session in the browser. */
export const clearSessionCookie = (state: EmulatorState): string => `${sessionCookieName(state)}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;

/**
 * Issues a single-use authorization code for the request and sends the browser back to
 * the app with it; `remember` also starts (or renews) the hosted session cookie.
 */
export function finishSignIn(
  state: EmulatorState,
  request: AuthorizeRequest,
  user: UserRecord,
  input: { authTime: number; providerName: string | undefined; remember: boolean },
): Response {
  const code = state.oauth.codes.put({
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    scopes: request.scopes,
    nonce: request.nonce,
    username: user.username,
    authTime: input.authTime,
    used: false,
  });
  const headers: Record<string, string> = {};
  if (input.remember) {
    const key = state.oauth.sessions.put({ username: user.username, authTime: input.authTime, providerName: input.providerName });
    headers["set-cookie"] = `${sessionCookieName(state)}=${key}; Path=/; HttpOnly; SameSite=Lax`;
  }
  return redirectTo(request.redirectUri, { code, state: request.state }, headers);
}
