import type { PoolSettings } from "../config.js";
import { AuthError, isAuthError } from "../errors.js";
import type { Platform } from "../platform/types.js";
import type { CognitoTransport, IdentityPoolInput } from "../transport/types.js";
import { createIdentityStore, type StoredIdentity } from "./identity-store.js";
import { type Logins, loginsSubject } from "./logins.js";
import { retryTransient, type RetryOptions } from "./retry-transient.js";

/**
 * Temporary AWS credentials from an identity pool. Fits where the AWS SDK v3 takes a
 * credential identity (`accessKeyId`, `secretAccessKey`, `sessionToken`, `expiration`).
 */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** When Cognito says they stop working. */
  readonly expiration: Date;
  /** The identity pool identity they belong to. */
  readonly identityId: string;
  /** False for a guest (unauthenticated role). */
  readonly authenticated: boolean;
}

/** Options of {@link CredentialsManager.getCredentials}. */
export interface GetCredentialsOptions {
  /** Ask Cognito even when the cached credentials are still fresh. */
  forceRefresh?: boolean;
  /** The role to assume, when the identity pool's rules let the token choose (`cognito:roles`). */
  customRoleArn?: string;
  /** Aborting rejects this call with `ERR_ABORTED` (other callers of the same request still get it). */
  signal?: AbortSignal;
}

/** Options of {@link createCredentialsManager}. */
export interface CredentialsManagerOptions {
  /** `identityPoolId` (without it every call rejects with `ERR_NO_IDENTITY_POOL`) and `allowGuestAccess` (default true). */
  config: Pick<PoolSettings, "identityPoolId" | "allowGuestAccess">;
  transport: Pick<CognitoTransport, "identityPool">;
  /** Clock (cache expiry, backoff) and storage (the identity id) are required; `randomBytes` jitters the backoff. */
  platform: Pick<Platform, "clock" | "storage"> & Partial<Pick<Platform, "randomBytes">>;
  /**
   * The logins to present, read at each call: the user pool id token under
   * `cognito-idp.<region>.amazonaws.com/<poolId>`, federated tokens, or `undefined` for a guest.
   */
  getLogins: () => Promise<Logins | undefined>;
  /** Credentials are renewed this long before Cognito's `Expiration`; default 5 minutes. */
  marginMs?: number;
  /** Default of {@link GetCredentialsOptions.customRoleArn}. */
  customRoleArn?: string;
  /** A number in [0, 1) for backoff jitter; from `platform.randomBytes`, else `Math.random`. */
  random?: () => number;
  /** Backoff for transient failures (network, timeout, 5xx, throttling). */
  retry?: RetryOptions;
}

/** AWS credentials for whoever is signed in, or a guest. See {@link createCredentialsManager}. */
export interface CredentialsManager {
  /** Fresh credentials for the current logins: cached ones, or new ones from Cognito. */
  getCredentials(options?: GetCredentialsOptions): Promise<AwsCredentials>;
  /** The identity id for the current logins; from memory or storage when known, else as `getCredentials` obtains it. */
  getIdentityId(options?: Pick<GetCredentialsOptions, "signal">): Promise<string>;
  /** Forgets the cached credentials; with `{ identity: true }`, the stored identity id too. */
  clear(options?: { identity?: boolean }): Promise<void>;
}

interface CacheEntry {
  key: string;
  credentials: AwsCredentials;
  staleAt: number;
}

/**
 * Trades logins (or none, for a guest) for AWS credentials: `GetId` when the identity id is
 * not known yet, then `GetCredentialsForIdentity`. The credentials are kept until Cognito's
 * `Expiration` minus a margin, for the exact logins that obtained them (a refreshed id token
 * gets new ones); concurrent callers share one request. The identity id is stored per
 * identity pool, guests' too, so a guest who signs in is carried into the authenticated
 * identity (Cognito links or merges, and answers the identity to keep). A deleted identity,
 * or a guest identity Cognito now forbids (merged, disabled), is replaced once by a new
 * `GetId`; transient failures are retried with backoff and never drop a valid identity id.
 *
 * @example
 * const credentials = createCredentialsManager({
 *   config, transport, platform,
 *   getLogins: async () => (idToken ? { [userPoolLoginKey(region, userPoolId)]: idToken } : undefined),
 * });
 * const s3 = new S3Client({ region, credentials: () => credentials.getCredentials() });
 */
export function createCredentialsManager(options: CredentialsManagerOptions): CredentialsManager {
  const { config, transport, platform, getLogins, marginMs = 5 * 60_000 } = options;
  const { clock, randomBytes } = platform;
  const random = options.random ?? (randomBytes ? () => randomBytes(1)[0]! / 256 : Math.random);
  const flights = new Map<string, Promise<AwsCredentials>>();
  let cached: CacheEntry | undefined;
  // Bumped by clear(): a request begun before it no longer writes the cache or the identity.
  let epoch = 0;
  let identities: ReturnType<typeof createIdentityStore> | undefined;

  const call = <Op extends "GetId" | "GetCredentialsForIdentity">(operation: Op, input: IdentityPoolInput<Op>) =>
    retryTransient(() => transport.identityPool(operation, input), { clock, random, ...options.retry });

  async function current(customRoleArn: string | undefined) {
    const identityPoolId = config.identityPoolId;
    if (!identityPoolId) throw new AuthError("ERR_NO_IDENTITY_POOL", "No identityPoolId is configured");
    identities ??= createIdentityStore({ storage: platform.storage, identityPoolId });
    const given = await getLogins();
    const logins = given && Object.keys(given).length > 0 ? given : undefined;
    if (!logins && config.allowGuestAccess === false) {
      throw new AuthError("ERR_GUEST_ACCESS_DISABLED", "Nobody is signed in and guest access is off (allowGuestAccess: false)");
    }
    // The cache key is the exact logins (a refreshed token asks again) and role. Built by
    // concatenation, not JSON: this runs on every cached call.
    let key = customRoleArn ?? "";
    if (logins) for (const name of Object.keys(logins).sort()) key += `\n${name}\n${logins[name]}`;
    return { identityPoolId, store: identities, logins, key };
  }

  async function obtain(
    { identityPoolId, store, logins, key }: Awaited<ReturnType<typeof current>>,
    customRoleArn: string | undefined,
  ): Promise<AwsCredentials> {
    const started = epoch;
    const subject = loginsSubject(logins);
    const stored = await store.load();
    let saved = stored;
    const save = async (identity: StoredIdentity) => {
      if (started === epoch) await store.save(identity);
      saved = identity;
    };
    // A guest identity may be carried into a sign-in; an authenticated one only serves its own subject.
    let id = stored && (stored.subject === null || (subject && stored.subject === subject)) ? stored.id : undefined;
    let guest = stored?.subject === null;
    for (;;) {
      const known = id !== undefined;
      let asking: "GetId" | "GetCredentialsForIdentity" = "GetId";
      try {
        if (id === undefined) {
          const out = await call("GetId", { IdentityPoolId: identityPoolId, Logins: logins }).catch((error: unknown) => {
            // Without logins, GetId is refused for one reason: the pool takes no guests.
            if (!logins && isAuthError(error, "ERR_NOT_AUTHORIZED")) {
              throw new AuthError("ERR_GUEST_ACCESS_DISABLED", "The identity pool does not allow guest (unauthenticated) access", {
                cause: error,
                serviceCode: error.serviceCode,
                status: error.status,
              });
            }
            throw error;
          });
          if (typeof out.IdentityId !== "string" || out.IdentityId === "") throw badResponse("GetId", "has no IdentityId");
          id = out.IdentityId;
          guest = !logins;
          // Saved at once, so a guest identity is not lost when the next call fails.
          await save({ id, subject });
        }
        asking = "GetCredentialsForIdentity";
        const out = await call("GetCredentialsForIdentity", { IdentityId: id, Logins: logins, CustomRoleArn: customRoleArn });
        const { AccessKeyId, SecretKey, SessionToken, Expiration } = out.Credentials ?? {};
        const identityId = out.IdentityId ?? id;
        if (
          !nonEmpty(AccessKeyId) ||
          !nonEmpty(SecretKey) ||
          !nonEmpty(SessionToken) ||
          !(Expiration instanceof Date) ||
          Number.isNaN(Expiration.getTime()) ||
          !nonEmpty(identityId)
        ) {
          throw badResponse("GetCredentialsForIdentity", "lacks credentials, their expiration or the identity id");
        }
        if (saved?.id !== identityId || saved.subject !== subject) {
          await save({ id: identityId, subject });
        }
        // Not frozen: the AWS SDK v3 writes a `$source` note onto the credential identity it is given.
        const credentials: AwsCredentials = {
          accessKeyId: AccessKeyId,
          secretAccessKey: SecretKey,
          sessionToken: SessionToken,
          expiration: Expiration,
          identityId,
          authenticated: !!logins,
        };
        const now = clock.now();
        const expiresAt = Expiration.getTime();
        // Short-lived credentials keep half their life; a fixed TTL would outlive some and waste others.
        const staleAt = expiresAt - Math.min(marginMs, Math.max(0, (expiresAt - now) / 2));
        if (started === epoch) cached = { key, credentials, staleAt };
        return credentials;
      } catch (error) {
        if (!isAuthError(error) || asking === "GetId") throw error;
        const notFound = error.code === "ERR_RESOURCE_NOT_FOUND";
        // `known`: the id came from storage. One obtained by GetId just now is never dropped, so this heals once.
        if (known && (notFound || (guest && error.code === "ERR_NOT_AUTHORIZED"))) {
          // The identity was deleted, or is a guest identity Cognito now forbids (merged into
          // another, disabled): obtain one again, once. A forbidden guest id stays stored until
          // the new one replaces it, so a bad token in a sign-in cannot cost the guest identity.
          id = undefined;
          if (notFound && started === epoch) await store.clear();
          continue;
        }
        if (notFound) {
          throw new AuthError("ERR_IDENTITY_NOT_FOUND", "The identity pool does not know this identity", {
            cause: error,
            serviceCode: error.serviceCode,
            status: error.status,
          });
        }
        throw error;
      }
    }
  }

  const manager: CredentialsManager = {
    async getCredentials(callOptions = {}) {
      const customRoleArn = callOptions.customRoleArn ?? options.customRoleArn;
      const state = await current(customRoleArn);
      const { key } = state;
      if (!callOptions.forceRefresh && cached?.key === key && clock.now() < cached.staleAt) return cached.credentials;
      let flight = flights.get(key);
      if (!flight) {
        const mine: Promise<AwsCredentials> = obtain(state, customRoleArn).finally(() => {
          if (flights.get(key) === mine) flights.delete(key);
        });
        flights.set(key, (flight = mine));
      }
      return abortable(flight, callOptions.signal);
    },
    async getIdentityId(callOptions = {}) {
      const state = await current(options.customRoleArn);
      if (cached?.key === state.key) return cached.credentials.identityId;
      const stored = await state.store.load();
      const subject = loginsSubject(state.logins);
      if (stored && stored.subject === subject && subject !== "") return stored.id;
      return (await manager.getCredentials(callOptions)).identityId;
    },
    async clear(clearOptions = {}) {
      epoch++;
      cached = undefined;
      flights.clear();
      if (clearOptions.identity && config.identityPoolId) {
        await createIdentityStore({ storage: platform.storage, identityPoolId: config.identityPoolId }).clear();
      }
    },
  };
  return manager;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

function badResponse(operation: string, problem: string): AuthError {
  return new AuthError("ERR_BAD_RESPONSE", `${operation}: Cognito's answer ${problem}`);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const abort = () => reject(new AuthError("ERR_ABORTED", "The request was aborted", { cause: signal.reason }));
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}
