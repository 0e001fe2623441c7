import {
  type AuthClient,
  completeSignIn,
  type CompleteSignInOptions,
  type CompleteSignInResult,
  type HostedUiSignOutOptions,
  signInWithPopup,
  type SignInWithPopupOptions,
  signInWithRedirect,
  type SignInWithRedirectOptions,
  signOut,
} from "@cogkit/core";

/**
 * The hosted-UI (managed login) functions of `@cogkit/core`, bound to the provider's client:
 * what {@link useAuth} adds to the client's own methods. Each loads the hosted-UI code on
 * first use, so an app that never calls one does not download it.
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
   * (`signOut(client, options)` of `@cogkit/core`).
   */
  signOut(options?: HostedUiSignOutOptions): Promise<void>;
}

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
      signInWithRedirect: (options) => signInWithRedirect(client, options),
      signInWithPopup: (options) => signInWithPopup(client, options),
      completeSignIn: (options) => completeSignIn(client, options),
      // The core's signOut calls `client.signOut` for the local part: without `redirect`
      // this is that same local sign-out, so the two never call each other in a loop.
      signOut: (options) => (options?.redirect ? signOut(client, options) : localSignOut(options)),
    };
    Object.assign(client, actions);
    equipped.add(client);
  }
  return client as C & HostedUiActions;
}
