import type { UserAttributes, UserAttributeSchema } from "./config.js";
import type { SessionTokens } from "./session/session-tokens.js";

/** Where the client is: still reading storage, signed out, signed in, or renewing tokens. */
export type AuthStatus = "initializing" | "signedOut" | "signedIn" | "refreshing";

/** The signed-in user, as the id token describes them. */
export interface AuthUser<S extends UserAttributeSchema = UserAttributeSchema> {
  /** `cognito:username`: the name Cognito keys the user by (a UUID when signing in by email). */
  username: string;
  /** `sub`: stable for the life of the user. */
  userId: string;
  /** `cognito:groups`, empty when none. */
  groups: string[];
  /** Attribute claims of the id token, `custom:*` typed by the schema's `dataType`. */
  attributes: UserAttributes<S>;
}

/** What `getSnapshot()` returns; the same object until something in it changes. */
export interface AuthSnapshot<S extends UserAttributeSchema = UserAttributeSchema> {
  status: AuthStatus;
  user: AuthUser<S> | null;
}

/** The content of a session: its tokens (strings, local-clock times), and the user they describe. */
export interface Session<S extends UserAttributeSchema = UserAttributeSchema> {
  tokens: SessionTokens;
  user: AuthUser<S>;
}

/** The seam between the user-pool journeys and whoever owns the session's lifecycle. */
export interface SessionStore<S extends UserAttributeSchema = UserAttributeSchema> {
  getSnapshot(): AuthSnapshot<S>;
  /** Calls `listener` after each change of the snapshot; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  getSession(): Session<S> | null;
  setSession(session: Session<S>, status?: "signedIn" | "refreshing"): void;
  /** Signed out (or, with a status, e.g. `initializing`, no session yet). */
  clear(status?: "signedOut" | "initializing"): void;
}

/**
 * A tiny observable store of the current session. The snapshot keeps its identity when a
 * change leaves its content equal (a refresh that renews tokens but not the user), so
 * `useSyncExternalStore` re-renders only on real changes.
 *
 * @example
 * const store = createSessionStore();
 * const unsubscribe = store.subscribe(() => render(store.getSnapshot()));
 */
export function createSessionStore<S extends UserAttributeSchema = UserAttributeSchema>(
  initialStatus: "signedOut" | "initializing" = "signedOut",
): SessionStore<S> {
  let session: Session<S> | null = null;
  let snapshot: AuthSnapshot<S> = { status: initialStatus, user: null };
  const listeners = new Set<() => void>();
  const publish = (next: AuthSnapshot<S>) => {
    if (JSON.stringify(next) === JSON.stringify(snapshot)) return;
    snapshot = next;
    for (const listener of [...listeners]) listener();
  };
  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      if (typeof listener !== "function") throw new TypeError("subscribe needs a function");
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    getSession: () => session,
    setSession(next, status = "signedIn") {
      session = next;
      publish({ status, user: next.user });
    },
    clear(status = "signedOut") {
      session = null;
      publish({ status, user: null });
    },
  };
}
