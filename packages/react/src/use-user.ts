import type { AuthClient, AuthSnapshot } from "@cogkit/core";
import { useSyncExternalStore } from "react";
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
 * `resendSignUpCode`, `signIn` (and its next steps), `signOut`, `getTokens`... They need no
 * `this`, so they can be destructured.
 *
 * @example
 * const { signIn, signOut } = useAuth();
 * const { nextStep } = await signIn({ username, password });
 */
export function useAuth<C extends AuthClient<any> = RegisteredClient>(): C {
  return useAuthStore().client as C;
}
