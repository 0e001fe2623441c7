import type { AuthClient } from "../client.js";
import { contextOf, navigatorOf, prepareAuthorizeRequest, type SignInWithRedirectOptions } from "./authorize-request.js";

/**
 * Signs in through the user pool's hosted UI (managed login): stores a sign-in request and
 * leaves the page for `<domain>/oauth2/authorize`, straight to `provider` when given. The
 * hosted UI sends the user back to the redirect URI, where {@link completeSignIn} finishes.
 *
 * The authorization code flow with PKCE (S256): a fresh code verifier, `state` and `nonce`
 * (256 bits each, from `platform.randomBytes`) are stored under the client in
 * `platform.storage` with the redirect URI and `customState`; the request is single use and
 * expires after 10 minutes (a few are kept, the newest). The storage must survive the
 * navigation: `createWebStorage("local")` (or `"session"`) in a browser, not the default
 * memory storage.
 *
 * The domain is `loginWith.externalProviders.domain` (`ERR_INVALID_CONFIG` naming it when
 * missing or not a URL or host). Misuse is a `TypeError` naming the option, thrown at once;
 * with no `navigate` and no `location` (a server, a CLI) that names `navigate`. Resolves
 * once `navigate` has been called (the page is then on its way out).
 *
 * @example
 * googleButton.onclick = () => signInWithRedirect(client, { provider: "Google", customState: location.pathname });
 * // In a CLI or React Native, open the URL yourself:
 * await signInWithRedirect(client, { redirectUri, navigate: (url) => openBrowser(url) });
 */
export function signInWithRedirect(client: AuthClient<any>, options: SignInWithRedirectOptions = {}): Promise<void> {
  const context = contextOf(client, "signInWithRedirect");
  const prepare = prepareAuthorizeRequest(context, options, "signInWithRedirect");
  const navigate = navigatorOf(options.navigate, "signInWithRedirect");
  return (async () => {
    const { url } = await prepare(false);
    await navigate(url);
  })();
}
