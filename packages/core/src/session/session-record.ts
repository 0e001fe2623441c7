import { isRecord } from "../is-record.js";
import type { SessionTokens } from "./session-tokens.js";

/**
 * Why a stored value could not be read as a session.
 *
 * @example
 * client.subscribe((e) => e.type === "storageWarning" && e.problem === "corrupt" && report("session record dropped"));
 */
export type SessionRecordProblem = "corrupt" | "unknownVersion";

/** The outcome of {@link decodeSessionRecord}: a session, or none (and why, if it was unreadable). */
export interface DecodedSessionRecord {
  tokens: SessionTokens | null;
  /** Set when something was stored but could not be used; the caller removes it and warns. */
  problem?: SessionRecordProblem;
  /** When the record was written (local ms), for a readable record. */
  savedAt?: number;
}

/** The version this build writes. Readers treat any other `v` as `unknownVersion`. */
export const sessionRecordVersion = 1;

/**
 * The one storage key of a client's session. All tokens live in one record under it, so a
 * reader never sees the id token of one session next to the refresh token of another.
 *
 * @example
 * sessionRecordKey("3n4b5urk1ft4fl3mg5e62d9ado") // "cogkit.3n4b5urk1ft4fl3mg5e62d9ado.session"
 */
export function sessionRecordKey(clientId: string): string {
  return `cogkit.${clientId}.session`;
}

/**
 * Serialises a session as one versioned JSON record, to be written whole.
 *
 * @example
 * await storage.setItem(sessionRecordKey(clientId), encodeSessionRecord(tokens, clock.now()));
 */
export function encodeSessionRecord(tokens: SessionTokens, savedAt: number): string {
  const { idToken, accessToken, refreshToken, expiresAt, issuedAt, clockDrift } = tokens;
  return JSON.stringify({ v: sessionRecordVersion, idToken, accessToken, refreshToken, expiresAt, issuedAt, clockDrift, savedAt });
}

/**
 * Reads whatever is stored under the session key. Never throws: nothing stored is a plain
 * signed-out result; anything unreadable is signed out with a `problem`.
 *
 * @example
 * const { tokens, problem } = decodeSessionRecord(await storage.getItem(key));
 * if (problem) await storage.removeItem(key);
 */
export function decodeSessionRecord(raw: unknown): DecodedSessionRecord {
  if (raw == null) return { tokens: null };
  let record: any;
  try {
    // Anything but a string (or a string of no JSON object) fails here or below as corrupt.
    record = typeof raw === "string" && JSON.parse(raw);
  } catch {}
  if (!isRecord(record) || !("v" in record)) return { tokens: null, problem: "corrupt" };
  if (record.v !== sessionRecordVersion) return { tokens: null, problem: "unknownVersion" };
  const { idToken, accessToken, refreshToken, expiresAt, issuedAt, clockDrift, savedAt } = record;
  const valid =
    [idToken, accessToken, refreshToken === undefined ? "-" : refreshToken].every((token) => typeof token === "string" && token !== "") &&
    [expiresAt, issuedAt, savedAt, clockDrift].every((time, i) => Number.isFinite(time) && (i > 2 || time >= 0));
  if (!valid) return { tokens: null, problem: "corrupt" };
  const tokens: SessionTokens = { idToken, accessToken, expiresAt, issuedAt, clockDrift };
  if (refreshToken !== undefined) tokens.refreshToken = refreshToken;
  return { tokens, savedAt };
}
