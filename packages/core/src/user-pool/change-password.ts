import type { AuthClient } from "../client.js";
import { checkObject, checkText } from "./check-input.js";
import { runChecked } from "./run-checked.js";

/** Input of {@link changePassword}. */
export interface ChangePasswordInput {
  oldPassword: string;
  newPassword: string;
  signal?: AbortSignal;
}

/**
 * Changes the signed-in user's password, with their current access token (refreshed first
 * when due). Fails with `ERR_NOT_SIGNED_IN` when nobody is signed in, `ERR_NOT_AUTHORIZED`
 * when `oldPassword` is wrong (or the token was revoked), `ERR_INVALID_PASSWORD` when the
 * new one breaks the pool's policy. The session goes on; as at Cognito, other devices stay
 * signed in until `signOut({ global: true })`.
 *
 * @example
 * await changePassword(client, { oldPassword, newPassword });
 */
export function changePassword(client: AuthClient<any>, input: ChangePasswordInput): Promise<void> {
  return runChecked(client, "changePassword", (context) => {
    checkObject(input, "changePassword");
    const PreviousPassword = checkText(input.oldPassword, "oldPassword", "changePassword");
    const ProposedPassword = checkText(input.newPassword, "newPassword", "changePassword");
    const { signal } = input;
    if (signal !== undefined && typeof (signal as AbortSignal | null)?.aborted !== "boolean") {
      throw new TypeError("changePassword: `signal` must be an AbortSignal");
    }
    return (async () => {
      const { accessToken } = await context.session.getTokens();
      await context.transport.userPool("ChangePassword", { AccessToken: accessToken, PreviousPassword, ProposedPassword }, { signal });
    })();
  });
}
