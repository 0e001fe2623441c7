import { readJwtClaims } from "./session/jwt-claims.js";

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
  toString(): string;
}

/**
 * Decodes a JWT's payload without verifying it: the tokens come straight from Cognito over
 * TLS, and verification (with jose) belongs on servers that receive tokens from others.
 * Throws `TypeError` when the text is not a JWT with a JSON object payload.
 *
 * @example
 * const { payload } = decodeJwt(jwt); // payload.email
 */
export function decodeJwt(jwt: string): JwtToken {
  const payload = readJwtClaims(jwt);
  if (payload === null) throw new TypeError("Not a JWT");
  return { jwt, payload, toString: () => jwt };
}
