import { CognitoError } from "../protocol/cognito-error.js";
import type { RefreshTokenProblem } from "../tokens/refresh-token-store.js";

/** Cognito's answer to a refresh token it will not accept. */
export function refreshProblemError(problem: RefreshTokenProblem): CognitoError {
  switch (problem) {
    case "expired":
      return new CognitoError("NotAuthorizedException", "Refresh Token has expired");
    case "revoked":
    case "rotated":
      return new CognitoError("NotAuthorizedException", "Refresh Token has been revoked");
    default:
      return new CognitoError("NotAuthorizedException", "Invalid Refresh Token");
  }
}
