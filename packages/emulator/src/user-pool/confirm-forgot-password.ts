import { patterns } from "../protocol/validate-input.js";
import { createSrpVerifier } from "../srp/srp-math.js";
import type { EmulatorState } from "../emulator-state.js";
import { checkPendingCode, userForCode } from "./confirm-sign-up.js";
import { checkPasswordPolicy } from "./password-policy.js";
import { requireClient } from "./require-client.js";
import { checkSecretHash } from "./secret-hash.js";
import { readClientAndUsername } from "./sign-up.js";

/**
 * `ConfirmForgotPassword`: the reset code (single use, one hour) sets a new password.
 * Like Cognito, it signs no one out: refresh tokens issued before the reset keep working
 * until they expire or the user signs out globally.
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
  checkPendingCode(state, user, "forgotPassword", code!);
  // The code stays valid when only the password is refused: the user may try a better one.
  checkPasswordPolicy(state.pool.passwordPolicy, password);
  user.codes.delete("forgotPassword");
  user.password = createSrpVerifier({ poolName: state.pool.name, userId: user.username, password });
  user.updatedAt = state.clock.now();
  return {};
}
