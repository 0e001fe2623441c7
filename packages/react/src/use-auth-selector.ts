import type { AuthClient, AuthSnapshot } from "@cogkit/core";
import { useContext, useRef, useSyncExternalStore } from "react";
import { type AuthStore, AuthStoreContext } from "./auth-store.js";
import type { RegisteredClient, SchemaOf } from "./register.js";

/** The provider's store; a `TypeError` outside an `<AuthProvider>`. */
export function useAuthStore(): AuthStore {
  const store = useContext(AuthStoreContext);
  if (store === null) throw new TypeError("cogkit hooks must be used inside <AuthProvider>");
  return store;
}

/**
 * Any slice of the auth snapshot; the component re-renders only when the slice changes
 * (by `isEqual`, default `Object.is`). The selector may be an inline function.
 *
 * @example
 * const isAdmin = useAuthSelector((s) => s.user?.groups.includes("admin") ?? false);
 * const email = useAuthSelector<typeof client, string | undefined>((s) => s.user?.attributes.email);
 */
export function useAuthSelector<C extends AuthClient<any> = RegisteredClient, T = unknown>(
  selector: (snapshot: AuthSnapshot<SchemaOf<C>>) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const { subscribe, getSnapshot, getServerSnapshot } = useAuthStore();
  // The last snapshot, selector and slice: the same snapshot and selector give the same
  // slice, and an equal slice keeps its old identity, so React sees no change.
  const memo = useRef<{ snapshot: AuthSnapshot<any>; selector: typeof selector; slice: T }>(undefined);
  const select = (snapshot: AuthSnapshot<any>): T => {
    const last = memo.current;
    if (last && last.snapshot === snapshot && last.selector === selector) return last.slice;
    const slice = selector(snapshot);
    memo.current = { snapshot, selector, slice: last && isEqual(last.slice, slice) ? last.slice : slice };
    return memo.current.slice;
  };
  return useSyncExternalStore(
    subscribe,
    () => select(getSnapshot()),
    () => select(getServerSnapshot()),
  );
}
