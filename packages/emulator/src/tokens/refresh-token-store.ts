import { createOpaqueToken, createUuid } from "../ids.js";
import type { EmulatorClock } from "../control/emulator-clock.js";

/**
 * One sign-in and everything refreshed from it. Its `originJti` goes into every access
 * and ID token it issues, so revoking it revokes them all.
 */
export interface TokenFamily {
  originJti: string;
  username: string;
  clientId: string;
  /** Seconds since the epoch of the authentication (the tokens' `auth_time`). */
  authTime: number;
  revoked: boolean;
  /**
   * OAuth scopes granted at the hosted UI (`/oauth2/authorize`), kept by every refresh;
   * undefined for sign-ins through the API, whose access tokens carry
   * `aws.cognito.signin.user.admin`.
   */
  scopes?: readonly string[];
  /** The device the sign-in was on, when the pool tracks devices: refresh must name it. */
  deviceKey?: string;
}

interface StoredRefreshToken {
  family: TokenFamily;
  expiresAt: number;
  /** Set when rotation replaced it; it works until `retiredAt + grace`. */
  retiredAt?: number;
}

/** Why a refresh token is refused. */
export type RefreshTokenProblem = "invalid" | "expired" | "revoked" | "rotated";

/** The refresh tokens the pool has issued. */
export interface RefreshTokenStore {
  /** Starts a family at sign-in and returns its first refresh token. */
  open(input: { username: string; clientId: string; authTime: number; lifetimeSeconds: number; scopes?: readonly string[]; deviceKey?: string }): {
    family: TokenFamily;
    refreshToken: string;
  };
  /** Finds a usable token, or says why it is not. */
  use(refreshToken: string, graceSeconds: number): { family: TokenFamily } | { problem: RefreshTokenProblem };
  /** Retires a token and issues its successor in the same family. */
  rotate(refreshToken: string, lifetimeSeconds: number): string;
  familyOf(refreshToken: string): TokenFamily | undefined;
  byOrigin(originJti: string): TokenFamily | undefined;
  revokeUser(username: string): void;
  /** How many families and tokens it holds (tests check that expiry frees them). */
  size(): { families: number; tokens: number };
  /** Every family and token, for the state file (tokens name their family by `originJti`). */
  snapshot(): RefreshTokenSnapshot;
  /** Puts back what `snapshot()` returned, so refresh tokens issued before a restart still work. */
  restore(saved: RefreshTokenSnapshot): void;
}

/** The refresh-token table as plain data. */
export interface RefreshTokenSnapshot {
  families: TokenFamily[];
  tokens: Array<{ token: string; originJti: string; expiresAt: number; retiredAt?: number }>;
}

/** How long after its end a token or family is still known: Cognito's longest access-token life, one day. */
const defaultRetentionMs = 24 * 60 * 60 * 1000;
/** Emulator time between two sweeps of what has ended. */
const sweepEveryMs = 60 * 1000;

interface FamilyEntry {
  family: TokenFamily;
  tokens: Set<string>;
  /** When its newest refresh token expires. */
  lastExpiry: number;
  /** When the store first saw it revoked. */
  revokedAt?: number;
}

/**
 * Creates the refresh-token table. Tokens are opaque random strings, never JWTs.
 *
 * What has ended is forgotten, so memory does not grow with every sign-in: a family once its
 * last refresh token expired or once it was revoked, a token once it expired — each after
 * `retentionMs` more (default one day, the longest an access token lives), so access tokens
 * of a revoked family still answer "revoked" and an expired refresh token "expired" for as
 * long as a client may reasonably hold them; then they are unknown ("invalid"). Swept once a
 * minute of emulator time, when tokens are issued.
 *
 * @example
 * const store = createRefreshTokenStore(clock);
 * const { refreshToken } = store.open({ username, clientId, authTime, lifetimeSeconds: 3600 });
 */
export function createRefreshTokenStore(clock: EmulatorClock, options: { retentionMs?: number } = {}): RefreshTokenStore {
  const retentionMs = options.retentionMs ?? defaultRetentionMs;
  const tokens = new Map<string, StoredRefreshToken>();
  const families = new Map<string, FamilyEntry>();
  const byUser = new Map<string, Set<FamilyEntry>>();
  let nextSweepAt = clock.now() + sweepEveryMs;

  const forget = (entry: FamilyEntry) => {
    families.delete(entry.family.originJti);
    for (const token of entry.tokens) tokens.delete(token);
    const ofUser = byUser.get(entry.family.username);
    ofUser?.delete(entry);
    if (ofUser?.size === 0) byUser.delete(entry.family.username);
  };
  const sweep = (now: number) => {
    if (now < nextSweepAt) return;
    nextSweepAt = now + sweepEveryMs;
    for (const entry of families.values()) {
      // Revoked from outside (RevokeToken sets the flag): the first sweep that sees it starts its clock.
      if (entry.family.revoked) entry.revokedAt ??= now;
      const end = entry.revokedAt ?? entry.lastExpiry;
      if (now >= end + retentionMs) {
        forget(entry);
        continue;
      }
      for (const token of entry.tokens) {
        if (now >= tokens.get(token)!.expiresAt + retentionMs) {
          tokens.delete(token);
          entry.tokens.delete(token);
        }
      }
    }
  };
  const track = (family: TokenFamily): FamilyEntry => {
    const entry: FamilyEntry = { family, tokens: new Set(), lastExpiry: 0 };
    families.set(family.originJti, entry);
    const ofUser = byUser.get(family.username);
    if (ofUser) ofUser.add(entry);
    else byUser.set(family.username, new Set([entry]));
    return entry;
  };
  const keep = (entry: FamilyEntry, token: string, stored: StoredRefreshToken) => {
    tokens.set(token, stored);
    entry.tokens.add(token);
    entry.lastExpiry = Math.max(entry.lastExpiry, stored.expiresAt);
  };
  const issue = (entry: FamilyEntry, lifetimeSeconds: number) => {
    const token = createOpaqueToken(96);
    keep(entry, token, { family: entry.family, expiresAt: clock.now() + lifetimeSeconds * 1000 });
    return token;
  };
  return {
    open({ username, clientId, authTime, lifetimeSeconds, scopes, deviceKey }) {
      sweep(clock.now());
      const family: TokenFamily = {
        originJti: createUuid(),
        username,
        clientId,
        authTime,
        revoked: false,
        ...(scopes ? { scopes } : {}),
        ...(deviceKey ? { deviceKey } : {}),
      };
      return { family, refreshToken: issue(track(family), lifetimeSeconds) };
    },
    use(refreshToken, graceSeconds) {
      const stored = tokens.get(refreshToken);
      if (!stored) return { problem: "invalid" };
      if (stored.family.revoked) return { problem: "revoked" };
      const now = clock.now();
      if (now >= stored.expiresAt) return { problem: "expired" };
      if (stored.retiredAt !== undefined && now >= stored.retiredAt + graceSeconds * 1000) return { problem: "rotated" };
      return { family: stored.family };
    },
    rotate(refreshToken, lifetimeSeconds) {
      const stored = tokens.get(refreshToken);
      const entry = stored && families.get(stored.family.originJti);
      if (!stored || !entry) throw new Error("rotate() of an unknown refresh token");
      stored.retiredAt ??= clock.now();
      sweep(clock.now());
      return issue(entry, lifetimeSeconds);
    },
    familyOf: (refreshToken) => tokens.get(refreshToken)?.family,
    byOrigin: (originJti) => families.get(originJti)?.family,
    revokeUser(username) {
      const now = clock.now();
      for (const entry of byUser.get(username) ?? []) {
        entry.family.revoked = true;
        entry.revokedAt ??= now;
      }
    },
    size: () => ({ families: families.size, tokens: tokens.size }),
    snapshot: () => ({
      families: [...families.values()].map((entry) => entry.family),
      tokens: [...tokens].map(([token, { family, expiresAt, retiredAt }]) => ({ token, originJti: family.originJti, expiresAt, ...(retiredAt !== undefined ? { retiredAt } : {}) })),
    }),
    restore(saved) {
      for (const family of saved.families) track(family);
      for (const { token, originJti, expiresAt, retiredAt } of saved.tokens) {
        const entry = families.get(originJti);
        if (entry) keep(entry, token, { family: entry.family, expiresAt, ...(retiredAt !== undefined ? { retiredAt } : {}) });
      }
    },
  };
}
