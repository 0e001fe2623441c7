import type { EmulatorState } from "../emulator-state.js";
import type { ChallengeData } from "../user-pool/complete-sign-in.js";
import { openChallengeSession } from "../user-pool/open-challenge-session.js";
import { createTotpSecret, totpMatches } from "../user-pool/totp.js";
import type { UserRecord } from "../user-pool/user-store.js";

/** The MFA_SETUP step as the login page shows it: the secret to type or scan, and its session. */
export interface TotpSetupStep {
  ChallengeName: "MFA_SETUP";
  ChallengeParameters: { SECRET_CODE: string; OTPAUTH_URI: string };
  Session: string;
}

/**
 * The `otpauth://totp/…` URI authenticator apps read (usually from a QR code): the
 * issuer is the pool's name and the label the user's email, or username without one.
 */
export function otpauthUri(state: EmulatorState, user: UserRecord, secret: string): string {
  const issuer = state.pool.name;
  const account = user.attributes.get("email") ?? user.username;
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(account)}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`;
}

/** The step for a setup session that holds its secret (shown again after a wrong code). */
export function totpSetupStep(state: EmulatorState, user: UserRecord, sessionId: string, secret: string): TotpSetupStep {
  return { ChallengeName: "MFA_SETUP", ChallengeParameters: { SECRET_CODE: secret, OTPAUTH_URI: otpauthUri(state, user, secret) }, Session: sessionId };
}

/**
 * Starts the login page's authenticator setup where the sign-in asked MFA_SETUP: as
 * AssociateSoftwareToken does with a Session, the challenge's session is spent and a new
 * one keeps the fresh secret, so the secret never travels in the form.
 */
export function startTotpSetup(state: EmulatorState, challengeSession: string): TotpSetupStep {
  const { user, finish } = openChallengeSession(state, challengeSession, "MFA_SETUP");
  finish();
  const secret = createTotpSecret();
  const data: ChallengeData = { setupSecret: secret };
  const session = state.authSessions.open({ challengeName: "MFA_SETUP", username: user.username, data });
  return totpSetupStep(state, user, session.id, secret);
}

/**
 * Checks the authenticator's code for a setup session (as VerifySoftwareToken: RFC 6238 on
 * the emulator clock, one step of drift) and, when right, spends the session and turns
 * SOFTWARE_TOKEN_MFA on for the user, as RespondToAuthChallenge's MFA_SETUP does.
 * Returns the user when done, the step to show again after a wrong code, or `unusable`.
 */
export function finishTotpSetup(
  state: EmulatorState,
  sessionId: string,
  code: string,
): { outcome: "done"; user: UserRecord } | { outcome: "wrongCode"; step: TotpSetupStep } | { outcome: "unusable" } {
  const { user, session, finish } = openChallengeSession(state, sessionId, "MFA_SETUP");
  const secret = (session.data as ChallengeData).setupSecret;
  // A setup session opened through the API (no secret yet) cannot be finished here.
  if (!secret) return { outcome: "unusable" };
  if (!/^[0-9]{6}$/.test(code) || !totpMatches(secret, code, state.clock.now())) return { outcome: "wrongCode", step: totpSetupStep(state, user, session.id, secret) };
  finish();
  user.softwareTokenSecret = secret;
  user.mfa ??= { enabled: new Set(), preferred: undefined };
  user.mfa.enabled.add("SOFTWARE_TOKEN_MFA");
  user.mfa.preferred ??= "SOFTWARE_TOKEN_MFA";
  user.updatedAt = state.clock.now();
  return { outcome: "done", user };
}
