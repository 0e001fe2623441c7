import type { AuthClient } from "../client.js";
import type { AccountCallOptions } from "./fetch-user-attributes.js";
import { runSignedIn } from "./run-checked.js";

/** A way the user can sign in first, as GetUserAuthFactors names it. */
export type AuthFactor = "PASSWORD" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";

/**
 * The ways the signed-in user can sign in with choice-based sign-in (GetUserAuthFactors'
 * `ConfiguredUserAuthFactors`): a password, codes by email or SMS (a verified address or
 * number), passkeys. What the app client allows is the pool's business; this is the user's
 * side. `ERR_NOT_SIGNED_IN` when nobody is signed in.
 *
 * @example
 * if (!(await getAuthFactors(client)).includes("WEB_AUTHN")) offerPasskey();
 */
export function getAuthFactors(client: AuthClient<any>, options: AccountCallOptions = {}): Promise<AuthFactor[]> {
  return runSignedIn(client, "getAuthFactors", options, async (context, accessToken) => {
    const output = await context.transport.userPool("GetUserAuthFactors", { AccessToken: accessToken }, { signal: options.signal });
    return (output.ConfiguredUserAuthFactors ?? []) as AuthFactor[];
  });
}
