import type { EmulatorState } from "../emulator-state.js";
import { authenticateAccessToken, mfaSettings } from "./get-user.js";
import { availableChallenges } from "./user-auth.js";

/**
 * `GetUserAuthFactors`: the signed-in user's MFA settings and the factors they can sign in
 * with first (USER_AUTH): PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN.
 */
export async function getUserAuthFactors(input: Record<string, unknown>, state: EmulatorState) {
  const user = await authenticateAccessToken(input, state);
  return {
    Username: user.username,
    ...mfaSettings(user),
    ConfiguredUserAuthFactors: availableChallenges(state, user).filter((factor) => factor !== "PASSWORD_SRP"),
  };
}
