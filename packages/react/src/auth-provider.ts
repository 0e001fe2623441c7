import { type AuthClient, type AuthClientOptions, type AuthConfig, type AuthSnapshot, createAuthClient, type UserAttributeSchema } from "@cogkit/core";
import { createElement, type ReactNode, useEffect, useMemo, useState } from "react";
import { AuthStoreContext, createAuthStore } from "./auth-store.js";

/**
 * Props of {@link AuthProvider}: a `client`, or a `config` (and `options`) to make one from.
 *
 * @example
 * const props: AuthProviderProps = { config, options: { platform: { storage: createWebStorage() } } };
 */
export type AuthProviderProps<S extends UserAttributeSchema = UserAttributeSchema> = {
  children?: ReactNode;
  /**
   * What the server rendered (say, `client.getSnapshot()` of a per-request client after
   * reading the session cookie). Server rendering and hydration use it, and it stands in
   * until the browser's client has read its storage. `initializing` when left out.
   */
  initialSnapshot?: AuthSnapshot<S>;
} & (
  | { client: AuthClient<S>; config?: never; options?: never }
  | { config: AuthConfig<S>; options?: AuthClientOptions; client?: never }
);

/**
 * Makes a client available to the hooks below it, and runs the client (stored session,
 * other tabs, refresh timer) while mounted: `start()` on mount, `stop()` on unmount, so
 * Strict Mode's second mount resumes the same client instead of refreshing twice. Given a
 * `config`, it creates the client once, on first render.
 *
 * @example
 * const client = createAuthClient(config);
 * createRoot(root).render(
 *   <AuthProvider client={client}>
 *     <App />
 *   </AuthProvider>,
 * );
 */
export function AuthProvider<S extends UserAttributeSchema = UserAttributeSchema>(props: AuthProviderProps<S>) {
  const [client] = useState(() => props.client ?? createAuthClient(props.config!, props.options));
  const current = props.client ?? client;
  // Only the first render's initial snapshot counts: a new object on each render of the
  // parent must not re-create the store (and re-subscribe every hook).
  const [initialSnapshot] = useState(props.initialSnapshot);
  const store = useMemo(() => createAuthStore(current, initialSnapshot), [current, initialSnapshot]);
  useEffect(() => {
    // Optional methods: clients of older cores (or test doubles) start themselves on first use.
    current.start?.().catch(() => {});
    return () => current.stop?.();
  }, [current]);
  return createElement(AuthStoreContext.Provider, { value: store }, props.children);
}
