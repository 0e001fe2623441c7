import { CognitoError } from "../protocol/cognito-error.js";
import { patterns } from "../protocol/validate-input.js";
import type { ClientModel } from "../emulator-options.js";
import type { EmulatorState } from "../emulator-state.js";
import { requireClient } from "./require-client.js";
import { checkSecretHash } from "./secret-hash.js";
import type { CodeSlot, PendingCode, UserRecord } from "./user-store.js";
import { readClientAndUsername } from "./sign-up.js";
import { openSignUpSession } from "./user-auth.js";

export const codeMismatch = () => new CognitoError("CodeMismatchException", "Invalid verification code provided, please try again.");
export const codeExpired = () => new CognitoError("ExpiredCodeException", "Invalid code provided, please request a code again.");

/**
 * The user a confirmation code is for. Unknown: `UserNotFoundException`, or, where the
 * client hides which users exist, the same `CodeMismatchException` a wrong code gets.
 */
export function userForCode(state: EmulatorState, client: ClientModel, username: string): UserRecord {
  const user = state.users.byLogin(username);
  if (user) return user;
  if (client.preventUserExistenceErrors) throw codeMismatch();
  throw new CognitoError("UserNotFoundException", "Username/client id combination not found.");
}

/** The user's pending code in `slot` when `code` is it and has not expired; it stays pending. */
export function checkPendingCode(state: EmulatorState, user: UserRecord, slot: CodeSlot, code: string): PendingCode {
  const pending = user.codes.get(slot);
  if (!pending || pending.code !== code) throw codeMismatch();
  if (state.clock.now() >= pending.expiresAt) throw codeExpired();
  return pending;
}

/**
 * `ConfirmSignUp`: the sign-up code confirms the user and verifies the attribute it went to;
 * with USER_AUTH allowed, the answer's `Session` signs them in (InitiateAuth USER_AUTH).
 */
export async function confirmSignUp(input: Record<string, unknown>, state: EmulatorState) {
  const { v, clientId, username, secretHash } = readClientAndUsername(input);
  const code = v.string("ConfirmationCode", "confirmationCode", { required: true, minLength: 1, maxLength: 2048, pattern: patterns.code });
  // SignUp's Session: accepted, not needed (the code proves the user), so a confirmation in another tab signs in too.
  v.string("Session", "session", { minLength: 20, maxLength: 2048 });
  v.throwIfInvalid();
  const client = requireClient(state, clientId);
  checkSecretHash(client, secretHash, [username]);
  const user = userForCode(state, client, username);
  if (user.status !== "UNCONFIRMED") throw new CognitoError("NotAuthorizedException", `User cannot be confirmed. Current status is ${user.status}`);
  const pending = checkPendingCode(state, user, "signUp", code!);
  user.codes.delete("signUp");
  user.status = "CONFIRMED";
  user.attributes.set(`${pending.attributeName}_verified`, "true");
  user.updatedAt = state.clock.now();
  // The code just proven signs the user in once more with InitiateAuth USER_AUTH and this Session.
  return client.authFlows.has("ALLOW_USER_AUTH") ? { Session: openSignUpSession(state, user) } : {};
}
