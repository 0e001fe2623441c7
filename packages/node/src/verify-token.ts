import { AuthError, isAuthError } from "@cogkit/core";
import { base64url, decodeProtectedHeader, errors, importJWK, type JWK, jwtVerify } from "jose";

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
  /**
   * Where the signing keys are; `<issuer>/.well-known/jwks.json` by default. An https URL
   * (http only on localhost / 127.0.0.1 / ::1, for emulators); anything else is a `TypeError`.
   */
  jwksUri?: string;
  /** Leeway for `exp`, `iat` and `nbf`, in seconds; default 5. */
  clockToleranceSeconds?: number;
  /**
   * The time to check `exp` against, and by which the key cache ages (10 minutes) and cools
   * down (30 s); the system clock by default (the emulator's or a test clock in tests).
   */
  clock?: {
    /** The current time in ms since the epoch, like `Date.now()`. */
    now(): number;
  };
}

/** Past this age, keys are fetched again — in the background, while they go on serving. */
const keysMaxAgeMs = 10 * 60_000;
/** After a fetch (failed or not), no other for this long, so forged `kid`s or an outage cannot cause a request storm. */
const fetchCooldownMs = 30_000;
const fetchTimeoutMs = 5_000;

/** A key of the set: usable, or an RSA key too short to trust (kept to say so). */
type KnownKey = { key: CryptoKey | Uint8Array } | { weakBits: number };

/** What is known about one JWKS URL, for the life of the process. */
interface KeySet {
  keys: Map<string, KnownKey> | undefined;
  /** Clock time at which the keys held were fetched. */
  fetchedAt: number;
  /** Clock time of the last fetch, successful or not: the cooldown runs from it. */
  attemptedAt: number;
  /** Why the last attempt failed; cleared by a successful one. */
  failure: AuthError | undefined;
  /** The fetch in flight, shared by every caller; it never rejects. */
  inflight: Promise<void> | undefined;
}

const keySets = new Map<string, KeySet>();

/**
 * The key a token's `kid` names. Known keys serve at once, however old and whatever the
 * endpoint's state: keys that outlive ten minutes are fetched again in the background, and
 * a failure there only starts a cooldown. Only an unknown `kid` waits for a fetch — the one
 * in flight, or a new one once the cooldown since the last attempt is over.
 */
async function keyFor(uri: string, kid: string, now: () => number): Promise<CryptoKey | Uint8Array> {
  let set = keySets.get(uri);
  if (!set) keySets.set(uri, (set = { keys: undefined, fetchedAt: -Infinity, attemptedAt: -Infinity, failure: undefined, inflight: undefined }));
  const coolingDown = now() - set.attemptedAt < fetchCooldownMs;
  let known = set.keys?.get(kid);
  if (!known) {
    if (set.inflight) await set.inflight;
    else if (!coolingDown) await refetch(set, uri, now);
    known = set.keys?.get(kid);
    if (!known) {
      // Unreachable keys may well hold this kid: a retryable failure, not an invalid token.
      const { failure } = set;
      if (failure) throw new AuthError(failure.code, failure.message, { cause: failure, retryable: failure.retryable, status: failure.status });
      throw invalid("The token's signing key (kid) is not in the user pool's key set");
    }
  } else if (now() - set.fetchedAt >= keysMaxAgeMs && !coolingDown && !set.inflight) {
    void refetch(set, uri, now);
  }
  if ("weakBits" in known) throw invalid(`The token's signing key is a ${known.weakBits}-bit RSA key; at least 2048 bits are required`);
  return known.key;
}

function refetch(set: KeySet, uri: string, now: () => number): Promise<void> {
  const startedAt = (set.attemptedAt = now());
  set.inflight = fetchKeys(uri)
    .then(
      (keys) => {
        set.keys = keys;
        set.fetchedAt = startedAt;
        set.failure = undefined;
      },
      (error: AuthError) => {
        set.failure = error;
      },
    )
    .finally(() => (set.inflight = undefined));
  return set.inflight;
}

async function fetchKeys(uri: string): Promise<Map<string, KnownKey>> {
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(uri, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(fetchTimeoutMs) });
  } catch (error) {
    if ((error as Error)?.name === "TimeoutError") {
      throw new AuthError("ERR_TIMEOUT", "Fetching the user pool's keys timed out", { cause: error, retryable: true });
    }
    // No answer: the keys are unreachable, the token may well be fine.
    throw new AuthError("ERR_NETWORK", "The user pool's keys could not be fetched", { cause: error, retryable: true });
  }
  const { status } = response;
  try {
    body = response.ok ? await response.json() : undefined;
  } catch (error) {
    throw new AuthError("ERR_BAD_RESPONSE", "The user pool's key set could not be read", { cause: error, status, retryable: true });
  }
  if (!response.ok) {
    throw new AuthError("ERR_BAD_RESPONSE", `The user pool's keys could not be fetched (HTTP ${status})`, { status, retryable: status >= 500 });
  }
  const jwks = body as { keys?: unknown } | null;
  if (typeof jwks !== "object" || jwks === null || !Array.isArray(jwks.keys)) {
    throw new AuthError("ERR_BAD_RESPONSE", "The user pool's key set is not valid", { status });
  }
  const keys = new Map<string, KnownKey>();
  for (const jwk of jwks.keys as Array<Record<string, unknown> | null>) {
    // Only RSA signing keys for RS256 count; anything else in the set is ignored.
    if (typeof jwk?.kid !== "string" || jwk.kty !== "RSA" || (jwk.use ?? "sig") !== "sig" || (jwk.alg ?? "RS256") !== "RS256") continue;
    const bits = modulusBits(jwk.n);
    if (bits === undefined) continue;
    if (bits < 2048) {
      keys.set(jwk.kid, { weakBits: bits });
      continue;
    }
    try {
      keys.set(jwk.kid, { key: await importJWK(jwk as JWK, "RS256") });
    } catch {
      // A key that does not import is as good as absent.
    }
  }
  return keys;
}

/** The length in bits of a JWK's base64url modulus `n`, or undefined when it is not one. */
function modulusBits(n: unknown): number | undefined {
  if (typeof n !== "string") return undefined;
  let bytes: Uint8Array;
  try {
    bytes = base64url.decode(n);
  } catch {
    return undefined;
  }
  const start = bytes.findIndex((byte) => byte !== 0);
  return start < 0 ? 0 : (bytes.length - start) * 8 - (Math.clz32(bytes[start]!) - 24);
}

/**
 * Throws a `TypeError` naming `option` unless `uri` is an https URL, or http on a loopback
 * host (an emulator on this machine). Keys fetched in the clear from elsewhere could be
 * anyone's; credentials in the URL would be sent with every fetch. The URL itself is never
 * echoed: it may hold such credentials.
 */
function checkKeysUrl(uri: string, option: string): void {
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    // Not a URL at all: refused below.
  }
  const loopback = url !== undefined && /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname);
  if (!url || !(url.protocol === "https:" || (url.protocol === "http:" && loopback)) || url.username || url.password) {
    throw new TypeError(`verifyToken: \`${option}\` must be an https URL without credentials (http only on localhost, 127.0.0.1 or ::1)`);
  }
}

/**
 * Verifies a Cognito user pool token and returns its claims: an RS256 signature by a key of
 * the pool's JWKS, `iss`, `token_use`, the app client (`aud` for ID tokens, `client_id` for
 * access tokens) and `exp` with a few seconds of tolerance. Any other algorithm — `none`,
 * HS256 — is refused before a key is looked up.
 *
 * Keys are fetched once per JWKS URL and kept for the life of the process. A known `kid` is
 * served from memory, also while the endpoint is down; keys older than ten minutes are
 * fetched again in the background. An unknown `kid` fetches the keys again, at most once
 * per 30 s (after a failed fetch too), so neither forged `kid`s nor an outage turn into a
 * flood of requests.
 *
 * Rejects with `ERR_TOKEN_EXPIRED` for an expired token; `ERR_TOKEN_INVALID` for any other
 * failed check, a signing key under 2048 bits included (the message names it);
 * `ERR_NETWORK` / `ERR_TIMEOUT` (retryable) when keys the token needs could not be fetched;
 * `ERR_BAD_RESPONSE` when the endpoint answered something that is not a key set; and a
 * `TypeError` for misuse: a bad option, or a `jwksUri` (or `issuer`) that is not an https URL.
 *
 * @example
 * const claims = await verifyToken(bearer, { userPoolId: "eu-west-1_abc", clientId: "1example", tokenUse: "access" });
 * console.log(claims.username, claims.scope);
 */
export async function verifyToken<U extends TokenUse>(token: string, options: VerifyTokenOptions<U>): Promise<CognitoTokenClaims<U>> {
  if (typeof token !== "string") throw new TypeError("verifyToken: `token` must be a string");
  const { userPoolId, tokenUse, clock } = options ?? ({} as VerifyTokenOptions<U>);
  if (typeof userPoolId !== "string" || !/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) {
    throw new TypeError("verifyToken: `userPoolId` must look like <region>_<id>");
  }
  if (tokenUse !== "id" && tokenUse !== "access") throw new TypeError('verifyToken: `tokenUse` must be "id" or "access"');
  const clientIds: readonly string[] = typeof options.clientId === "string" ? [options.clientId] : (options.clientId ?? []);
  if (clientIds.length === 0 || clientIds.some((id) => typeof id !== "string" || id === "")) {
    throw new TypeError("verifyToken: `clientId` must be a non-empty string or list of them");
  }
  if (clock !== undefined && typeof clock?.now !== "function") throw new TypeError("verifyToken: `clock` must have a now() method");
  for (const name of ["issuer", "jwksUri"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "string") throw new TypeError(`verifyToken: \`${name}\` must be a string`);
  }
  const region = userPoolId.slice(0, userPoolId.indexOf("_"));
  const issuer = options.issuer ?? `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const jwksUri = options.jwksUri ?? `${issuer}/.well-known/jwks.json`;
  checkKeysUrl(jwksUri, options.jwksUri === undefined ? "issuer" : "jwksUri");
  const now = clock ? () => clock.now() : Date.now;

  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw invalid("The token is not a JWT", error);
  }
  // Checked before any key lookup: an HS256 token "signed" with the public key, or one with
  // no signature at all, must not reach the key set (nor trigger a refetch).
  if (header.alg !== "RS256") throw invalid(`The token's algorithm ${String(header.alg)} is not allowed (RS256 only)`);
  const { kid } = header;
  if (typeof kid !== "string") throw invalid("The token names no signing key (kid)");

  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, () => keyFor(jwksUri, kid, now), {
      algorithms: ["RS256"],
      issuer,
      clockTolerance: options.clockToleranceSeconds ?? 5,
      requiredClaims: ["exp", "iat", "sub", "token_use"],
      currentDate: new Date(now()),
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
  // The key lookup's own failures (keys unreachable, unknown or weak kid) are already AuthErrors.
  if (isAuthError(error)) return error;
  if (error instanceof errors.JWTExpired) return new AuthError("ERR_TOKEN_EXPIRED", "The token has expired", { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalid(`The token's ${error.claim} claim is not valid (${error.reason})`, error);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid("The token's signature does not verify", error);
  // Anything else jose refuses (a malformed token, a key that does not fit it) is about the
  // token: the network is behind us by now.
  return invalid("The token is not valid", error);
}
