import type { AuthClient } from "../client.js";
import { AuthError } from "../errors.js";
import { checkObject, checkOptional } from "./check-input.js";
import { runChecked } from "./run-checked.js";

/** How one MFA method is used at sign-in: `preferred` is the one Cognito asks for first. */
export type MfaPreference = "enabled" | "disabled" | "preferred";

/** Input of {@link updateMfaPreference}; a method left out keeps its setting. */
export interface UpdateMfaPreferenceInput {
  totp?: MfaPreference;
  sms?: MfaPreference;
  email?: MfaPreference;
  signal?: AbortSignal;
}

const settingNames = { totp: "SoftwareTokenMfaSettings", sms: "SMSMfaSettings", email: "EmailMfaSettings" } as const;

/**
 * Turns the signed-in user's MFA methods on or off (SetUserMFAPreference). TOTP needs
 * {@link verifyTotpSetup} first, SMS a phone number and email an email address; at most one
 * method is `preferred`. Fails with `ERR_NOT_SIGNED_IN` when nobody is signed in.
 *
 * @example
 * await updateMfaPreference(client, { totp: "preferred", sms: "disabled" });
 */
export function updateMfaPreference(client: AuthClient<any>, input: UpdateMfaPreferenceInput): Promise<void> {
  return runChecked(client, "updateMfaPreference", (context) => {
    checkObject(input, "updateMfaPreference");
    checkOptional(input, "updateMfaPreference");
    const request: Record<string, { Enabled: boolean; PreferredMfa: boolean }> = {};
    for (const method of ["totp", "sms", "email"] as const) {
      const value = input[method];
      if (value === undefined) continue;
      if (value !== "enabled" && value !== "disabled" && value !== "preferred") {
        throw new TypeError(`updateMfaPreference: \`${method}\` must be 'enabled', 'disabled' or 'preferred'`);
      }
      request[settingNames[method]] = { Enabled: value !== "disabled", PreferredMfa: value === "preferred" };
    }
    if (Object.values(request).filter((setting) => setting.PreferredMfa).length > 1) {
      throw new AuthError("ERR_INVALID_PARAMETER", "updateMfaPreference: only one method can be 'preferred'");
    }
    return (async () => {
      const { accessToken } = await context.session.getTokens();
      await context.transport.userPool("SetUserMFAPreference", { AccessToken: accessToken, ...request }, { signal: input.signal });
    })();
  });
}
