import type { SessionTokens } from "./session-tokens.js";

/** How early the session refreshes and how it backs off after a transient failure. */
export interface RefreshPolicy {
  /** Refresh this long before expiry (default 5 minutes), shrunk for short-lived tokens. */
  marginMs: number;
  /** Never refresh later than this before expiry when the lifetime allows it (default 60 s). */
  minMarginMs: number;
  /** First retry delay after a transient failure (default 1 s), doubled per failure. */
  retryBaseMs: number;
  /** Longest retry delay (default 60 s). */
  retryMaxMs: number;
  /**
   * Where the proactive refresh falls between the margin and `minMarginMs` before expiry, in
   * [0, 1); 0 (the default) refreshes at the margin. Tabs that share a session but no lock
   * draw it at random, so one refreshes first and the others adopt its session.
   */
  stagger?: number;
}

/** The defaults described on {@link RefreshPolicy}. */
export const defaultRefreshPolicy: RefreshPolicy = {
  marginMs: 5 * 60_000,
  minMarginMs: 60_000,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
};

/**
 * The local time at which `tokens` should be refreshed.
 *
 * The rule, with `lifetime = expiresAt - issuedAt`:
 * 1. `margin = min(policy.marginMs, lifetime / 4)` — a 5-minute margin on a 5-minute token
 *    would refresh it at once, so short-lived tokens keep at least 3/4 of their life;
 * 2. `margin = max(margin, policy.minMarginMs)` — never later than 60 s before expiry,
 *    which also absorbs the second-resolution `iat` and the network latency;
 * 3. `margin = min(margin, lifetime / 2)` — except for tokens living under two minutes
 *    (test pools), which refresh at half-life rather than continuously;
 * 4. `margin -= (margin - minMarginMs) * stagger` when that is positive — a later moment in
 *    the window, never past the 60 s floor.
 *
 * @example
 * refreshAtFor(tokens) // 1h token: expiresAt - 5 min; 5 min token: expiresAt - 75 s
 * refreshAtFor(tokens, { ...defaultRefreshPolicy, stagger: 0.5 }) // 1h token: expiresAt - 3 min
 */
export function refreshAtFor(tokens: SessionTokens, policy: RefreshPolicy = defaultRefreshPolicy): number {
  const lifetime = Math.max(0, tokens.expiresAt - tokens.issuedAt);
  let margin = Math.min(policy.marginMs, lifetime / 4);
  margin = Math.max(margin, policy.minMarginMs);
  margin = Math.min(margin, lifetime / 2);
  margin -= Math.max(0, margin - policy.minMarginMs) * (policy.stagger ?? 0);
  return Math.floor(tokens.expiresAt - margin);
}

/**
 * Delay before retry number `failures` (1 for the first): exponential from `retryBaseMs`,
 * capped at `retryMaxMs`, with "equal jitter" — half fixed, half scaled by `random` in
 * [0, 1) — so tabs that failed together do not retry together, yet never retry at once.
 *
 * @example
 * retryDelayFor(1, 0.5) // 750 ms; retryDelayFor(10, 0.5) // 45 s
 */
export function retryDelayFor(failures: number, random: number, policy: RefreshPolicy = defaultRefreshPolicy): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceiling = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** exponent);
  const unit = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0.5;
  return Math.round(ceiling / 2 + (ceiling / 2) * unit);
}
