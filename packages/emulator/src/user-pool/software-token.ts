import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import { poolFactors, type ChallengeData } from "./complete-sign-in.js";
import { authenticateAccessToken } from "./get-user.js";
import { openChallengeSession } from "./open-challenge-session.js";
import { createTotpSecret, totpMatches } from "./totp.js";

const sessionConstraints = { minLength: 20, maxLength: 2048 };

/** Reads the one of AccessToken and Session a software-token call must carry. */
function readCaller(input: Record<string, unknown>) {
  const v = createInputValidator(input);
  const accessToken = v.string("AccessToken", "accessToken", { sensitive: true, pattern: patterns.token });
  const session = v.string("Session", "session", sessionConstraints);
  return { v, accessToken, session };
}

function requireTotpPool(state: EmulatorState): void {
  if (!poolFactors(state).includes("SOFTWARE_TOKEN_MFA")) throw new CognitoError("SoftwareTokenMFANotFoundException", "Software Token MFA is not enabled for the user pool.");
}

function reopenSetup(state: EmulatorState, username: string, data: ChallengeData): string {
  return state.authSessions.open({ challengeName: "MFA_SETUP", username, data }).id;
}

/**
 * `AssociateSoftwareToken`: a new authenticator secret (base32 `SecretCode`), for a
 * signed-in user (AccessToken) or during the MFA_SETUP challenge (Session, answered with
 * a fresh Session for VerifySoftwareToken).
 */
export async function associateSoftwareToken(input: Record<string, unknown>, state: EmulatorState) {
  const { v, accessToken, session } = readCaller(input);
  v.throwIfInvalid();
  if ((accessToken === undefined) === (session === undefined)) throw invalidParameter("Exactly one of AccessToken and Session must be given.");
  requireTotpPool(state);
  const secret = createTotpSecret();
  if (session !== undefined) {
    const { user, finish } = openChallengeSession(state, session, "MFA_SETUP");
    finish();
    return { SecretCode: secret, Session: reopenSetup(state, user.username, { setupSecret: secret }) };
  }
  const user = await authenticateAccessToken(input, state);
  user.pendingSoftwareTokenSecret = secret;
  return { SecretCode: secret };
}

/**
 * `VerifySoftwareToken`: proves the authenticator shows the right code (RFC 6238 on the
 * emulator clock, one step of drift allowed) and answers `Status: "SUCCESS"`. With an
 * access token the user may then turn TOTP on with SetUserMFAPreference; with a Session
 * the fresh Session finishes MFA_SETUP.
 */
export async function verifySoftwareToken(input: Record<string, unknown>, state: EmulatorState) {
  const { v, accessToken, session } = readCaller(input);
  const code = v.string("UserCode", "userCode", { required: true, minLength: 6, maxLength: 6, pattern: { source: "[0-9]+", test: (s) => /^[0-9]+$/.test(s) } });
  v.string("FriendlyDeviceName", "friendlyDeviceName");
  v.throwIfInvalid();
  if ((accessToken === undefined) === (session === undefined)) throw invalidParameter("Exactly one of AccessToken and Session must be given.");
  requireTotpPool(state);
  const mismatch = () => new CognitoError("EnableSoftwareTokenMFAException", "Code mismatch");
  if (session !== undefined) {
    const { user, session: open, finish } = openChallengeSession(state, session, "MFA_SETUP");
    const { setupSecret } = open.data as ChallengeData;
    if (!setupSecret) throw invalidParameter("Call AssociateSoftwareToken with this Session first.");
    if (!totpMatches(setupSecret, code, state.clock.now())) throw mismatch();
    finish();
    return { Status: "SUCCESS", Session: reopenSetup(state, user.username, { setupSecret, softwareTokenVerified: true }) };
  }
  const user = await authenticateAccessToken(input, state);
  const pending = user.pendingSoftwareTokenSecret;
  if (!pending) throw invalidParameter("Call AssociateSoftwareToken first.");
  if (!totpMatches(pending, code, state.clock.now())) throw mismatch();
  user.softwareTokenSecret = pending;
  delete user.pendingSoftwareTokenSecret;
  user.updatedAt = state.clock.now();
  return { Status: "SUCCESS" };
}
