import type { AuthClient } from "../client.js";
import type { AccountCallOptions } from "./fetch-user-attributes.js";
import { runSignedIn } from "./run-checked.js";

/** An MFA method, named as in {@link updateMfaPreference}'s input. */
export type MfaMethod = "totp" | "sms" | "email";

/** What {@link fetchMfaPreference} returns. */
export interface MfaPreferenceSettings {
  /** The methods turned on for the user, in this order: sms, totp, email. */
  enabled: MfaMethod[];
  /** The one Cognito asks for first at sign-in; absent when none is preferred. */
  preferred?: MfaMethod;
}

const methods: Record<string, MfaMethod> = { SMS_MFA: "sms", SOFTWARE_TOKEN_MFA: "totp", EMAIL_OTP: "email" };

/**
 * The signed-in user's MFA methods: which are on and which is preferred (GetUser's
 * `UserMFASettingList` and `PreferredMfaSetting`; SMS turned on through the legacy
 * `MFAOptions` counts too). Names match {@link updateMfaPreference}. Fails with
 * `ERR_NOT_SIGNED_IN` when nobody is signed in.
 *
 * @example
 * const { enabled, preferred } = await fetchMfaPreference(client);
 * if (!enabled.includes("totp")) offerAuthenticatorSetup();
 */
export function fetchMfaPreference(client: AuthClient<any>, options: AccountCallOptions = {}): Promise<MfaPreferenceSettings> {
  return runSignedIn(client, "fetchMfaPreference", options, async (context, accessToken) => {
    const output = await context.transport.userPool("GetUser", { AccessToken: accessToken }, { signal: options.signal });
    const listed = new Set(output.UserMFASettingList ?? []);
    if (output.MFAOptions?.some((option) => option.DeliveryMedium === "SMS")) listed.add("SMS_MFA");
    const enabled = Object.keys(methods).filter((setting) => listed.has(setting)).map((setting) => methods[setting]!);
    const preferred = output.PreferredMfaSetting === undefined ? undefined : methods[output.PreferredMfaSetting];
    return preferred ? { enabled, preferred } : { enabled };
  });
}
