import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import type { AuthClient } from "../client.js";
import { clientContexts } from "../client-contexts.js";
import { deviceRecordKey, writeDevice } from "../devices/device-record.js";
import { readJwtClaims, type JwtPayload } from "../jwt.js";
import type { KeyValueStorage } from "../platform/types.js";
import { decodeSessionRecord, sessionRecordKey } from "../session/session-record.js";
import type { SessionTokens } from "../session/session-tokens.js";

/**
 * Options of {@link adoptAmplifySession}.
 *
 * @example
 * const options: AdoptAmplifySessionOptions = { storage: window.localStorage };
 */
export interface AdoptAmplifySessionOptions {
  /**
   * Where Amplify (or amazon-cognito-identity-js) kept its session: Amplify's default is
   * `localStorage`, as is cogkit's in a browser. The client's own storage by default; pass
   * the storage Amplify was configured with (`cognitoUserPoolsTokenProvider.setKeyValueStorage`,
   * `Storage` of `CognitoUserPool`) when it was another one.
   */
  storage?: KeyValueStorage;
}

/**
 * What {@link adoptAmplifySession} did. `adopted: false` leaves Amplify's keys where they
 * were, except with `alreadySignedIn`, whose reason is that cogkit holds a session already:
 * - `noSession`: Amplify kept no session for this app client;
 * - `alreadySignedIn`: the client has a session of its own, which is kept;
 * - `invalid`: what Amplify kept is incomplete, unreadable, for another app client or pool,
 *   or not signed by the pool: it is ignored (the user signs in again);
 * - `unverified`: the pool's signing keys could not be fetched (offline?); try again later.
 *
 * @example
 * const result: AdoptAmplifySessionResult = { adopted: true, username: "ana", device: false };
 */
export type AdoptAmplifySessionResult =
  | { adopted: true; username: string; device: boolean }
  | { adopted: false; reason: "noSession" | "alreadySignedIn" | "invalid" | "unverified" };

/** The key prefix Amplify v6 and amazon-cognito-identity-js share: `CognitoIdentityServiceProvider.<clientId>`. */
const prefixOf = (clientId: string) => `CognitoIdentityServiceProvider.${clientId}`;

/** The per-user keys both libraries write (`<prefix>.<username>.<name>`), all removed once adopted. */
const userKeyNames = [
  "idToken",
  "accessToken",
  "refreshToken",
  "clockDrift",
  "signInDetails",
  "oidcProvider",
  "oauthMetadata",
  "userData",
  "deviceKey",
  "deviceGroupKey",
  "randomPasswordKey",
] as const;

/**
 * Moves a user signed in with Amplify v6 (`aws-amplify/auth`) or amazon-cognito-identity-js
 * into this client, so that switching to cogkit signs nobody out. Call it once at start-up,
 * before rendering anything that depends on the session; it is cheap when there is nothing to
 * adopt (one storage read).
 *
 * It reads what those libraries keep under `CognitoIdentityServiceProvider.<clientId>.*` for
 * this app client (`LastAuthUser`, and that user's `idToken`, `accessToken`, `refreshToken`),
 * checks that both tokens are this pool's and this app client's (`iss`, `aud`, `client_id`,
 * `token_use`, the same `sub`) and signed by the pool (its JWKS, fetched with the platform's
 * `fetch`; expiry is not checked, an expired pair is refreshed), and hands them to the client's
 * session as a sign-in would: the one session record is written whole, other tabs and
 * `subscribe` listeners hear `signedIn`. A remembered device (`deviceKey`, `deviceGroupKey`,
 * `randomPasswordKey`) becomes the user's device record, which `trackDevices` uses. Only then
 * are Amplify's keys for this app client removed.
 *
 * Anything incomplete or wrong is ignored — the user is signed out, as with no session — and
 * it never rejects for it. Misuse (not a cogkit client) is a `TypeError`; a disposed client
 * rejects with `ERR_ABORTED`, as its own calls do.
 *
 * The stored `clockDrift` is not used (the two libraries write it in different units and
 * signs); the adopted session trusts the device clock until its first refresh measures the
 * drift again. Amplify's identity pool id (`CognitoIdentityId-*`) is not adopted: cogkit gets
 * one again on first `getCredentials`.
 *
 * A standalone function: apps that never used Amplify do not download it.
 *
 * @example
 * const client = createAuthClient(config);
 * await adoptAmplifySession(client); // users signed in with Amplify stay signed in
 * root.render(<AuthProvider client={client}><App /></AuthProvider>);
 */
export async function adoptAmplifySession(client: AuthClient<any>, options: AdoptAmplifySessionOptions = {}): Promise<AdoptAmplifySessionResult> {
  const context = clientContexts.get(client);
  if (!context) throw new TypeError("adoptAmplifySession: expected a client made by createAuthClient");
  if (options === null || typeof options !== "object") throw new TypeError("adoptAmplifySession: options must be an object");
  const { config, platform, session } = context;
  const storage = options.storage ?? platform.storage;
  if (typeof storage?.getItem !== "function" || typeof storage.removeItem !== "function") {
    throw new TypeError("adoptAmplifySession: `storage` must have getItem, setItem and removeItem");
  }
  const clientId = config.userPoolClientId;
  const prefix = prefixOf(clientId);
  const read = async (key: string) => {
    try {
      const value = await storage.getItem(key);
      return typeof value === "string" && value !== "" ? value : undefined;
    } catch {
      return undefined;
    }
  };

  // Started first: whatever the answer, the client has read its own session once this
  // resolves. A disposed client rejects here (ERR_ABORTED), as its other calls do.
  await client.start();
  const lastUser = await read(`${prefix}.LastAuthUser`);
  if (lastUser === undefined) return { adopted: false, reason: "noSession" };
  if (session.getState().status !== "signedOut") return { adopted: false, reason: "alreadySignedIn" };

  const userPrefix = `${prefix}.${lastUser}`;
  const [idToken, accessToken, refreshToken] = await Promise.all(["idToken", "accessToken", "refreshToken"].map((name) => read(`${userPrefix}.${name}`)));
  if (!idToken || !accessToken || !refreshToken) return { adopted: false, reason: "invalid" };
  const id = readJwtClaims(idToken);
  const access = readJwtClaims(accessToken);
  // The pool's issuers, as the hosted UI's acceptedIssuers names them: not imported from there,
  // which would move that module into a chunk shared with the hosted-UI entry and cost apps
  // using @cogkit/react 0.3 KB gzip (measured with pnpm bench:check).
  const issuers = [`https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`];
  if (config.userPoolEndpoint) issuers.push(`${config.userPoolEndpoint.replace(/\/+$/, "")}/${config.userPoolId}`);
  const bound =
    id &&
    access &&
    id.token_use === "id" &&
    access.token_use === "access" &&
    (id.aud === clientId || (Array.isArray(id.aud) && id.aud.includes(clientId))) &&
    access.client_id === clientId &&
    issuers.includes(String(id.iss)) &&
    id.iss === access.iss &&
    typeof id.sub === "string" &&
    id.sub === access.sub &&
    [id, access].every((claims) => Number.isFinite(claims.exp) && Number.isFinite(claims.iat));
  if (!bound) return { adopted: false, reason: "invalid" };

  const signed = await signedByPool(platform.fetch, String(id.iss), [idToken, accessToken], [id, access]);
  if (signed !== "valid") return { adopted: false, reason: signed };

  const now = platform.clock.now();
  const tokens: SessionTokens = {
    idToken,
    accessToken,
    refreshToken,
    expiresAt: Math.min(id.exp as number, access.exp as number) * 1000,
    issuedAt: now,
    clockDrift: 0,
  };
  await session.acceptSignIn(tokens);
  // Amplify's keys go only once cogkit's record holds this session (a storage that failed
  // keeps the session in memory: then they stay, for the next start to adopt again).
  // Devices are kept under Cognito's own name of the user, as trackDevices looks them up.
  const username = String(access.username ?? lastUser);
  let written: SessionTokens | null = null;
  try {
    written = decodeSessionRecord(await platform.storage.getItem(sessionRecordKey(clientId))).tokens;
  } catch {}
  if (written?.refreshToken !== refreshToken) return { adopted: true, username, device: false };

  const [deviceKey, groupKey, secret] = await Promise.all(["deviceKey", "deviceGroupKey", "randomPasswordKey"].map((name) => read(`${userPrefix}.${name}`)));
  let device = Boolean(deviceKey && groupKey && secret && access.device_key === deviceKey);
  try {
    if (device) await writeDevice(platform.storage, deviceRecordKey(clientId, username), { deviceKey: deviceKey!, groupKey: groupKey!, secret: secret! });
  } catch {
    // Not kept: the user's next sign-in confirms a new device, as without one.
    device = false;
  }

  await Promise.all([`${prefix}.LastAuthUser`, ...userKeyNames.map((name) => `${userPrefix}.${name}`)].map(async (key) => {
    try {
      await storage.removeItem(key);
    } catch {}
  }));
  return { adopted: true, username, device };
}

/** Whether `tokens` carry the pool's signature: the pool's JWKS through the platform's `fetch`. */
async function signedByPool(
  fetch: typeof globalThis.fetch,
  issuer: string,
  tokens: string[],
  claims: JwtPayload[],
): Promise<"valid" | "invalid" | "unverified"> {
  let keys: ReturnType<typeof createLocalJWKSet>;
  try {
    const response = await fetch(`${issuer}/.well-known/jwks.json`);
    if (!response.ok) return "unverified";
    keys = createLocalJWKSet((await response.json()) as JSONWebKeySet);
  } catch {
    return "unverified";
  }
  try {
    // Checked as of when each token was issued: a pair that has expired since is still the
    // pool's, and the session refreshes it.
    await Promise.all(tokens.map((token, i) => jwtVerify(token, keys, { issuer, algorithms: ["RS256"], currentDate: new Date((claims[i]!.iat as number) * 1000) })));
    return "valid";
  } catch {
    return "invalid";
  }
}
