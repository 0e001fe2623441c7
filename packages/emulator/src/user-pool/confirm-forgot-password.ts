import { CognitoError } from "../protocol/cognito-error.js";
import { patterns } from "../protocol/validate-input.js";
import { createSrpVerifier } from "../srp/srp-math.js";
import type { EmulatorState } from "../emulator-state.js";
import { checkPendingCode, userForCode } from "./confirm-sign-up.js";
import { checkPasswordPolicy } from "./password-policy.js";
import { requireClient } from "./require-client.js";
import { checkSecretHash } from "./secret-hash.js";
import { readClientAndUsername } from "./sign-up.js";

/** Wrong reset codes a pending code takes before ConfirmForgotPassword answers LimitExceededException. */
export const maxWrongResetCodes = 5;

const attemptLimitExceeded = () => new CognitoError("LimitExceededException", "Attempt limit exceeded, please try after some time.");

/**
 * `ConfirmForgotPassword`: the reset code (single use, one hour) sets a new password.
 * Like Cognito, it signs no one out: refresh tokens issued before the reset keep working
 * until they expire or the user signs out globally. After `maxWrongResetCodes` wrong codes
 * it answers LimitExceededException until ForgotPassword sends a new code.
 */
export async function confirmForgotPassword(input: Record<string, unknown>, state: EmulatorState) {
  const { v, clientId, username, secretHash } = readClientAndUsername(input);
  const code = v.string("ConfirmationCode", "confirmationCode", { required: true, sensitive: true, minLength: 1, maxLength: 2048, pattern: patterns.code });
  const password = v.string("Password", "password", { required: true, sensitive: true, minLength: 1, maxLength: 256, pattern: patterns.password });
  v.stringMap("ClientMetadata", "clientMetadata");
  v.throwIfInvalid();
  const client = requireClient(state, clientId);
  checkSecretHash(client, secretHash, [username]);
  const user = userForCode(state, client, username);
  const pending = user.codes.get("forgotPassword");
  // Guessing a six-digit code is cut short: after a few wrong ones the code is spent, and
  // only a new ForgotPassword gives another.
  if (pending && (pending.failedAttempts ?? 0) >= maxWrongResetCodes) throw attemptLimitExceeded();
  try {
    checkPendingCode(state, user, "forgotPassword", code!);
  } catch (error) {
    if (pending && error instanceof CognitoError && error.type === "CodeMismatchException") pending.failedAttempts = (pending.failedAttempts ?? 0) + 1;
    throw error;
  }
  // The code stays valid when only the password is refused: the user may try a better one.
  checkPasswordPolicy(state.pool.passwordPolicy, password);
  user.codes.delete("forgotPassword");
  user.password = createSrpVerifier({ poolName: state.pool.name, userId: user.username, password }, state.modPow);
  delete user.passwordless;
  user.updatedAt = state.clock.now();
  return {};
}
