import { CognitoError } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import type { UserRecord } from "./user-store.js";

/** Wrong passwords a user may enter before the first lockout, as Cognito allows. */
export const failuresBeforeLockout = 5;
/** The longest lockout, Cognito's "approximately 15 minutes". */
export const maxLockoutMs = 15 * 60 * 1000;
/** Quiet time after which Cognito forgets a user's failures. */
export const lockoutResetAfterMs = 15 * 60 * 1000;

/** A user's run of wrong passwords. */
export interface PasswordLockout {
  /** Wrong passwords in a row, not counting attempts refused during a lockout. */
  failures: number;
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

/** A right password (after any lockout ran out) starts the count again. */
export function recordRightPassword(user: UserRecord): void {
  user.lockout = undefined;
}
