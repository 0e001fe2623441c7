import { createHash } from "node:crypto";
import type { EmulatorState } from "../emulator-state.js";
import { errorPage, escapeHtml, hiddenField, htmlPage } from "./html-page.js";
import { federateUser } from "./federate-user.js";
import { finishSignIn } from "./hosted-session.js";
import type { HostedProvider } from "./oauth-settings.js";

const prefix = "/_fake-idp/";

/** Where the emulator serves a provider's fake consent page, e.g. `/_fake-idp/Google/authorize`. */
export const fakeProviderPath = (providerName: string): string => `${prefix}${encodeURIComponent(providerName)}/authorize`;

/** The provider a fake-page path names, or undefined. */
export function providerOfPath(state: EmulatorState, path: string): HostedProvider | undefined {
  if (!path.startsWith(prefix) || !path.endsWith("/authorize")) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(path.slice(prefix.length, -"/authorize".length));
  } catch {
    return undefined;
  }
  return state.oauth.settings.providers.get(name);
}

const defaultSubs: Record<string, string> = {
  google: "100000000000000000001",
  apple: "000001.fakeapple.0001",
  facebook: "10000000000000001",
  amazon: "amzn1.account.FAKEUSER0001",
  oidc: "oidc-user-1",
};

/** Stable defaults: the same login hint always gives the same provider user. */
function defaults(provider: HostedProvider, loginHint: string | undefined): { sub: string; email: string; name: string } {
  if (loginHint === undefined) {
    return { sub: defaultSubs[provider.fake]!, email: `${provider.fake}.user@example.com`, name: `${provider.name} User` };
  }
  const digits = BigInt(`0x${createHash("sha256").update(`${provider.name}:${loginHint.toLowerCase()}`).digest("hex").slice(0, 15)}`).toString();
  const email = loginHint.includes("@") ? loginHint : `${loginHint}@example.com`;
  return { sub: digits, email, name: email.slice(0, email.indexOf("@")) };
}

function consentPage(provider: HostedProvider, key: string, values: { sub: string; email: string; name: string }, error?: string): Response {
  return htmlPage({
    title: `Fake ${provider.name} sign-in (cogkit emulator)`,
    page: "fake-provider",
    ...(error !== undefined ? { status: 400 } : {}),
    body: `<p class="fake" role="note">This is a <strong>fake</strong> ${escapeHtml(provider.name)} page served by the cogkit emulator. No real account is involved.</p>
<h1>Sign in with ${escapeHtml(provider.name)}</h1>
${error === undefined ? "" : `<p class="error" role="alert">${escapeHtml(error)}</p>\n`}<form method="post" action="${escapeHtml(fakeProviderPath(provider.name))}" data-provider="${escapeHtml(provider.name)}">
${hiddenField("state", key)}
<label>Subject (sub) <input name="sub" value="${escapeHtml(values.sub)}" required></label>
<label>Email <input name="email" type="email" value="${escapeHtml(values.email)}"></label>
<label>Name <input name="name" value="${escapeHtml(values.name)}"></label>
<button type="submit">Continue</button>
</form>`,
  });
}

/**
 * The fake provider's consent page: `GET` shows a form (`state` hidden, `sub`, `email`,
 * `name`, a `Continue` button) prefilled from `login_hint` or stable defaults; `POST` goes
 * back to the emulator's `/oauth2/idpresponse` like the real provider would.
 */
export async function handleFakeProviderPage(state: EmulatorState, request: Request, url: URL, provider: HostedProvider): Promise<Response> {
  if (request.method === "GET") {
    const key = url.searchParams.get("state") ?? "";
    const pending = state.oauth.requests.get(key);
    if (!pending || pending.provider?.name !== provider.name) return errorPage("invalid_request", "This sign-in has expired or is unknown. Start again from the app.");
    return consentPage(provider, key, defaults(provider, url.searchParams.get("login_hint") ?? pending.loginHint));
  }
  const form = new URLSearchParams(await request.text());
  const key = form.get("state") ?? "";
  const pending = state.oauth.requests.get(key);
  if (!pending || pending.provider?.name !== provider.name) return errorPage("invalid_request", "This sign-in has expired or is unknown. Start again from the app.");
  const sub = (form.get("sub") ?? "").trim();
  const email = (form.get("email") ?? "").trim();
  const name = (form.get("name") ?? "").trim();
  if (sub === "" || sub.length > 255 || /\s/.test(sub)) return consentPage(provider, key, { sub, email, name }, "sub must be 1 to 255 characters without spaces.");
  const code = state.oauth.providerGrants.put({ providerName: provider.name, requestKey: key, sub, email: email || undefined, name: name || undefined });
  return new Response(null, { status: 302, headers: { location: `${state.url}/oauth2/idpresponse?${new URLSearchParams({ code, state: key })}`, "cache-control": "no-store" } });
}

/**
 * `GET /oauth2/idpresponse`: where a provider returns (as in Cognito); creates or updates
 * the federated user, then sends the browser back to the app with a code.
 */
export function handleProviderResponse(state: EmulatorState, url: URL): Response {
  const code = url.searchParams.get("code") ?? "";
  const key = url.searchParams.get("state") ?? "";
  const grant = code === "" ? undefined : state.oauth.providerGrants.get(code);
  if (grant) state.oauth.providerGrants.delete(code);
  const pending = state.oauth.requests.get(key);
  const provider = pending?.provider;
  if (!grant || !pending || !provider || grant.requestKey !== key || grant.providerName !== provider.name) {
    return errorPage("invalid_request", "This sign-in has expired or is unknown. Start again from the app.");
  }
  state.oauth.requests.delete(key);
  const user = federateUser(state, provider, grant);
  if (!user.enabled) return errorPage("invalid_request", "User is disabled.");
  return finishSignIn(state, pending, user, { authTime: Math.floor(state.clock.now() / 1000), providerName: provider.name, remember: true });
}
