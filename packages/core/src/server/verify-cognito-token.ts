import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import type { AuthConfig } from "../config.js";
import { AuthError } from "../errors.js";

/**
 * Options of {@link verifyCognitoToken}.
 *
 * @example
 * const options: VerifyCognitoTokenOptions = { tokenUse: "access", clock: { now: () => Date.now() } };
 */
export interface VerifyCognitoTokenOptions {
  /** Which token this must be: `token_use` of an id token is `"id"`, of an access token `"access"`. */
  tokenUse: "id" | "access";
  /** The time to check `exp` against; the system clock by default. */
  clock?: {
    /** Milliseconds since the epoch. */
    now(): number;
  };
  /** Leeway for `exp` and `iat`, in seconds; default 5. */
  clockToleranceSeconds?: number;
}

type PoolConfig = Pick<AuthConfig, "region" | "userPoolId" | "userPoolClientId" | "userPoolEndpoint">;

// One key set per JWKS URL for the life of the process: jose caches the keys and refetches
// (with a cooldown) only for an unknown `kid`.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * The user pool's issuer: `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`, or
 * `<userPoolEndpoint>/<userPoolId>` where the config points at an emulator.
 *
 * @example
 * issuerOf({ region: "eu-west-1", userPoolId: "eu-west-1_abc" }) // "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"
 */
export function issuerOf(config: Pick<AuthConfig, "region" | "userPoolId" | "userPoolEndpoint">): string {
  const base = config.userPoolEndpoint?.replace(/\/+$/, "") ?? `https://cognito-idp.${config.region}.amazonaws.com`;
  return `${base}/${config.userPoolId}`;
}

/**
 * Verifies a Cognito id or access token with Web APIs only (WebCrypto, `fetch`), so it runs in
 * edge middleware as in Node: the signature against the pool's JWKS (`<issuer>/.well-known/jwks.json`,
 * cached per process), `iss`, `token_use`, the app client (`aud` of an id token, `client_id`
 * of an access token) and `exp`. Resolves to the claims; rejects with `ERR_TOKEN_EXPIRED` or
 * `ERR_TOKEN_INVALID` (a retryable `ERR_NETWORK` when the keys cannot be fetched).
 *
 * @example
 * const claims = await verifyCognitoToken(config, accessToken, { tokenUse: "access" });
 * claims.sub; // the user
 */
export async function verifyCognitoToken(config: PoolConfig, token: string, options: VerifyCognitoTokenOptions): Promise<JWTPayload> {
  const { tokenUse, clock, clockToleranceSeconds = 5 } = options;
  if (tokenUse !== "id" && tokenUse !== "access") throw new TypeError('verifyCognitoToken: tokenUse must be "id" or "access"');
  if (typeof token !== "string" || token === "") throw new AuthError("ERR_TOKEN_INVALID", "No token to verify");
  const issuer = issuerOf(config);
  let keys = keySets.get(issuer);
  if (!keys) keySets.set(issuer, (keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`))));
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer,
      algorithms: ["RS256"],
      clockTolerance: clockToleranceSeconds,
      ...(clock ? { currentDate: new Date(clock.now()) } : {}),
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new AuthError("ERR_TOKEN_EXPIRED", "The token has expired", { cause: error });
    if (error instanceof errors.JWKSTimeout || (error instanceof TypeError && !(error instanceof errors.JOSEError))) {
      throw new AuthError("ERR_NETWORK", "The user pool's signing keys could not be fetched", { cause: error, retryable: true });
    }
    throw new AuthError("ERR_TOKEN_INVALID", "The token is not a valid token of this user pool", { cause: error });
  }
  const client = tokenUse === "id" ? payload.aud : payload.client_id;
  if (payload.token_use !== tokenUse) throw new AuthError("ERR_TOKEN_INVALID", `The token is not an ${tokenUse} token`);
  if (client !== config.userPoolClientId) throw new AuthError("ERR_TOKEN_INVALID", "The token is for another app client");
  return payload;
}
