import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import type { AuthSession } from "./auth-session-store.js";
import type { UserRecord } from "./user-store.js";
import { checkSecretHash } from "./secret-hash.js";

/** Cognito's answer to an unknown, used or expired `Session`. */
export const expiredSession = (): CognitoError => new CognitoError("NotAuthorizedException", "Invalid session for the user, session is expired.");

/**
 * Finds the open session a `Session` string names for a challenge (RespondToAuthChallenge,
 * or AssociateSoftwareToken/VerifySoftwareToken during MFA_SETUP). Sessions live three
 * minutes of emulator time; `finish()` makes them single-use.
 *
 * @example
 * const { user, finish } = openChallengeSession(state, sessionId, "SMS_MFA");
 */
export function openChallengeSession(
  state: EmulatorState,
  sessionId: string | undefined,
  challengeName: string,
): { session: AuthSession; user: UserRecord; finish: () => void } {
  if (sessionId === undefined) throw invalidParameter("Missing required parameter Session");
  const session = state.authSessions.peek(sessionId);
  if (!session || session.username === undefined) throw expiredSession();
  if (state.clock.now() >= session.expiresAt) {
    state.authSessions.take(session.id);
    throw expiredSession();
  }
  if (session.challengeName !== challengeName) throw new CognitoError("NotAuthorizedException", "Invalid session for the user.");
  const user = state.users.byUsername(session.username);
  if (!user) throw expiredSession();
  return { session, user, finish: () => void state.authSessions.take(session.id) };
}

/** A member of a challenge answer, refused when missing or empty. */
export function requiredResponse(responses: Record<string, string>, name: string): string {
  const value = responses[name];
  if (value === undefined || value === "") throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

/**
 * The open session of a challenge answer, its user checked against USERNAME and
 * SECRET_HASH; `finish()` closes it. A wrong code leaves it open, up to `maxWrongMfaCodes`.
 */
export function answerChallengeSession(state: EmulatorState, challengeName: string, responses: Record<string, string>, sessionId: string | undefined) {
  const username = requiredResponse(responses, "USERNAME");
  const found = openChallengeSession(state, sessionId, challengeName);
  if (state.users.byLogin(username) !== found.user) throw new CognitoError("NotAuthorizedException", "Invalid session for the user.");
  checkSecretHash(state.client, responses.SECRET_HASH, [username]);
  return found;
}
