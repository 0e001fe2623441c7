import type { UserAttributes, UserAttributeSchema } from "./config.js";
import { readJwtClaims } from "./jwt.js";
import type { SessionState } from "./session/session-machine.js";
import { userFromIdToken } from "./user-from-id-token.js";

/**
 * Where the client is: still reading storage, signed out, signed in, or renewing tokens.
 *
 * @example
 * if (client.getSnapshot().status === "initializing") return <Spinner />;
 */
export type AuthStatus = "initializing" | "signedOut" | "signedIn" | "refreshing";

/**
 * The signed-in user, as the id token describes them.
 *
 * @example
 * const { user } = client.getSnapshot();
 * if (user?.groups.includes("ADMINS")) showAdmin();
 */
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

/**
 * What `getSnapshot()` returns; the same object until something in it changes.
 *
 * @example
 * const { status, user, error } = useSyncExternalStore(client.subscribe, client.getSnapshot);
 */
export interface AuthSnapshot<S extends UserAttributeSchema = UserAttributeSchema> {
  status: AuthStatus;
  user: AuthUser<S> | null;
  /**
   * While signed in: the error of the last failed refresh (the session is kept and retried),
   * until one succeeds. While signed out: why the last session expired, if it did.
   */
  error?: unknown;
}

/**
 * The snapshot of a session state, or `previous` itself when nothing in it changed (a
 * refresh renews tokens, not the user), so `useSyncExternalStore` re-renders only on real
 * changes.
 *
 * @example
 * snapshot = snapshotOf(session.getState(), snapshot, config.userAttributes);
 */
export function snapshotOf<S extends UserAttributeSchema>(state: SessionState, previous: AuthSnapshot<S>, schema?: S): AuthSnapshot<S> {
  const { status, tokens, lastError, error } = state as Partial<Record<"tokens" | "lastError" | "error", any>> & SessionState;
  const next: AuthSnapshot<S> = { status, user: tokens ? userFromIdToken(readJwtClaims(tokens.idToken) ?? {}, schema) : null };
  if ((lastError ?? error) !== undefined) next.error = lastError ?? error;
  return status === previous.status && next.error === previous.error && JSON.stringify(next.user) === JSON.stringify(previous.user)
    ? previous
    : next;
}
