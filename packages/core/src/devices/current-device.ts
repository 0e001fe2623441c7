import type { ClientContext } from "../client-context.js";
import { AuthError } from "../errors.js";
import { readJwtClaims } from "../jwt.js";

/**
 * The signed-in user's access token, with the device it was issued on (`device_key`, present
 * where the pool tracks devices) and the user's Cognito name. Fails with `ERR_NOT_SIGNED_IN`.
 */
export async function currentDevice(context: ClientContext<any>): Promise<{ accessToken: string; deviceKey: string | undefined; username: string }> {
  const { accessToken } = await context.session.getTokens();
  const claims = readJwtClaims(accessToken);
  return { accessToken, deviceKey: claims?.device_key as string | undefined, username: String(claims?.username) };
}

/** `ERR_RESOURCE_NOT_FOUND` for a session without a device (the pool does not track devices). */
export function noDevice(): AuthError {
  return new AuthError("ERR_RESOURCE_NOT_FOUND", "This session has no device: the user pool does not track devices");
}
