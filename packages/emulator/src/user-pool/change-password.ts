import { incorrectCredentials } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import { createSrpVerifier, passwordMatches } from "../srp/srp-math.js";
import type { EmulatorState } from "../emulator-state.js";
import { authenticateAccessToken } from "./get-user.js";
import { checkPasswordPolicy } from "./password-policy.js";

/**
 * `ChangePassword`: a signed-in user (verified access token) proves the old password and
 * sets a new one that meets the policy. Like Cognito, existing tokens stay valid.
 */
export async function changePassword(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const previous = v.string("PreviousPassword", "previousPassword", { required: true, sensitive: true, minLength: 1, maxLength: 256, pattern: patterns.password });
  const proposed = v.string("ProposedPassword", "proposedPassword", { required: true, sensitive: true, minLength: 1, maxLength: 256, pattern: patterns.password });
  v.throwIfInvalid();
  // Reads and checks AccessToken (signature, expiry, revocation) with its own validator.
  const user = await authenticateAccessToken(input, state);
  const poolName = state.pool.name;
  if (!passwordMatches(user.password, { poolName, userId: user.username, password: previous })) throw incorrectCredentials();
  checkPasswordPolicy(state.pool.passwordPolicy, proposed);
  user.password = createSrpVerifier({ poolName, userId: user.username, password: proposed }, state.modPow);
  user.updatedAt = state.clock.now();
  return {};
}
