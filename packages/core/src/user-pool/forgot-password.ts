import type { AuthClient } from "../client.js";
import { type ClientContext, secretHashFor } from "../client-context.js";
import type { UserPoolInput, UserPoolOutput } from "../transport/types.js";
import { checkText, checkUserInput, type UserInput } from "./check-input.js";
import { runChecked } from "./run-checked.js";
import { type CodeDelivery, toCodeDelivery } from "./next-step.js";

/** Input of {@link forgotPassword}. */
export interface ForgotPasswordInput {
  /** The username, or the email or phone number the pool signs in with. */
  username: string;
  /** Passed to the pool's Lambda triggers. */
  clientMetadata?: Record<string, string>;
  signal?: AbortSignal;
}

/** Input of {@link confirmForgotPassword}. */
export interface ConfirmForgotPasswordInput {
  username: string;
  /** The code {@link forgotPassword} had Cognito send. */
  code: string;
  newPassword: string;
  clientMetadata?: Record<string, string>;
  signal?: AbortSignal;
}

// Both calls name a user (with SECRET_HASH over the name) and take client metadata and a signal.
async function send<Op extends "ForgotPassword" | "ConfirmForgotPassword">(
  context: ClientContext<any>,
  operation: Op,
  user: UserInput,
  fields: Partial<UserPoolInput<Op>>,
): Promise<UserPoolOutput<Op>> {
  const request = {
    ClientId: context.config.userPoolClientId,
    Username: user.username,
    ClientMetadata: user.clientMetadata,
    SecretHash: await secretHashFor(context, user.username),
    ...fields,
  } as UserPoolInput<Op>;
  return context.transport.userPool(operation, request, { signal: user.signal });
}

/**
 * Starts a password reset: Cognito sends a code to the user's verified email or phone,
 * and `codeDelivery` says where (masked). With the app client's "prevent user existence
 * errors" on, an unknown username gets a plausible answer too, and no code. A user with
 * nothing verified (an unconfirmed one, say) is refused with `ERR_INVALID_PARAMETER`.
 * Works signed in or out; it changes nothing until {@link confirmForgotPassword}.
 *
 * @example
 * const { codeDelivery } = await forgotPassword(client, { username: "ana@example.com" });
 * show(`We sent a code to ${codeDelivery.destination}`);
 */
export function forgotPassword(client: AuthClient<any>, input: ForgotPasswordInput): Promise<{ codeDelivery: CodeDelivery }> {
  return runChecked(client, "forgotPassword", (context) =>
    send(context, "ForgotPassword", checkUserInput(input, "forgotPassword"), {}).then((output) => ({
      codeDelivery: toCodeDelivery(output.CodeDeliveryDetails),
    })),
  );
}

/**
 * Sets a new password with the code from {@link forgotPassword}; then sign in with it.
 * Fails with `ERR_CODE_MISMATCH` (wrong or used code), `ERR_CODE_EXPIRED` (after an hour:
 * ask for a new one) or `ERR_INVALID_PASSWORD` (the pool's policy; the code stays valid).
 * As at Cognito, sessions already open elsewhere are not ended: sign in, then
 * `signOut({ global: true })` for that.
 *
 * @example
 * await confirmForgotPassword(client, { username: "ana@example.com", code, newPassword });
 * await client.signIn({ username: "ana@example.com", password: newPassword });
 */
export function confirmForgotPassword(client: AuthClient<any>, input: ConfirmForgotPasswordInput): Promise<void> {
  return runChecked(client, "confirmForgotPassword", (context) => {
    const user = checkUserInput(input, "confirmForgotPassword");
    const fields = {
      ConfirmationCode: checkText(input.code, "code", "confirmForgotPassword"),
      Password: checkText(input.newPassword, "newPassword", "confirmForgotPassword"),
    };
    return send(context, "ConfirmForgotPassword", user, fields).then(() => undefined);
  });
}
