import type { ClientContext } from "../client-context.js";

/**
 * After a call that changed the user: new tokens, so `getSnapshot().user` (and `useUser()`)
 * show the change when the call resolves. The change itself is done by then, so a failed
 * refresh never fails it: a transient failure keeps the session, which retries on its own
 * (the new values show with its next refresh); a definitive one ends the session, and its
 * own event says so.
 */
export async function refreshAfterChange(context: ClientContext<any>): Promise<void> {
  await context.session.getTokens({ forceRefresh: true }).catch(() => undefined);
}
