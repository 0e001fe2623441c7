import type { ClientContext } from "../client-context.js";
import { checkObject } from "./check-input.js";

/** Options of `signOut`. */
export interface SignOutOptions {
  /** Also sign out every device: revokes all the user's tokens at Cognito (`GlobalSignOut`). */
  global?: boolean;
  signal?: AbortSignal;
}

/**
 * Ends the session. A global sign-out first asks Cognito to revoke every token of the user
 * and keeps the session if that fails, so the caller can retry. A local one always
 * succeeds: the session ends here (and in other tabs) at once, then the refresh token is
 * revoked (`RevokeToken`) on a best-effort basis — offline, or with revocation disabled on
 * the app client, it simply expires.
 */
export async function signOut(context: ClientContext<any>, options: SignOutOptions = {}): Promise<void> {
  checkObject(options, "signOut");
  const { config, transport, session } = context;
  const state = session.getState();
  const tokens = "tokens" in state ? state.tokens : undefined;
  const call = { signal: options.signal };
  if (options.global && tokens) await transport.userPool("GlobalSignOut", { AccessToken: tokens.accessToken }, call);
  await session.signOut();
  if (!options.global && tokens?.refreshToken) {
    await transport
      .userPool("RevokeToken", { Token: tokens.refreshToken, ClientId: config.userPoolClientId, ClientSecret: config.clientSecret }, call)
      .catch(() => undefined);
  }
}
