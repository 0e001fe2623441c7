import type { PoolSettings } from "../config.js";
import { AuthError, type AuthErrorCode, isAuthError } from "../errors.js";
import type { Platform } from "../platform/types.js";
import type { CognitoTransport, IdentityPoolInput, IdentityPoolOutput } from "../transport/types.js";
import { createIdentityStore, type IdentityStore, identityStoreKey, type StoredIdentity } from "./identity-store.js";
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
  /**
   * Aborting rejects this call with `ERR_ABORTED` at once (other callers of the same request
   * still get it); a signal aborted before the call, or while the logins are read, starts no request.
   */
  signal?: AbortSignal;
}

/** Options of {@link createCredentialsManager}. */
export interface CredentialsManagerOptions {
  /** `identityPoolId` (without it every call rejects with `ERR_NO_IDENTITY_POOL`) and `allowGuestAccess` (default true). */
  config: Pick<PoolSettings, "identityPoolId" | "allowGuestAccess">;
  transport: Pick<CognitoTransport, "identityPool">;
  /**
   * Clock (cache expiry, backoff) and storage (the identity id) are required; `randomBytes`
   * jitters the backoff; `lock`, when present, makes tabs sharing the storage take turns, so
   * they share one identity instead of each making its own.
   */
  platform: Pick<Platform, "clock" | "storage"> & Partial<Pick<Platform, "randomBytes" | "lock">>;
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
 * `Expiration` minus a margin, for the user the logins name (provider and `sub`; a refreshed
 * id token of the same user keeps them, and renewing them sends the current token) and the
 * role; concurrent callers share one request. The identity id is stored per
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
  let seen: { tokens: string; subject: string | null } = { tokens: "", subject: null };
  // Bumped by clear(): a request begun before it no longer writes the cache or the identity.
  let epoch = 0;
  let identityStore: IdentityStore | undefined;
  // Used once current() has found an identityPoolId.
  const store = () => (identityStore ??= createIdentityStore({ storage: platform.storage, identityPoolId: config.identityPoolId! }));

  // Another tab may be obtaining the identity this one needs: wait for it (then storage has
  // the id), but never more than 10 s, nor for a lock that cannot be had. The lock is named
  // like the record it guards.
  const locked = async <T>(task: () => Promise<T>): Promise<T> => {
    const { lock } = platform;
    let entered = false;
    const enter = () => ((entered = true), task());
    return lock ? lock(identityStoreKey(config.identityPoolId!), enter, { timeoutMs: 10_000 }).catch((error) => {
      if (entered) throw error;
      return task();
    }) : task();
  };

  const call = <Op extends "GetId" | "GetCredentialsForIdentity">(operation: Op, input: IdentityPoolInput<Op>) =>
    retryTransient(() => transport.identityPool(operation, input), { clock, random, ...options.retry });

  async function current(customRoleArn: string | undefined) {
    if (!config.identityPoolId) throw new AuthError("ERR_NO_IDENTITY_POOL", "No identityPoolId is configured");
    const given = await getLogins();
    // Credentials belong to whom the logins name, not to the token that obtained them: a
    // refreshed id token of the same user keeps them until they are due, and the request
    // that renews them reads the current token. Opaque tokens name nobody; they key by
    // themselves. Built by concatenation and the subject remembered: this runs per call.
    let tokens = "";
    if (given) for (const name of Object.keys(given).sort()) tokens += `\n${name}\n${given[name]}`;
    // An empty map is no logins: a guest.
    const logins = tokens ? given : undefined;
    if (!logins && config.allowGuestAccess === false) {
      throw new AuthError("ERR_GUEST_ACCESS_DISABLED", "Nobody is signed in and allowGuestAccess is false");
    }
    if (tokens !== seen.tokens) seen = { tokens, subject: loginsSubject(logins) };
    const { subject } = seen;
    // A guest's subject (null) and tokens ("") agree; an opaque token's subject ("") yields to its tokens.
    const key = `${customRoleArn ?? ""}\n${subject || tokens}`;
    return { logins, subject, key, customRoleArn };
  }

  async function obtain({ logins, subject, key, customRoleArn }: Awaited<ReturnType<typeof current>>): Promise<AwsCredentials> {
    const started = epoch;
    const live = () => started === epoch;
    const identities = store();
    let saved = await identities.load();
    const save = async (identity: StoredIdentity) => {
      if (live()) await identities.save(identity);
      saved = identity;
    };
    // A guest identity may be carried into a sign-in; an authenticated one only serves its own subject.
    const guest = saved?.subject === null;
    let id = guest || (subject && saved?.subject === subject) ? saved!.id : undefined;
    // After a refused guest id, the new id is stored only once it has credentials: a sign-in
    // refused for its token or role must not cost the guest identity.
    let unsure = false;
    for (;;) {
      // `known`: the id came from storage. One just obtained by GetId is never dropped, so this heals once.
      const known = id !== undefined;
      if (!known) {
        const out = await call("GetId", { IdentityPoolId: config.identityPoolId, Logins: logins }).catch((error: unknown) => {
          // Without logins, GetId is refused for one reason: the pool takes no guests.
          throw !logins && isAuthError(error, "ERR_NOT_AUTHORIZED")
            ? wrap("ERR_GUEST_ACCESS_DISABLED", "The identity pool takes no guests", error)
            : error;
        });
        id = out.IdentityId;
        if (!nonEmpty(id)) throw badResponse("GetId");
        // Otherwise saved at once, so a new guest identity is not lost when the next call fails.
        if (!unsure) await save({ id, subject });
      }
      let out: IdentityPoolOutput<"GetCredentialsForIdentity">;
      try {
        // Guests have no say in their role: Cognito refuses them a CustomRoleArn.
        out = await call("GetCredentialsForIdentity", { IdentityId: id, Logins: logins, CustomRoleArn: logins && customRoleArn });
      } catch (error) {
        const notFound = isAuthError(error, "ERR_RESOURCE_NOT_FOUND");
        if (known && (notFound || (guest && isAuthError(error, "ERR_NOT_AUTHORIZED")))) {
          // Deleted, or a guest identity Cognito now forbids (merged, disabled): obtain one again.
          id = undefined;
          unsure = !notFound;
          if (notFound && live()) await identities.clear();
          continue;
        }
        throw notFound ? wrap("ERR_IDENTITY_NOT_FOUND", "The identity pool does not know this identity", error) : error;
      }
      const { AccessKeyId, SecretKey, SessionToken, Expiration } = out.Credentials ?? {};
      const identityId = out.IdentityId ?? id;
      const expiresAt = Expiration instanceof Date ? Expiration.getTime() : NaN;
      if (!nonEmpty(AccessKeyId) || !nonEmpty(SecretKey) || !nonEmpty(SessionToken) || !nonEmpty(identityId) || !(expiresAt > 0)) {
        throw badResponse("GetCredentialsForIdentity");
      }
      if (saved?.id !== identityId || saved.subject !== subject) await save({ id: identityId, subject });
      // Not frozen: the AWS SDK v3 writes a `$source` note onto the credential identity it is given.
      const credentials: AwsCredentials = {
        accessKeyId: AccessKeyId,
        secretAccessKey: SecretKey,
        sessionToken: SessionToken,
        expiration: Expiration as Date,
        identityId,
        authenticated: !!logins,
      };
      // Short-lived credentials keep half their life; a fixed TTL would outlive some and waste others.
      const staleAt = expiresAt - Math.min(marginMs, Math.max(0, (expiresAt - clock.now()) / 2));
      if (live()) cached = { key, credentials, staleAt };
      return credentials;
    }
  }

  async function credentialsFor(callOptions: GetCredentialsOptions): Promise<AwsCredentials> {
    const state = await current(callOptions.customRoleArn ?? options.customRoleArn);
    const { key } = state;
    if (!callOptions.forceRefresh && cached?.key === key && clock.now() < cached.staleAt) return cached.credentials;
    // Given up while the logins were read (a refresh, perhaps): nobody waits for a request.
    // (The caller was already answered ERR_ABORTED; this rejection is only the work's end.)
    if (callOptions.signal?.aborted) throw callOptions.signal.reason;
    let flight = flights.get(key);
    if (!flight) {
      // clear() may have replaced this flight by then.
      flight = locked(() => obtain(state)).finally(() => {
        if (flights.get(key) === flight) flights.delete(key);
      });
      flights.set(key, flight);
    }
    return flight;
  }

  const manager: CredentialsManager = {
    getCredentials(callOptions = {}) {
      checkSignal(callOptions.signal, "getCredentials");
      return abortable(callOptions.signal, () => credentialsFor(callOptions));
    },
    getIdentityId(callOptions = {}) {
      const { signal } = callOptions;
      checkSignal(signal, "getIdentityId");
      return abortable(signal, async () => {
        const { subject, key } = await current(options.customRoleArn);
        if (cached?.key === key) return cached.credentials.identityId;
        const stored = await store().load();
        return stored && stored.subject === subject && subject !== "" ? stored.id : (await credentialsFor({ signal })).identityId;
      });
    },
    async clear(clearOptions = {}) {
      epoch++;
      cached = undefined;
      flights.clear();
      if (clearOptions.identity && config.identityPoolId) await store().clear();
    },
  };
  return manager;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

function badResponse(operation: string): AuthError {
  return new AuthError("ERR_BAD_RESPONSE", `${operation}: Cognito's answer lacks a field`);
}

function wrap(code: AuthErrorCode, message: string, cause: AuthError): AuthError {
  return new AuthError(code, message, { cause, serviceCode: cause.serviceCode, status: cause.status });
}

/** Misuse is a TypeError at once: `signal`, when given, must be an AbortSignal. */
function checkSignal(signal: unknown, operation: string): asserts signal is AbortSignal | undefined {
  if (signal !== undefined && typeof (signal as AbortSignal | null)?.addEventListener !== "function") {
    throw new TypeError(`${operation}: \`signal\` must be an AbortSignal`);
  }
}

/**
 * Runs `work` for a caller that may give up: the result rejects with `ERR_ABORTED` as soon
 * as `signal` aborts, and `work` never starts when it already has. The work's own outcome
 * is always handled here, so a caller that gave up leaves no unhandled rejection behind
 * (work shared with other callers goes on for them).
 */
function abortable<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new AuthError("ERR_ABORTED", "The request was aborted", { cause: signal!.reason }));
    if (signal?.aborted) return abort();
    signal?.addEventListener("abort", abort);
    work()
      .then(resolve, reject)
      .finally(() => signal?.removeEventListener("abort", abort));
  });
}
