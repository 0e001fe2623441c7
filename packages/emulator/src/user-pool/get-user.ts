import { CognitoError } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import type { MfaFactor, UserRecord } from "./user-store.js";

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

const factorOrder: MfaFactor[] = ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"];

/** A user's MFA members of GetUser (and GetUserAuthFactors); Cognito leaves both out for a user without MFA. */
export function mfaSettings(user: UserRecord) {
  const list = factorOrder.filter((f) => user.mfa?.enabled.has(f));
  return {
    // Only SMS turned on through the legacy SetUserSettings shows here, as in Cognito.
    ...(user.legacySmsMfa && user.mfa?.enabled.has("SMS_MFA") ? { MFAOptions: [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }] } : {}),
    ...(list.length > 0 ? { UserMFASettingList: list } : {}),
    ...(user.mfa?.preferred ? { PreferredMfaSetting: user.mfa.preferred } : {}),
  };
}

/** `GetUser`: the signed-in user's username and attributes. */
export async function getUser(input: Record<string, unknown>, state: EmulatorState) {
  const user = await authenticateAccessToken(input, state);
  return {
    Username: user.username,
    UserAttributes: [...user.attributes].map(([Name, Value]) => ({ Name, Value })),
    ...mfaSettings(user),
  };
}
