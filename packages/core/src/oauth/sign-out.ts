import type { AuthClient } from "../client.js";
import { AuthError } from "../errors.js";
import type { SignOutOptions } from "../user-pool/sign-out.js";
import { checkUrlOption, contextOf, navigatorOf } from "./authorize-request.js";
import { hostedUiSettings, pickUrlForThisPage } from "./hosted-ui-settings.js";

/** Options of the standalone {@link signOut}. */
export interface HostedUiSignOutOptions extends SignOutOptions {
  /**
   * Also end the hosted UI's own session (its cookie on the Cognito domain), so the next
   * hosted-UI sign-in asks for the user again: after the sign-out here, the page goes to
   * `<domain>/logout?client_id=…&logout_uri=…`, which comes back to `logoutUri`.
   */
  redirect?: boolean;
  /**
   * Where `/logout` sends the user back; it must be one of the app client's sign-out URLs.
   * Default: the first of `loginWith.externalProviders.logoutUrls` on this page's origin,
   * else the first of them.
   */
  logoutUri?: string;
  /** Leaves for `/logout`. Default: `location.assign(url)` (read when called). */
  navigate?: (url: string) => void | Promise<void>;
}

/**
 * Signs out like `client.signOut` (the session ends here and in other tabs, the refresh
 * token is revoked; `global: true` revokes every token of the user first) and, with
 * `redirect: true`, then leaves for the hosted UI's `/logout` so its session ends too.
 *
 * Everything the redirect needs (domain, logout URI, a way to navigate) is checked before
 * signing out: a wrong config (`ERR_INVALID_CONFIG`) or misuse (`TypeError`) signs nobody out.
 * A failed global sign-out rejects and keeps the session, without redirecting.
 *
 * @example
 * signOutButton.onclick = () => signOut(client, { redirect: true });
 * // → https://auth.example.com/logout?client_id=1example&logout_uri=https%3A%2F%2Fapp.example.com%2F
 */
export function signOut(client: AuthClient<any>, options: HostedUiSignOutOptions = {}): Promise<void> {
  const context = contextOf(client, "signOut");
  if (options === null || typeof options !== "object") throw new TypeError("signOut takes an options object");
  const { redirect, logoutUri, global, signal } = options;
  checkUrlOption(logoutUri, "logoutUri", "signOut");
  const navigate = redirect ? navigatorOf(options.navigate, "signOut") : undefined;
  return (async () => {
    let url: string | undefined;
    if (navigate) {
      const { domain, logoutUrls } = hostedUiSettings(context.config);
      const back = logoutUri ?? pickUrlForThisPage(logoutUrls);
      if (!back) {
        throw new AuthError("ERR_INVALID_CONFIG", "Invalid auth config: `loginWith.externalProviders.logoutUrls` is empty: pass `logoutUri`.");
      }
      url = `${domain}/logout?${new URLSearchParams({ client_id: context.config.userPoolClientId, logout_uri: back })}`;
    }
    // Only these two: a binding that routes `client.signOut({ redirect })` here (React's
    // useAuth) gets the local sign-out back, never this function again.
    await client.signOut({ global, signal });
    if (navigate) await navigate(url!);
  })();
}
