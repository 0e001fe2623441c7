import { CognitoError } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import type { UserRecord } from "./user-store.js";

/**
 * The last step of every sign-in once the password is proven: refuses disabled and
 * unconfirmed users (only now, so their state never leaks without the password), then
 * starts a token family and answers with all three tokens.
 */
export async function completeSignIn(state: EmulatorState, user: UserRecord) {
  if (!user.enabled) throw new CognitoError("NotAuthorizedException", "User is disabled.");
  if (user.status !== "CONFIRMED") throw new CognitoError("UserNotConfirmedException", "User is not confirmed.");
  const { client, clock, refreshTokens, tokens } = state;
  const { family, refreshToken } = refreshTokens.open({
    username: user.username,
    clientId: client.id,
    authTime: Math.floor(clock.now() / 1000),
    lifetimeSeconds: client.tokenValidity.refreshSeconds,
  });
  const result = await tokens.issue(user, family);
  return { AuthenticationResult: { ...result, RefreshToken: refreshToken }, ChallengeParameters: {} };
}
