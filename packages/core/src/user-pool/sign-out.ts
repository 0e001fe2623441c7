import type { ClientContext } from "../client-context.js";

/** Options of `signOut`. */
export interface SignOutOptions {
  /** Also sign out every device: revokes all the user's tokens at Cognito (`GlobalSignOut`). */
  global?: boolean;
  signal?: AbortSignal;
}

/**
 * Ends the session. Local sign-out always succeeds; a global one first asks Cognito to
 * revoke the tokens and keeps the session if that fails, so the caller can retry.
 */
export async function signOut(context: ClientContext<any>, options: SignOutOptions = {}): Promise<void> {
  if (options === null || typeof options !== "object") throw new TypeError("signOut takes an options object");
  await context.ready;
  const session = context.store.getSession();
  if (options.global && session) {
    await context.transport.userPool("GlobalSignOut", { AccessToken: session.tokens.accessToken }, { signal: options.signal });
  }
  await context.clearSession();
}
