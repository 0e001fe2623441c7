import type { EmulatorState } from "../emulator-state.js";
import { checkAuthorizeRequest, isRegisteredUri, redirectTo } from "./authorize-request.js";
import { clearSessionCookie, currentSession } from "./hosted-session.js";
import { errorPage } from "./html-page.js";

/**
 * `GET /logout`: ends the hosted session (its cookie, and the session itself), then
 * `logout_uri` (one of the client's sign-out URLs) or, in Cognito's other form,
 * `redirect_uri` + `response_type` to sign in again. Anything unregistered is an error
 * page, never a redirect.
 */
export function handleLogoutRequest(state: EmulatorState, request: Request, url: URL): Response {
  const clientId = url.searchParams.get("client_id");
  if (clientId !== state.client.id) return errorPage("invalid_request", "Client does not exist.");
  const logoutUri = url.searchParams.get("logout_uri");
  let target: Response;
  if (logoutUri !== null) {
    if (!isRegisteredUri(state.oauth.settings.logoutUrls, logoutUri)) return errorPage("redirect_mismatch", "logout_uri is not registered for this client.");
    target = redirectTo(logoutUri, {});
  } else {
    const checked = checkAuthorizeRequest(state, url.searchParams);
    if (checked.refusal) return checked.refusal;
    target = new Response(null, { status: 302, headers: { location: `${state.url}/login?${url.searchParams}` } });
  }
  const found = currentSession(state, request);
  if (found) state.oauth.sessions.delete(found.key);
  const headers = new Headers(target.headers);
  headers.set("set-cookie", clearSessionCookie(state));
  headers.set("cache-control", "no-store");
  return new Response(null, { status: 302, headers });
}
