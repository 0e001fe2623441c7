import type { AuthClient, AuthSnapshot } from "@cogkit/core";
import { useSyncExternalStore } from "react";
import type { HostedUiActions } from "./hosted-ui-actions.js";
import type { RegisteredClient, SchemaOf } from "./register.js";
import { useAuthStore } from "./use-auth-selector.js";

/**
 * The auth snapshot: `status` (`initializing`, `signedOut`, `signedIn`, `refreshing`),
 * `user` (`username`, `userId`, `groups`, `attributes` typed by the client's schema) and
 * `error`. The same object until one of them changes, so a token refresh does not
 * re-render.
 *
 * @example
 * const { status, user } = useUser<typeof client>();
 * if (status === "signedIn") return <p>{user?.attributes["custom:is_beta_user"] ? "β " : ""}{user?.username}</p>;
 */
export function useUser<C extends AuthClient<any> = RegisteredClient>(): AuthSnapshot<SchemaOf<C>> {
  const { subscribe, getSnapshot, getServerSnapshot } = useAuthStore();
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}

/**
 * The provider's client, whose methods are the actions: `signUp`, `confirmSignUp`,
 * `resendSignUpCode`, `signIn` (and its next steps), `signOut`, `getTokens`... and the
 * hosted-UI ones ({@link HostedUiActions}: `signInWithRedirect`, `signInWithPopup`,
 * `completeSignIn`, and `signOut({ redirect: true })`), loaded on first use. They need no
 * `this`, so they can be destructured. It is the client object itself, so it also goes to
 * the standalone functions of `@cogkit/core` (`getCredentials(useAuth())`).
 *
 * @example
 * const { signIn, signInWithRedirect, signOut } = useAuth();
 * const { nextStep } = await signIn({ username, password });
 * await signInWithRedirect({ provider: "Google" });
 */
export function useAuth<C extends AuthClient<any> = RegisteredClient>(): C & HostedUiActions {
  return useAuthStore().client as C & HostedUiActions;
}
