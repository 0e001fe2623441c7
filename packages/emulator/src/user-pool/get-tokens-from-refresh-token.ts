import { createInputValidator, patterns } from "../protocol/validate-input.js";
import { CognitoError } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import { checkRefreshDevice, refreshProblemError } from "./refresh-problem-error.js";
import { requireClient } from "./require-client.js";
import { checkClientSecret } from "./secret-hash.js";

/**
 * `GetTokensFromRefreshToken`: new ID and access tokens; with rotation also a new refresh
 * token, the presented one working only for the grace period after.
 */
export async function getTokensFromRefreshToken(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const refreshToken = v.string("RefreshToken", "refreshToken", { required: true, sensitive: true, minLength: 1, maxLength: 131072 });
  const clientId = v.string("ClientId", "clientId", { required: true, sensitive: true, minLength: 1, maxLength: 128, pattern: patterns.clientId });
  const clientSecret = v.string("ClientSecret", "clientSecret", { sensitive: true, minLength: 1, maxLength: 64 });
  const deviceKey = v.string("DeviceKey", "deviceKey", { minLength: 1, maxLength: 55 });
  v.stringMap("ClientMetadata", "clientMetadata");
  v.throwIfInvalid();
  const client = requireClient(state, clientId);
  checkClientSecret(client, clientSecret);
  const found = state.refreshTokens.use(refreshToken, client.rotation.enabled ? client.rotation.gracePeriodSeconds : 0);
  if ("problem" in found) throw refreshProblemError(found.problem);
  const user = found.family.clientId === client.id ? state.users.byUsername(found.family.username) : undefined;
  if (!user) throw refreshProblemError("invalid");
  checkRefreshDevice(state, found.family, deviceKey);
  if (!user.enabled) throw new CognitoError("NotAuthorizedException", "User is disabled.");
  const result = await state.tokens.issue(user, found.family);
  if (!client.rotation.enabled) return { AuthenticationResult: result };
  const rotated = state.refreshTokens.rotate(refreshToken, client.tokenValidity.refreshSeconds);
  return { AuthenticationResult: { ...result, RefreshToken: rotated } };
}
