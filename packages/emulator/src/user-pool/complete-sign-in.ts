import { CognitoError } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import { deliverCode } from "./deliver-code.js";
import type { MfaFactor, UserRecord } from "./user-store.js";

/** What an open challenge session remembers beyond its user. */
export interface ChallengeData {
  /** MFA is already answered (or being set up), so the next step is tokens. */
  mfaDone?: boolean;
  /** After VerifySoftwareToken in MFA_SETUP: the session may now finish the challenge. */
  softwareTokenVerified?: boolean;
  /** The TOTP secret AssociateSoftwareToken gave during MFA_SETUP. */
  setupSecret?: string;
  /** The DEVICE_KEY the client signs in with (pools that track devices). */
  deviceKey?: string;
  /** The device answered DEVICE_PASSWORD_VERIFIER. */
  deviceVerified?: boolean;
  /** Wrong MFA codes answered in this session (a few end it). */
  wrongCodes?: number;
  /** An EMAIL_OTP or SMS_OTP step of passwordless sign-in (its code is a sign-in code, not an MFA code). */
  passwordless?: boolean;
}

/** What every later step of a sign-in must still know. */
export const carried = (data: ChallengeData): ChallengeData => ({
  ...(data.mfaDone ? { mfaDone: true } : {}),
  ...(data.deviceKey ? { deviceKey: data.deviceKey } : {}),
  ...(data.deviceVerified ? { deviceVerified: true } : {}),
});

/** Cognito's answer to a device key it does not know (amazon-cognito-identity-js retries without it). */
export const unknownDevice = (): CognitoError => new CognitoError("ResourceNotFoundException", "Device does not exist.");

/** The factors the pool allows, in Cognito's order. */
export function poolFactors(state: EmulatorState): MfaFactor[] {
  const { mode, sms, totp, email } = state.pool.multifactor;
  if (mode === "OFF") return [];
  return [...(sms ? ["SMS_MFA" as const] : []), ...(totp ? ["SOFTWARE_TOKEN_MFA" as const] : []), ...(email ? ["EMAIL_OTP" as const] : [])];
}

/** A user's usable factors: turned on by them and allowed by the pool. */
export function userFactors(state: EmulatorState, user: UserRecord): MfaFactor[] {
  return poolFactors(state).filter((f) => user.mfa?.enabled.has(f));
}

/** Opens a challenge session and answers with it. */
export function challenge(state: EmulatorState, user: UserRecord, name: string, parameters: Record<string, string> = {}, data: ChallengeData = {}) {
  const session = state.authSessions.open({ challengeName: name, username: user.username, data });
  return { ChallengeName: name, ChallengeParameters: { USER_ID_FOR_SRP: user.username, ...parameters }, Session: session.id };
}

/** Sends the code of an SMS_MFA or EMAIL_OTP challenge and opens that challenge. */
export function mfaCodeChallenge(state: EmulatorState, user: UserRecord, factor: "SMS_MFA" | "EMAIL_OTP", carry: ChallengeData = {}) {
  const details = deliverCode(state, user, "mfa", factor === "SMS_MFA" ? "phone_number" : "email");
  return challenge(state, user, factor, { CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium, CODE_DELIVERY_DESTINATION: details.Destination }, carry);
}

/** The MFA challenge for a user who has at least one factor on. */
export function mfaChallenge(state: EmulatorState, user: UserRecord, factor: MfaFactor, carry: ChallengeData = {}) {
  return factor === "SOFTWARE_TOKEN_MFA" ? challenge(state, user, factor, {}, carry) : mfaCodeChallenge(state, user, factor, carry);
}

function mfaStep(state: EmulatorState, user: UserRecord, carry: ChallengeData) {
  const { mode } = state.pool.multifactor;
  if (mode === "OFF") return undefined;
  const factors = userFactors(state, user);
  const preferred = user.mfa?.preferred;
  if (preferred && factors.includes(preferred)) return mfaChallenge(state, user, preferred, carry);
  if (factors.length === 1) return mfaChallenge(state, user, factors[0]!, carry);
  if (factors.length > 1) return challenge(state, user, "SELECT_MFA_TYPE", { MFAS_CAN_CHOOSE: JSON.stringify(factors) }, carry);
  if (mode !== "REQUIRED") return undefined;
  // Required but nothing turned on: Cognito texts or mails a user whose pool allows it
  // and who has the number or address, and asks the others to set up an authenticator.
  const allowed = poolFactors(state);
  if (allowed.includes("SMS_MFA") && user.attributes.get("phone_number")) return mfaCodeChallenge(state, user, "SMS_MFA", carry);
  if (allowed.includes("EMAIL_OTP") && user.attributes.get("email")) return mfaCodeChallenge(state, user, "EMAIL_OTP", carry);
  if (allowed.includes("SOFTWARE_TOKEN_MFA")) return challenge(state, user, "MFA_SETUP", { MFAS_CAN_SETUP: JSON.stringify(["SOFTWARE_TOKEN_MFA"]) }, carry);
  throw new CognitoError("InvalidParameterException", "User has no MFA delivery configuration and MFA is required.");
}

/** Every user attribute but `sub`, as the JSON of NEW_PASSWORD_REQUIRED's `userAttributes`. */
function visibleAttributes(user: UserRecord): Record<string, string> {
  return Object.fromEntries([...user.attributes].filter(([name]) => name !== "sub"));
}

/** Required attributes the user lacks, as NEW_PASSWORD_REQUIRED names them (`userAttributes.given_name`). */
export function missingRequiredAttributes(state: EmulatorState, user: UserRecord): string[] {
  return Object.entries(state.pool.attributes)
    .filter(([name, settings]) => settings?.required && !user.attributes.get(name))
    .map(([name]) => `userAttributes.${name}`);
}

/**
 * The step after each proof of a sign-in, short of tokens: refuses disabled and unconfirmed
 * users (only once the password is proven, so their state never leaks), asks a new password
 * of users made by AdminCreateUser, then MFA as the pool and user have it. Undefined when
 * the user is through. The hosted UI's login page walks the same steps.
 */
export function nextSignInStep(state: EmulatorState, user: UserRecord, passed: ChallengeData = {}) {
  if (!user.enabled) throw new CognitoError("NotAuthorizedException", "User is disabled.");
  if (user.status === "FORCE_CHANGE_PASSWORD") {
    if (user.temporaryPasswordExpiresAt !== undefined && state.clock.now() >= user.temporaryPasswordExpiresAt) {
      throw new CognitoError("NotAuthorizedException", "Temporary password has expired and must be reset by an administrator.");
    }
    return challenge(
      state,
      user,
      "NEW_PASSWORD_REQUIRED",
      {
        requiredAttributes: JSON.stringify(missingRequiredAttributes(state, user)),
        userAttributes: JSON.stringify(visibleAttributes(user)),
      },
      carried(passed),
    );
  }
  if (user.status !== "CONFIRMED") throw new CognitoError("UserNotConfirmedException", "User is not confirmed.");
  const tracking = state.pool.deviceTracking;
  // A pool that does not track devices has none to know, so it ignores a DEVICE_KEY.
  const device = tracking && passed.deviceKey !== undefined ? state.devices.ofUser(passed.deviceKey, user.username) : undefined;
  if (tracking && passed.deviceKey !== undefined && !device) throw unknownDevice();
  const carry = carried(passed);
  // Only a remembered device stands in for MFA, and only where the pool says so; it must
  // still prove itself with device SRP below before any token is issued.
  const skipMfa = device !== undefined && device.status === "remembered" && tracking!.challengeRequiredOnNewDevice;
  if (!passed.mfaDone && !skipMfa) {
    const mfa = mfaStep(state, user, carry);
    if (mfa) return mfa;
  }
  if (device && !passed.deviceVerified) return challenge(state, user, "DEVICE_SRP_AUTH", {}, carry);
  return undefined;
}

/**
 * `nextSignInStep`, and when there is none, all three tokens of a new token family.
 */
export async function completeSignIn(state: EmulatorState, user: UserRecord, passed: ChallengeData = {}) {
  const next = nextSignInStep(state, user, passed);
  if (next) return next;
  const { client, clock, refreshTokens, tokens } = state;
  // A sign-in without a known device, in a pool that tracks devices, gets a new device key.
  const newDevice = state.pool.deviceTracking && !passed.deviceVerified ? state.devices.offer(user.username) : undefined;
  const deviceKey = passed.deviceVerified ? passed.deviceKey : newDevice?.DeviceKey;
  const { family, refreshToken } = refreshTokens.open({
    username: user.username,
    clientId: client.id,
    authTime: Math.floor(clock.now() / 1000),
    lifetimeSeconds: client.tokenValidity.refreshSeconds,
    ...(deviceKey ? { deviceKey } : {}),
  });
  const result = await tokens.issue(user, family);
  return {
    AuthenticationResult: { ...result, RefreshToken: refreshToken, ...(newDevice ? { NewDeviceMetadata: newDevice } : {}) },
    ChallengeParameters: {},
  };
}
