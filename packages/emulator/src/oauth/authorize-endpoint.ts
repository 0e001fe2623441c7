import type { EmulatorState } from "../emulator-state.js";
import { authorizeError, checkAuthorizeRequest } from "./authorize-request.js";
import { currentSession, finishSignIn } from "./hosted-session.js";
import { fakeProviderPath } from "./fake-provider-pages.js";

/**
 * `GET /oauth2/authorize`: checks the request, then sends the browser straight back with
 * a code when the hosted session covers it (unless `prompt=login`), to the fake
 * provider's consent page for `identity_provider`, or to the pool's `/login` page.
 */
export function handleAuthorizeRequest(state: EmulatorState, request: Request, url: URL): Response {
  const checked = checkAuthorizeRequest(state, url.searchParams);
  if (checked.refusal) return checked.refusal;
  const authorize = checked.request;
  const found = currentSession(state, request);
  const covers = found && (authorize.provider === undefined || found.session.providerName === authorize.provider.name);
  if (found && covers && authorize.prompt !== "login") {
    return finishSignIn(state, authorize, found.user, { authTime: found.session.authTime, providerName: found.session.providerName, remember: false });
  }
  if (authorize.prompt === "none") return authorizeError(authorize, "login_required", "The user is not signed in");
  if (authorize.provider) {
    const key = state.oauth.requests.put(authorize);
    const query = new URLSearchParams({ state: key, ...(authorize.loginHint !== undefined ? { login_hint: authorize.loginHint } : {}) });
    return new Response(null, { status: 302, headers: { location: `${state.url}${fakeProviderPath(authorize.provider.name)}?${query}`, "cache-control": "no-store" } });
  }
  return new Response(null, { status: 302, headers: { location: `${state.url}/login?${url.searchParams}`, "cache-control": "no-store" } });
}
