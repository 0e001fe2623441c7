import type { AuthClient, AuthSnapshot } from "@cogkit/core";
import { createContext } from "react";
import { type HostedUiActions, withHostedUiActions } from "./hosted-ui-actions.js";

/**
 * What the provider hands its hooks: the client, and the three functions
 * `useSyncExternalStore` takes, made once per client so they stay stable across renders.
 */
export interface AuthStore {
  /** The client, with the hosted-UI functions as methods too. */
  client: AuthClient<any> & HostedUiActions;
  subscribe: (onChange: () => void) => () => void;
  getSnapshot: () => AuthSnapshot<any>;
  getServerSnapshot: () => AuthSnapshot<any>;
}

/** Before the client has read its storage: what the server renders when given no snapshot. */
export const initializingSnapshot: AuthSnapshot<any> = { status: "initializing", user: null };

export const AuthStoreContext = /* @__PURE__ */ createContext<AuthStore | null>(null);

/**
 * The store of a client. With an `initialSnapshot` (rendered on the server), it stands in
 * for the client's own snapshot until the client has read its storage, so hydration
 * matches and the page does not flash "initializing" after it.
 */
export function createAuthStore(client: AuthClient<any>, initialSnapshot: AuthSnapshot<any> = initializingSnapshot): AuthStore {
  return {
    client: withHostedUiActions(client),
    subscribe: client.subscribe,
    getSnapshot() {
      const snapshot = client.getSnapshot();
      return snapshot.status === "initializing" ? initialSnapshot : snapshot;
    },
    getServerSnapshot: () => initialSnapshot,
  };
}
