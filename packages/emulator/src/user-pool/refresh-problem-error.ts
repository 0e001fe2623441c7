import { CognitoError } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import type { RefreshTokenProblem, TokenFamily } from "../tokens/refresh-token-store.js";

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

/**
 * With device tracking, refresh tokens are bound to the device they were issued on: a
 * refresh must name that device, and it must still be confirmed (not forgotten). Cognito
 * answers anything else as an invalid refresh token. A pool without tracking ignores the key.
 */
export function checkRefreshDevice(state: EmulatorState, family: TokenFamily, deviceKey: string | undefined): void {
  if (!state.pool.deviceTracking) return;
  if (family.deviceKey === undefined) {
    if (deviceKey !== undefined && !state.devices.ofUser(deviceKey, family.username)) throw refreshProblemError("invalid");
    return;
  }
  if (deviceKey !== family.deviceKey || !state.devices.ofUser(deviceKey, family.username)) throw refreshProblemError("invalid");
}
