import { AuthError } from "@cogkit/core";
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from "jose";

/** Claims every Cognito user pool token carries. */
interface CognitoTokenClaimsBase {
  sub: string;
  iss: string;
  exp: number;
  iat: number;
  auth_time: number;
  "cognito:groups"?: string[];
  /** Any other claim (custom attributes, claims added by a pre-token-generation trigger). */
  [claim: string]: unknown;
}

/** The claims of a Cognito ID token (`token_use: "id"`). */
export interface CognitoIdTokenClaims extends CognitoTokenClaimsBase {
  token_use: "id";
  /** The app client id. */
  aud: string;
  "cognito:username": string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
}

/** The claims of a Cognito access token (`token_use: "access"`): `client_id` instead of `aud`. */
export interface CognitoAccessTokenClaims extends CognitoTokenClaimsBase {
  token_use: "access";
  client_id: string;
  username: string;
  scope: string;
  jti?: string;
}

/** Which token {@link verifyToken} expects. */
export type TokenUse = "id" | "access";

/** The claims {@link verifyToken} returns for a `tokenUse`. */
export type CognitoTokenClaims<U extends TokenUse = TokenUse> = U extends "id" ? CognitoIdTokenClaims : CognitoAccessTokenClaims;

/** Options of {@link verifyToken}. */
export interface VerifyTokenOptions<U extends TokenUse = TokenUse> {
  /** `<region>_<id>`; names the issuer `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  userPoolId: string;
  /** The app client id(s) the token must be for: `aud` of an ID token, `client_id` of an access token. */
  clientId: string | readonly string[];
  tokenUse: U;
  /** Another issuer, e.g. the emulator's `<url>/<userPoolId>`. */
  issuer?: string;
  /** Where the signing keys are; `<issuer>/.well-known/jwks.json` by default. */
  jwksUri?: string;
  /** Leeway for `exp`, `iat` and `nbf`, in seconds; default 5. */
  clockToleranceSeconds?: number;
  /** The time to check `exp` against; the system clock by default (the emulator's clock in tests). */
  clock?: { now(): number };
}

// One key set per JWKS URL for the life of the process: keys are fetched once, kept ten
// minutes, and fetched again when a token names an unknown `kid` — at most once every 30 s
// (jose's cooldown), so a flood of forged `kid`s cannot turn into a flood of requests.
const keySets = new Map<string, JWTVerifyGetKey>();

function keySetFor(uri: string): JWTVerifyGetKey {
  let keySet = keySets.get(uri);
  if (!keySet) keySets.set(uri, (keySet = createRemoteJWKSet(new URL(uri))));
  return keySet;
}

/**
 * Verifies a Cognito user pool token and returns its claims: an RS256 signature by a key of
 * the pool's JWKS (fetched once and cached, fetched again on an unknown `kid`), `iss`,
 * `token_use`, the app client (`aud` for ID tokens, `client_id` for access tokens) and `exp`
 * with a few seconds of tolerance. Any other algorithm — `none`, HS256 — is refused before a
 * key is looked up. Rejects with `ERR_TOKEN_EXPIRED` for an expired token, `ERR_TOKEN_INVALID`
 * for any other failed check (the message names it), and `ERR_NETWORK` when the keys could
 * not be fetched.
 *
 * @example
 * const claims = await verifyToken(bearer, { userPoolId: "eu-west-1_abc", clientId: "1example", tokenUse: "access" });
 * console.log(claims.username, claims.scope);
 */
export async function verifyToken<U extends TokenUse>(token: string, options: VerifyTokenOptions<U>): Promise<CognitoTokenClaims<U>> {
  if (typeof token !== "string") throw new TypeError("verifyToken: `token` must be a string");
  const { userPoolId, tokenUse } = options ?? ({} as VerifyTokenOptions<U>);
  if (typeof userPoolId !== "string" || !/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) {
    throw new TypeError("verifyToken: `userPoolId` must look like <region>_<id>");
  }
  if (tokenUse !== "id" && tokenUse !== "access") throw new TypeError('verifyToken: `tokenUse` must be "id" or "access"');
  const clientIds: readonly string[] = typeof options.clientId === "string" ? [options.clientId] : (options.clientId ?? []);
  if (clientIds.length === 0 || clientIds.some((id) => typeof id !== "string" || id === "")) {
    throw new TypeError("verifyToken: `clientId` must be a non-empty string or list of them");
  }
  const region = userPoolId.slice(0, userPoolId.indexOf("_"));
  const issuer = options.issuer ?? `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const jwksUri = options.jwksUri ?? `${issuer}/.well-known/jwks.json`;

  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw invalid("The token is not a JWT", error);
  }
  // Checked before any key lookup: an HS256 token "signed" with the public key, or one with
  // no signature at all, must not reach the key set (nor trigger a refetch).
  if (header.alg !== "RS256") throw invalid(`The token's algorithm ${String(header.alg)} is not allowed (RS256 only)`);
  if (typeof header.kid !== "string") throw invalid("The token names no signing key (kid)");

  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keySetFor(jwksUri), {
      algorithms: ["RS256"],
      issuer,
      clockTolerance: options.clockToleranceSeconds ?? 5,
      requiredClaims: ["exp", "iat", "sub", "token_use"],
      ...(options.clock ? { currentDate: new Date(options.clock.now()) } : {}),
    }));
  } catch (error) {
    throw fromJose(error);
  }
  if (payload.token_use !== tokenUse) throw invalid(`The token's token_use is ${String(payload.token_use)}, not ${tokenUse}`);
  const client = tokenUse === "id" ? payload.aud : payload.client_id;
  if (typeof client !== "string" || !clientIds.includes(client)) {
    throw invalid(`The token's ${tokenUse === "id" ? "aud" : "client_id"} is not the expected app client`);
  }
  return payload as CognitoTokenClaims<U>;
}

function invalid(message: string, cause?: unknown): AuthError {
  return new AuthError("ERR_TOKEN_INVALID", message, cause === undefined ? {} : { cause });
}

function fromJose(error: unknown): AuthError {
  if (error instanceof errors.JWTExpired) return new AuthError("ERR_TOKEN_EXPIRED", "The token has expired", { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalid(`The token's ${error.claim} claim is not valid (${error.reason})`, error);
  }
  if (error instanceof errors.JWKSNoMatchingKey) return invalid("The token's signing key (kid) is not in the user pool's key set", error);
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid("The token's signature does not verify", error);
  if (error instanceof errors.JWKSTimeout) {
    return new AuthError("ERR_TIMEOUT", "Fetching the user pool's keys timed out", { cause: error, retryable: true });
  }
  if (error instanceof errors.JWKSInvalid) return new AuthError("ERR_BAD_RESPONSE", "The user pool's key set is not valid", { cause: error });
  if (error instanceof errors.JOSEError) {
    // jose's other failures are about the token (malformed, bad claims), except a failed key fetch.
    if (/JSON Web Key Set/.test(error.message)) {
      return new AuthError("ERR_BAD_RESPONSE", "The user pool's key set could not be read", { cause: error, retryable: true });
    }
    return invalid("The token is not valid", error);
  }
  // fetch itself failed: the keys are unreachable, the token may well be fine.
  return new AuthError("ERR_NETWORK", "The user pool's keys could not be fetched", { cause: error, retryable: true });
}
