import type { AuthenticationResultType } from "@aws-sdk/client-cognito-identity-provider";
import { AuthError } from "../errors.js";
import { readJwtClaims } from "../jwt.js";
import type { TokenGrant } from "../session/session-tokens.js";

/**
 * The tokens of Cognito's `AuthenticationResult` (of a sign-in or a refresh). A refresh
 * answer without `RefreshToken` keeps `refreshToken`, the one it was made with. Throws
 * `ERR_BAD_RESPONSE` when the answer lacks readable tokens.
 *
 * @example
 * const grant = grantFromResult(output.AuthenticationResult);
 */
export function grantFromResult(result: AuthenticationResultType | undefined, refreshToken?: string): TokenGrant {
  const { IdToken = "", AccessToken = "", RefreshToken = refreshToken, ExpiresIn } = result ?? {};
  if (!readJwtClaims(IdToken) || !readJwtClaims(AccessToken) || !RefreshToken) {
    throw new AuthError("ERR_BAD_RESPONSE", "No tokens in the answer");
  }
  return { idToken: IdToken, accessToken: AccessToken, refreshToken: RefreshToken, expiresIn: ExpiresIn };
}
