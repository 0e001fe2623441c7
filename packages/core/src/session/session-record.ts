import type { SessionTokens } from "./session-tokens.js";

/** Why a stored value could not be read as a session. */
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
  return JSON.stringify({
    v: sessionRecordVersion,
    idToken: tokens.idToken,
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken === undefined ? {} : { refreshToken: tokens.refreshToken }),
    expiresAt: tokens.expiresAt,
    issuedAt: tokens.issuedAt,
    clockDrift: tokens.clockDrift,
    savedAt,
  });
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
  if (raw === null || raw === undefined) return { tokens: null };
  if (typeof raw !== "string") return { tokens: null, problem: "corrupt" };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { tokens: null, problem: "corrupt" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { tokens: null, problem: "corrupt" };
  }
  const record = value as Record<string, unknown>;
  if (!("v" in record)) return { tokens: null, problem: "corrupt" };
  if (record.v !== sessionRecordVersion) return { tokens: null, problem: "unknownVersion" };
  const { idToken, accessToken, refreshToken, expiresAt, issuedAt, clockDrift, savedAt } = record;
  if (
    !isToken(idToken) ||
    !isToken(accessToken) ||
    (refreshToken !== undefined && !isToken(refreshToken)) ||
    !isTime(expiresAt) ||
    !isTime(issuedAt) ||
    !isFiniteNumber(clockDrift) ||
    !isTime(savedAt)
  ) {
    return { tokens: null, problem: "corrupt" };
  }
  const tokens: SessionTokens = { idToken, accessToken, expiresAt, issuedAt, clockDrift };
  if (refreshToken !== undefined) tokens.refreshToken = refreshToken;
  return { tokens, savedAt };
}

function isToken(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isTime(value: unknown): value is number {
  return isFiniteNumber(value) && value >= 0;
}
