import { CognitoError } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import type { UserRecord } from "./user-store.js";

/** Wrong passwords a user may enter before the first lockout, as Cognito allows. */
export const failuresBeforeLockout = 5;
/** The longest lockout, Cognito's "approximately 15 minutes". */
export const maxLockoutMs = 15 * 60 * 1000;
/** Quiet time after which Cognito forgets a user's failures. */
export const lockoutResetAfterMs = 15 * 60 * 1000;

/** Wrong MFA codes one challenge session takes; the last one ends it, and the user signs in again for a new code. */
export const maxWrongMfaCodes = 3;

/** A user's run of failed sign-in attempts: wrong passwords and wrong MFA codes. */
export interface PasswordLockout {
  /** Wrong passwords and MFA codes in a row, not counting attempts refused during a lockout. */
  failures: number;
  /** How many of `failures` were wrong MFA codes: a right password does not forgive those, only a right code. */
  wrongCodes?: number;
  /** Emulator time until which every password attempt is refused. */
  lockedUntil: number;
  /** Emulator time of the last sign-in attempt with a password. */
  lastAttemptAt: number;
}

const attemptsExceeded = () => new CognitoError("NotAuthorizedException", "Password attempts exceeded");

/**
 * Call before checking a password: refuses while the user is locked out (the attempt does
 * not lengthen the lockout, but it is an attempt), and forgets failures after fifteen
 * quiet minutes.
 *
 * @example
 * checkPasswordLockout(state, user);
 * if (!passwordMatches(...)) { recordWrongPassword(state, user); throw incorrectCredentials(); }
 * recordRightPassword(user);
 */
export function checkPasswordLockout(state: EmulatorState, user: UserRecord): void {
  const lockout = user.lockout;
  if (!lockout) return;
  const now = state.clock.now();
  if (now < lockout.lockedUntil) {
    lockout.lastAttemptAt = now;
    throw attemptsExceeded();
  }
  if (now - lockout.lastAttemptAt >= lockoutResetAfterMs) user.lockout = undefined;
}

/**
 * Counts a wrong password. From the fifth in a row on, the user is locked out for
 * 2^(n-5) seconds (n wrong passwords), at most fifteen minutes — Cognito's documented
 * lockout behaviour for failed sign-in attempts.
 */
export function recordWrongPassword(state: EmulatorState, user: UserRecord): void {
  const now = state.clock.now();
  const lockout = user.lockout ?? { failures: 0, lockedUntil: 0, lastAttemptAt: now };
  lockout.failures += 1;
  lockout.lastAttemptAt = now;
  if (lockout.failures >= failuresBeforeLockout) {
    // 2 ** 20 s is far past the cap; the min keeps the exponent from overflowing to Infinity.
    lockout.lockedUntil = now + Math.min(2 ** Math.min(lockout.failures - failuresBeforeLockout, 20) * 1000, maxLockoutMs);
  }
  user.lockout = lockout;
}

/**
 * A right password (after any lockout ran out) starts the count again — unless wrong MFA
 * codes are in it: the password alone is no successful sign-in, or a right password could
 * be followed by three more guesses at the code without end.
 */
export function recordRightPassword(user: UserRecord): void {
  if (!user.lockout?.wrongCodes) user.lockout = undefined;
}

/**
 * Judges an answer to an MFA code challenge (SMS, email or authenticator) for the API and
 * the hosted UI alike. Refuses with "Password attempts exceeded" while the user is locked
 * out. A right code ends the run of failures; a wrong one counts against its challenge
 * session (the third ends it) and toward the user's lockout, as a failed sign-in.
 *
 * @example
 * if (!answerMfaCode(state, user, session.data as ChallengeData, finish, pending?.code === code)) throw codeMismatch();
 */
export function answerMfaCode(state: EmulatorState, user: UserRecord, session: { wrongCodes?: number }, finish: () => void, matches: boolean): boolean {
  checkPasswordLockout(state, user);
  if (matches) {
    user.lockout = undefined;
    return true;
  }
  session.wrongCodes = (session.wrongCodes ?? 0) + 1;
  if (session.wrongCodes >= maxWrongMfaCodes) finish();
  recordWrongPassword(state, user);
  user.lockout!.wrongCodes = (user.lockout!.wrongCodes ?? 0) + 1;
  return false;
}
