import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import { deliverCode, deliveryAttribute, simulatedDelivery } from "./deliver-code.js";
import { requireClient } from "./require-client.js";
import { checkSecretHash } from "./secret-hash.js";
import { readClientAndUsername } from "./sign-up.js";

/** `ResendConfirmationCode`: a new sign-up code replaces the old one. */
export async function resendConfirmationCode(input: Record<string, unknown>, state: EmulatorState) {
  const { v, clientId, username, secretHash } = readClientAndUsername(input);
  v.throwIfInvalid();
  const client = requireClient(state, clientId);
  checkSecretHash(client, secretHash, [username]);
  const user = state.users.byLogin(username);
  if (!user) {
    if (!client.preventUserExistenceErrors) throw new CognitoError("UserNotFoundException", "Username/client id combination not found.");
    // A plausible answer, so callers cannot tell that nobody has this name.
    return { CodeDeliveryDetails: simulatedDelivery(username) };
  }
  if (user.status === "CONFIRMED") throw invalidParameter("User is already confirmed.");
  const target = deliveryAttribute(user);
  if (!target) throw invalidParameter("Auto verification not turned on.");
  return { CodeDeliveryDetails: deliverCode(state, user, "signUp", target) };
}
