import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import { checkPasswordVerifier, checkVerifierProof, openVerifierSession } from "../srp/password-verifier.js";
import type { EmulatorState } from "../emulator-state.js";
import { checkUserAttributes } from "./attribute-schema.js";
import { setNewPassword } from "./set-new-password.js";
import { carried, completeSignIn, mfaChallenge, missingRequiredAttributes, unknownDevice, userFactors, type ChallengeData } from "./complete-sign-in.js";
import { checkPasswordPolicy } from "./password-policy.js";
import { answerChallengeSession as answering, requiredResponse as required } from "./open-challenge-session.js";
import { totpMatches } from "./totp.js";
import type { MfaFactor } from "./user-store.js";
import { answerMfaCode } from "./password-lockout.js";
import { requireClient } from "./require-client.js";
import { checkSecretHash } from "./secret-hash.js";
import { openDecoySession, refuseDecoyCode, userAuthResponders } from "./user-auth.js";

const challengeNames = [
  "SMS_MFA",
  "EMAIL_OTP",
  "SOFTWARE_TOKEN_MFA",
  "SELECT_MFA_TYPE",
  "MFA_SETUP",
  "PASSWORD_VERIFIER",
  "CUSTOM_CHALLENGE",
  "SELECT_CHALLENGE",
  "DEVICE_SRP_AUTH",
  "DEVICE_PASSWORD_VERIFIER",
  "ADMIN_NO_SRP_AUTH",
  "NEW_PASSWORD_REQUIRED",
  "SMS_OTP",
  "PASSWORD",
  "WEB_AUTHN",
  "PASSWORD_SRP",
] as const;

type ChallengeResponder = (
  state: EmulatorState,
  responses: Record<string, string>,
  sessionId: string | undefined,
) => Promise<Record<string, unknown>>;

function codeResponder(factor: "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP", member: string): ChallengeResponder {
  return async (state, responses, sessionId) => {
    // An unknown user's code was never sent: every answer is wrong, as a real user's wrong one.
    const decoy = openDecoySession(state, sessionId, factor);
    if (decoy) throw refuseDecoyCode(decoy);
    // The code lives as long as its session, so an expired code is an expired session.
    const { user, session, finish } = answering(state, factor, responses, sessionId);
    const code = required(responses, member);
    const slot = (session.data as ChallengeData).passwordless ? "signIn" : "mfa";
    const pending = user.codes.get(slot);
    // A wrong code counts against the session (three end it) and toward the user's lockout.
    if (!answerMfaCode(state, user, session.data as ChallengeData, finish, pending?.code === code)) throw new CognitoError("CodeMismatchException", "Invalid code or auth state for the user.");
    user.codes.delete(slot);
    finish();
    return completeSignIn(state, user, { ...carried(session.data as ChallengeData), mfaDone: true });
  };
}

/**
 * Runs the step after a proven password and closes its session, except when the step refuses
 * an unknown device: amazon-cognito-identity-js then answers the same challenge again without
 * the DEVICE_KEY, as Cognito lets it.
 */
async function finishUnlessUnknownDevice<T>(finish: () => void, step: () => Promise<T>): Promise<T> {
  try {
    const result = await step();
    finish();
    return result;
  } catch (error) {
    if (!(error instanceof CognitoError && error.type === "ResourceNotFoundException")) finish();
    throw error;
  }
}

const responders: Partial<Record<string, ChallengeResponder>> = {
  async PASSWORD_VERIFIER(state, responses, sessionId) {
    const username = required(responses, "USERNAME");
    const secretBlock = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
    const signature = required(responses, "PASSWORD_CLAIM_SIGNATURE");
    const timestamp = required(responses, "TIMESTAMP");
    checkSecretHash(state.client, responses.SECRET_HASH, [username]);
    const { user, carry, finish } = checkPasswordVerifier(state, { username, secretBlock, signature, timestamp }, sessionId);
    // The DEVICE_KEY may come with InitiateAuth or with this answer; an answer that sets it
    // to null (the SDKs' retry after "Device does not exist.") signs in without a device.
    const deviceKey = "DEVICE_KEY" in responses ? responses.DEVICE_KEY || undefined : carry.deviceKey;
    return finishUnlessUnknownDevice(finish, () => completeSignIn(state, user, deviceKey ? { deviceKey } : {}));
  },

  async NEW_PASSWORD_REQUIRED(state, responses, sessionId) {
    const { user, session, finish } = answering(state, "NEW_PASSWORD_REQUIRED", responses, sessionId);
    const proposed = required(responses, "NEW_PASSWORD");
    checkPasswordPolicy(state.pool.passwordPolicy, proposed);
    const given = Object.entries(responses)
      .filter(([name]) => name.startsWith("userAttributes."))
      .map(([name, Value]) => ({ Name: name.slice("userAttributes.".length), Value }));
    const attributes = checkUserAttributes(state.pool, given, { existing: user.attributes });
    const missing = missingRequiredAttributes(state, { ...user, attributes: new Map([...user.attributes, ...attributes]) });
    if (missing.length > 0) throw invalidParameter(`Invalid attributes given, ${missing[0]!.slice("userAttributes.".length)} is missing`);
    finish();
    setNewPassword(state, user, proposed, attributes);
    return completeSignIn(state, user, carried(session.data as ChallengeData));
  },

  SMS_MFA: codeResponder("SMS_MFA", "SMS_MFA_CODE"),
  EMAIL_OTP: codeResponder("EMAIL_OTP", "EMAIL_OTP_CODE"),
  SMS_OTP: codeResponder("SMS_OTP", "SMS_OTP_CODE"),
  ...userAuthResponders,

  async SOFTWARE_TOKEN_MFA(state, responses, sessionId) {
    const { user, session, finish } = answering(state, "SOFTWARE_TOKEN_MFA", responses, sessionId);
    const code = required(responses, "SOFTWARE_TOKEN_MFA_CODE");
    const secret = user.softwareTokenSecret;
    if (!answerMfaCode(state, user, session.data as ChallengeData, finish, !!secret && totpMatches(secret, code, state.clock.now()))) throw new CognitoError("CodeMismatchException", "Invalid code received for user");
    finish();
    return completeSignIn(state, user, { ...carried(session.data as ChallengeData), mfaDone: true });
  },

  async SELECT_MFA_TYPE(state, responses, sessionId) {
    const { user, session, finish } = answering(state, "SELECT_MFA_TYPE", responses, sessionId);
    const answer = required(responses, "ANSWER");
    const factors: string[] = userFactors(state, user);
    if (!factors.includes(answer)) throw invalidParameter(`Invalid ANSWER: ${answer} is not one of ${factors.join(", ")}`);
    finish();
    return mfaChallenge(state, user, answer as MfaFactor, carried(session.data as ChallengeData));
  },

  async MFA_SETUP(state, responses, sessionId) {
    const { user, session, finish } = answering(state, "MFA_SETUP", responses, sessionId);
    const data = session.data as ChallengeData;
    if (!data.softwareTokenVerified || !data.setupSecret) {
      throw invalidParameter("Software token has not been verified: call AssociateSoftwareToken and VerifySoftwareToken with this Session first");
    }
    finish();
    // Finishing setup turns TOTP on for the user, as Cognito does.
    user.softwareTokenSecret = data.setupSecret;
    user.mfa ??= { enabled: new Set(), preferred: undefined };
    user.mfa.enabled.add("SOFTWARE_TOKEN_MFA");
    user.mfa.preferred ??= "SOFTWARE_TOKEN_MFA";
    return completeSignIn(state, user, { ...carried(data), mfaDone: true });
  },

  async DEVICE_SRP_AUTH(state, responses, sessionId) {
    const { user, session, finish } = answering(state, "DEVICE_SRP_AUTH", responses, sessionId);
    const deviceKey = required(responses, "DEVICE_KEY");
    const srpA = required(responses, "SRP_A");
    const data = session.data as ChallengeData;
    const device = deviceKey === data.deviceKey ? state.devices.ofUser(deviceKey, user.username) : undefined;
    if (!device) throw unknownDevice();
    // Device SRP is user SRP with the group key as the pool name and the device key as the user.
    const opened = openVerifierSession(state, {
      challengeName: "DEVICE_PASSWORD_VERIFIER",
      username: user.username,
      poolName: device.groupKey,
      userIdForSrp: device.key,
      stored: device.verifier,
      srpA,
      carry: carried(data),
    });
    finish();
    return {
      ChallengeName: "DEVICE_PASSWORD_VERIFIER",
      ChallengeParameters: {
        DEVICE_KEY: device.key,
        SALT: opened.salt.toString(16),
        SECRET_BLOCK: opened.secretBlock,
        SRP_B: opened.B.toString(16),
        USERNAME: user.username,
      },
      Session: opened.session.id,
    };
  },

  async DEVICE_PASSWORD_VERIFIER(state, responses, sessionId) {
    const username = required(responses, "USERNAME");
    const deviceKey = required(responses, "DEVICE_KEY");
    const secretBlock = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
    const signature = required(responses, "PASSWORD_CLAIM_SIGNATURE");
    const timestamp = required(responses, "TIMESTAMP");
    checkSecretHash(state.client, responses.SECRET_HASH, [username]);
    const { user, carry: data, finish } = checkVerifierProof(state, "DEVICE_PASSWORD_VERIFIER", { username, secretBlock, signature, timestamp }, sessionId);
    finish();
    const device = deviceKey === data.deviceKey ? state.devices.ofUser(deviceKey, user.username) : undefined;
    if (!device) throw unknownDevice();
    device.lastAuthenticatedAt = state.clock.now();
    return completeSignIn(state, user, { ...carried(data), deviceVerified: true });
  },
};

/** `RespondToAuthChallenge`: answers the challenge the previous step asked for. */
export async function respondToAuthChallenge(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const clientId = v.string("ClientId", "clientId", { required: true, sensitive: true, minLength: 1, maxLength: 128, pattern: patterns.clientId });
  const challengeName = v.string("ChallengeName", "challengeName", { required: true, oneOf: challengeNames });
  const sessionId = v.string("Session", "session", { minLength: 20, maxLength: 2048 });
  const responses = v.stringMap("ChallengeResponses", "challengeResponses") ?? {};
  // stringMap drops nulls; a DEVICE_KEY sent as null still means "no device" (see PASSWORD_VERIFIER).
  const raw = input.ChallengeResponses as Record<string, unknown> | undefined;
  if (raw && raw.DEVICE_KEY === null) responses.DEVICE_KEY = "";
  v.stringMap("ClientMetadata", "clientMetadata");
  v.throwIfInvalid();
  requireClient(state, clientId);
  const responder = responders[challengeName];
  if (!responder) throw new CognitoError("NotAuthorizedException", "Invalid session for the user.");
  return responder(state, responses, sessionId);
}
