import { CognitoError } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import { requireClient } from "./require-client.js";
import { checkClientSecret } from "./secret-hash.js";

/**
 * `RevokeToken`: revokes a refresh token and every access token issued from it. Like
 * RFC 7009, an unknown refresh token is not an error; an access or ID token is.
 */
export async function revokeToken(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const token = v.string("Token", "token", { required: true, sensitive: true, minLength: 1 });
  const clientId = v.string("ClientId", "clientId", { required: true, sensitive: true, minLength: 1, maxLength: 128, pattern: patterns.clientId });
  const clientSecret = v.string("ClientSecret", "clientSecret", { sensitive: true, minLength: 1, maxLength: 64 });
  v.throwIfInvalid();
  const client = requireClient(state, clientId);
  checkClientSecret(client, clientSecret);
  const family = state.refreshTokens.familyOf(token);
  if (!family) {
    if (token.split(".").length === 3) throw new CognitoError("UnsupportedTokenTypeException", "Unsupported token type");
    return {};
  }
  if (family.clientId !== client.id) throw new CognitoError("UnauthorizedException", "Token was not issued to this client");
  family.revoked = true;
  return {};
}
