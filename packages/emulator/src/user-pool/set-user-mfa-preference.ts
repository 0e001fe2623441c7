import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import { poolFactors } from "./complete-sign-in.js";
import { authenticateAccessToken } from "./get-user.js";
import type { MfaFactor, UserRecord } from "./user-store.js";

const members: Array<[member: string, factor: MfaFactor]> = [
  ["SMSMfaSettings", "SMS_MFA"],
  ["SoftwareTokenMfaSettings", "SOFTWARE_TOKEN_MFA"],
  ["EmailMfaSettings", "EMAIL_OTP"],
];

function readSettings(input: Record<string, unknown>, member: string): { Enabled?: boolean; PreferredMfa?: boolean } | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  const ok = typeof value === "object" && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "boolean" || v === null);
  if (!ok) throw new CognitoError("SerializationException", `Unexpected value type for '${member}': expected { Enabled?: boolean, PreferredMfa?: boolean }`);
  return value as { Enabled?: boolean; PreferredMfa?: boolean };
}

/** Refuses a factor the pool does not allow or the user cannot receive. */
export function checkCanEnable(state: EmulatorState, user: UserRecord, factor: MfaFactor): void {
  if (!poolFactors(state).includes(factor)) throw invalidParameter(`${factor} is not enabled for this user pool.`);
  if (factor === "SMS_MFA" && !user.attributes.get("phone_number")) throw invalidParameter("User does not have delivery config set to turn on SMS_MFA");
  if (factor === "EMAIL_OTP" && !user.attributes.get("email")) throw invalidParameter("User does not have delivery config set to turn on EMAIL_OTP");
  if (factor === "SOFTWARE_TOKEN_MFA" && !user.softwareTokenSecret) throw invalidParameter("User has not verified software token mfa");
}

/**
 * `SetUserMFAPreference`: the signed-in user turns factors on or off and picks the
 * preferred one. A factor turns on only when the pool allows it and the user can
 * receive it (a phone, an email, a verified authenticator).
 */
export async function setUserMFAPreference(input: Record<string, unknown>, state: EmulatorState) {
  const settings = members.map(([member, factor]) => [factor, readSettings(input, member)] as const);
  const user = await authenticateAccessToken(input, state);
  for (const [factor, s] of settings) {
    if (s?.PreferredMfa && s.Enabled === false) throw invalidParameter(`${factor} cannot be preferred while disabled.`);
    if (s?.Enabled || s?.PreferredMfa) checkCanEnable(state, user, factor);
  }
  if (settings.filter(([, s]) => s?.PreferredMfa).length > 1) throw invalidParameter("Only one MFA type can be preferred.");
  const mfa = (user.mfa ??= { enabled: new Set(), preferred: undefined });
  for (const [factor, s] of settings) {
    if (!s) continue;
    if (s.Enabled || s.PreferredMfa) mfa.enabled.add(factor);
    else if (s.Enabled === false) mfa.enabled.delete(factor);
    if (s.PreferredMfa) mfa.preferred = factor;
    else if ((s.PreferredMfa === false || !mfa.enabled.has(factor)) && mfa.preferred === factor) mfa.preferred = undefined;
  }
  user.updatedAt = state.clock.now();
  return {};
}
