import { CognitoError } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import type { UserRecord } from "./user-store.js";

/** Reads and verifies the `AccessToken` member; returns its user. */
export async function authenticateAccessToken(input: Record<string, unknown>, state: EmulatorState): Promise<UserRecord> {
  const v = createInputValidator(input);
  const token = v.string("AccessToken", "accessToken", { required: true, sensitive: true, pattern: patterns.token });
  v.throwIfInvalid();
  const { claims } = await state.tokens.verifyAccessToken(token);
  const user = typeof claims.username === "string" ? state.users.byUsername(claims.username) : undefined;
  if (!user) throw new CognitoError("UserNotFoundException", "User does not exist.");
  if (!user.enabled) throw new CognitoError("NotAuthorizedException", "User is disabled.");
  return user;
}

/** `GetUser`: the signed-in user's username and attributes. */
export async function getUser(input: Record<string, unknown>, state: EmulatorState) {
  const user = await authenticateAccessToken(input, state);
  return {
    Username: user.username,
    UserAttributes: [...user.attributes].map(([Name, Value]) => ({ Name, Value })),
  };
}
