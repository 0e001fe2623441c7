import { fromBase64 } from "./encoding.js";
import { isRecord } from "./is-record.js";

/** The claims of a Cognito JWT; `cognito:groups`, `custom:*` and the rest as they come. */
export interface JwtPayload {
  sub?: string;
  iss?: string;
  exp?: number;
  iat?: number;
  token_use?: "id" | "access";
  [claim: string]: unknown;
}

/** A JWT as received plus its decoded (not verified) payload. `String(token)` is the JWT. */
export interface JwtToken {
  readonly jwt: string;
  readonly payload: JwtPayload;
  /** The JWT itself, so a token can go straight into a template string or a header. */
  toString(): string;
}

/**
 * Reads the payload of a JWT without verifying it: the tokens come straight from Cognito
 * over TLS, and verification belongs on servers that receive tokens from others
 * (`verifyToken` in `@cogkit/node`). Returns `null` for anything that is not a readable
 * JWT with a JSON object payload; never throws. The one JWT decoder of core.
 *
 * @example
 * const claims = readJwtClaims(accessToken); // { iat: 1700000000, exp: 1700003600, ... }
 */
export function readJwtClaims(token: string): JwtPayload | null {
  try {
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    const payload: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64(parts[1]!)));
    return isRecord(payload) ? payload : null;
  } catch {
    return null;
  }
}

/** A {@link JwtToken} for a JWT (an empty payload when it cannot be read). */
export function jwtToken(jwt: string): JwtToken {
  return { jwt, payload: readJwtClaims(jwt) ?? {}, toString: () => jwt };
}
