import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import { deliverCode, recoveryAttribute, simulatedDelivery } from "./deliver-code.js";
import { requireClient } from "./require-client.js";
import { checkSecretHash } from "./secret-hash.js";
import { readClientAndUsername } from "./sign-up.js";

/**
 * `ForgotPassword`: a one-hour reset code to the user's verified email (or else verified
 * phone), replacing any earlier one. An unconfirmed user has nothing verified, so gets the
 * same refusal as a user without a verified contact.
 */
export async function forgotPassword(input: Record<string, unknown>, state: EmulatorState) {
  const { v, clientId, username, secretHash } = readClientAndUsername(input);
  v.stringMap("ClientMetadata", "clientMetadata");
  v.throwIfInvalid();
  const client = requireClient(state, clientId);
  checkSecretHash(client, secretHash, [username]);
  const user = state.users.byLogin(username);
  if (!user || !user.enabled) {
    // A plausible answer, so callers cannot tell that nobody (or a disabled user) has this name.
    if (client.preventUserExistenceErrors) return { CodeDeliveryDetails: simulatedDelivery(username) };
    if (!user) throw new CognitoError("UserNotFoundException", "Username/client id combination not found.");
    throw new CognitoError("NotAuthorizedException", "User is disabled.");
  }
  // Only an administrator can reset a temporary password.
  if (user.status === "FORCE_CHANGE_PASSWORD") throw new CognitoError("NotAuthorizedException", "User password cannot be reset in the current state.");
  const target = recoveryAttribute(user);
  if (!target) throw invalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number");
  return { CodeDeliveryDetails: deliverCode(state, user, "forgotPassword", target) };
}
