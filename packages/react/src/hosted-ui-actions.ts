import type { AuthClient } from "@cogkit/core";
import type {
  CompleteSignInOptions,
  CompleteSignInResult,
  HostedUiSignOutOptions,
  SignInWithPopupOptions,
  SignInWithRedirectOptions,
} from "@cogkit/core/hosted-ui";

/**
 * The hosted-UI (managed login) functions of `@cogkit/core/hosted-ui`, bound to the
 * provider's client: what {@link useAuth} adds to the client's own methods. Each loads that
 * entry on first use (`import()`), so an app that never calls one does not download it.
 *
 * @example
 * const { signInWithRedirect, signOut } = useAuth();
 * <button onClick={() => signInWithRedirect({ provider: "Google" })}>Sign in with Google</button>
 * <button onClick={() => signOut({ redirect: true })}>Sign out</button>
 */
export interface HostedUiActions {
  /** `signInWithRedirect(client, options)`: leaves for the hosted UI. */
  signInWithRedirect(options?: SignInWithRedirectOptions): Promise<void>;
  /** `signInWithPopup(client, options)`: signs in through the hosted UI in a popup. */
  signInWithPopup(options?: SignInWithPopupOptions): Promise<CompleteSignInResult>;
  /** `completeSignIn(client, options)`: finishes a hosted-UI sign-in on the callback page. */
  completeSignIn(options?: CompleteSignInOptions): Promise<CompleteSignInResult | null>;
  /**
   * The client's `signOut`, which with `redirect: true` also ends the hosted UI's session
   * (`signOut(client, options)` of `@cogkit/core/hosted-ui`).
   */
  signOut(options?: HostedUiSignOutOptions): Promise<void>;
}

// A chunk of its own in the app's bundle, fetched on first call. signInWithPopup opens its
// window once this resolves, still inside the click's user activation (browsers allow a few
// seconds); an app that calls `completeSignIn()` on mount has it loaded by then anyway.
const hostedUi = () => import("@cogkit/core/hosted-ui");

// Clients already given the functions: a client has one set whatever number of providers.
const equipped = new WeakSet<AuthClient<any>>();

/**
 * Gives `client` the {@link HostedUiActions} as methods, once. The client object itself is
 * returned, not a copy, so what `useAuth()` returns still works with every standalone
 * function of `@cogkit/core` (`getCredentials(useAuth())`). Its `signOut` without
 * `redirect` is the client's own.
 */
export function withHostedUiActions<C extends AuthClient<any>>(client: C): C & HostedUiActions {
  if (!equipped.has(client)) {
    const localSignOut = client.signOut;
    const actions: HostedUiActions = {
      signInWithRedirect: async (options) => (await hostedUi()).signInWithRedirect(client, options),
      signInWithPopup: async (options) => (await hostedUi()).signInWithPopup(client, options),
      completeSignIn: async (options) => (await hostedUi()).completeSignIn(client, options),
      // The core's signOut calls `client.signOut` for the local part: without `redirect`
      // this is that same local sign-out, so the two never call each other in a loop.
      signOut: async (options) => (options?.redirect ? (await hostedUi()).signOut(client, options) : localSignOut(options)),
    };
    Object.assign(client, actions);
    equipped.add(client);
  }
  return client as C & HostedUiActions;
}
