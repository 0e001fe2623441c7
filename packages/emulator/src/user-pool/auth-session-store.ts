import { createOpaqueToken } from "../ids.js";
import type { EmulatorClock } from "../control/emulator-clock.js";

/** Cognito's default lifetime of a sign-in session between challenges. */
export const authSessionLifetimeMs = 3 * 60 * 1000;

/**
 * A sign-in between two steps: the challenge it waits for and what answering it needs.
 * `username` is undefined for the decoy sessions of unknown users.
 */
export interface AuthSession<T = unknown> {
  id: string;
  challengeName: string;
  username: string | undefined;
  expiresAt: number;
  data: T;
}

/** Open sign-in sessions, each answerable once. */
export interface AuthSessionStore {
  open<T>(input: { challengeName: string; username: string | undefined; data: T; key?: string }): AuthSession<T>;
  /** The session with this `Session` string, left open (so a wrong code can be tried again). */
  peek(id: string): AuthSession | undefined;
  /** The session opened with this extra key (an SRP SECRET_BLOCK), left open. */
  peekKey(key: string): AuthSession | undefined;
  /** Removes and returns the session with this `Session` string or extra key (an SRP SECRET_BLOCK). */
  take(idOrKey: string): AuthSession | undefined;
  /** How many sessions it holds (tests check that expiry frees them). */
  size(): number;
}

/**
 * How long an expired session is still known, so answering it late says "session is expired"
 * rather than naming nothing; then it is forgotten, so unanswered sign-ins do not pile up.
 */
const expiredKeptMs = 15 * 60 * 1000;
/** Emulator time between two sweeps of expired sessions. */
const sweepEveryMs = 60 * 1000;

/**
 * Creates the store behind the `Session` strings of challenge answers, so MFA and
 * new-password challenges can join PASSWORD_VERIFIER later.
 *
 * @example
 * const session = sessions.open({ challengeName: "PASSWORD_VERIFIER", username, data, key: secretBlock });
 */
export function createAuthSessionStore(clock: EmulatorClock): AuthSessionStore {
  const sessions = new Map<string, { session: AuthSession; key: string | undefined }>();
  const keys = new Map<string, string>();
  let nextSweepAt = clock.now() + sweepEveryMs;
  const remove = (id: string) => {
    const entry = sessions.get(id);
    sessions.delete(id);
    if (entry?.key !== undefined) keys.delete(entry.key);
    return entry?.session;
  };
  const sweep = (now: number) => {
    if (now < nextSweepAt) return;
    nextSweepAt = now + sweepEveryMs;
    for (const [id, { session }] of sessions) if (now >= session.expiresAt + expiredKeptMs) remove(id);
  };
  return {
    open({ challengeName, username, data, key }) {
      const now = clock.now();
      sweep(now);
      const session = { id: createOpaqueToken(192), challengeName, username, data, expiresAt: now + authSessionLifetimeMs };
      sessions.set(session.id, { session, key });
      if (key !== undefined) keys.set(key, session.id);
      return session;
    },
    peek: (id) => sessions.get(id)?.session,
    peekKey(key) {
      const id = keys.get(key);
      return id === undefined ? undefined : sessions.get(id)?.session;
    },
    take: (idOrKey) => remove(keys.get(idOrKey) ?? idOrKey),
    size: () => sessions.size,
  };
}
