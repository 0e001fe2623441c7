import { readJwtClaims } from "../jwt.js";

/**
 * The tokens of one signed-in session, with the times the session needs, all on the
 * *local* clock so the scheduler never mixes clocks.
 *
 * @example
 * const tokens = createSessionTokens({ idToken, accessToken, refreshToken }, clock.now());
 * const msLeft = tokens.expiresAt - clock.now();
 */
export interface SessionTokens {
  idToken: string;
  accessToken: string;
  /** Absent for sessions made without one (they end at `expiresAt`). */
  refreshToken?: string;
  /** Local time (ms) at which the tokens expire: the earliest `exp`, shifted by `clockDrift`. */
  expiresAt: number;
  /** Local time (ms) at which these tokens were received. */
  issuedAt: number;
  /** Local time minus server time (ms), measured from the access token's `iat` at receipt. */
  clockDrift: number;
}

/** What Cognito answers to a sign-in or a refresh, in the shape the session needs. */
export interface TokenGrant {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** Seconds, as in `AuthenticationResult.ExpiresIn`; used when the tokens carry no `exp`. */
  expiresIn?: number;
}

/**
 * Turns a grant received at local time `now` into {@link SessionTokens}.
 *
 * Drift is `now - iat * 1000`: a device whose clock runs 10 minutes fast sees a drift of
 * +10 minutes, and `expiresAt = exp * 1000 + drift` is 10 minutes later on its clock, which
 * is when the token really expires there. `iat` has one-second resolution and the answer spent some time on
 * the wire, so `expiresAt` may be up to about a second plus the latency late; the 60-second
 * floor of the refresh margin absorbs that.
 *
 * @example
 * const tokens = createSessionTokens({ idToken, accessToken, refreshToken, expiresIn: 3600 }, clock.now());
 */
export function createSessionTokens(grant: TokenGrant, now: number): SessionTokens {
  const { idToken, accessToken, refreshToken, expiresIn } = grant;
  const access = readJwtClaims(accessToken);
  const id = readJwtClaims(idToken);
  // Claims that are not numbers are ignored; the access token's `iat` comes first.
  const iat = [access?.iat, id?.iat].find(Number.isFinite);
  const clockDrift = iat === undefined ? 0 : now - iat * 1000;
  // The earlier expiry; Infinity when neither token has one.
  const exp = Math.min(...([access?.exp, id?.exp].filter(Number.isFinite) as number[]));
  // Without `exp` (tokens that are not JWTs): `expiresIn`, else Cognito's default hour.
  const expiresAt =
    exp < Infinity ? exp * 1000 + clockDrift : now + (Number.isFinite(expiresIn) ? expiresIn! : 3600) * 1000;
  const tokens: SessionTokens = { idToken, accessToken, expiresAt, issuedAt: now, clockDrift };
  if (refreshToken !== undefined) tokens.refreshToken = refreshToken;
  return tokens;
}

/**
 * True when `candidate` is a later session than `current`: received later, or at the same
 * millisecond with a different access token (ties broken by comparing the tokens, so two
 * tabs holding the pair agree on one winner instead of swapping forever).
 */
export function isNewerSession(candidate: SessionTokens, current: SessionTokens): boolean {
  if (candidate.accessToken === current.accessToken && candidate.refreshToken === current.refreshToken) {
    return false;
  }
  if (candidate.issuedAt !== current.issuedAt) return candidate.issuedAt > current.issuedAt;
  return `${candidate.accessToken} ${candidate.refreshToken}` > `${current.accessToken} ${current.refreshToken}`;
}
