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

/**
 * Creates the refresh-token table. Tokens are opaque random strings, never JWTs.
 *
 * @example
 * const store = createRefreshTokenStore(clock);
 * const { refreshToken } = store.open({ username, clientId, authTime, lifetimeSeconds: 3600 });
 */
export function createRefreshTokenStore(clock: EmulatorClock): RefreshTokenStore {
  const tokens = new Map<string, StoredRefreshToken>();
  const families = new Map<string, TokenFamily>();
  const issue = (family: TokenFamily, lifetimeSeconds: number) => {
    const token = createOpaqueToken(96);
    tokens.set(token, { family, expiresAt: clock.now() + lifetimeSeconds * 1000 });
    return token;
  };
  return {
    open({ username, clientId, authTime, lifetimeSeconds, scopes, deviceKey }) {
      const family: TokenFamily = {
        originJti: createUuid(),
        username,
        clientId,
        authTime,
        revoked: false,
        ...(scopes ? { scopes } : {}),
        ...(deviceKey ? { deviceKey } : {}),
      };
      families.set(family.originJti, family);
      return { family, refreshToken: issue(family, lifetimeSeconds) };
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
      if (!stored) throw new Error("rotate() of an unknown refresh token");
      stored.retiredAt ??= clock.now();
      return issue(stored.family, lifetimeSeconds);
    },
    familyOf: (refreshToken) => tokens.get(refreshToken)?.family,
    byOrigin: (originJti) => families.get(originJti),
    revokeUser(username) {
      for (const family of families.values()) if (family.username === username) family.revoked = true;
    },
    snapshot: () => ({
      families: [...families.values()],
      tokens: [...tokens].map(([token, { family, expiresAt, retiredAt }]) => ({ token, originJti: family.originJti, expiresAt, ...(retiredAt !== undefined ? { retiredAt } : {}) })),
    }),
    restore(saved) {
      for (const family of saved.families) families.set(family.originJti, family);
      for (const { token, originJti, expiresAt, retiredAt } of saved.tokens) {
        const family = families.get(originJti);
        if (family) tokens.set(token, { family, expiresAt, ...(retiredAt !== undefined ? { retiredAt } : {}) });
      }
    },
  };
}
