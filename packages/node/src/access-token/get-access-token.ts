import { resolveMachineSettings, type SettingsSources } from "../credentials/resolve-settings.js";
import { createFileLock } from "../storage/file-lock.js";
import { createFileStorage } from "../storage/file-storage.js";
import { accessTokenKey, encodeAccessToken, type MachineAccessToken, readAccessToken } from "./access-token-cache.js";
import { requestClientCredentials } from "./request-client-credentials.js";

/** Options of {@link getAccessToken}: the scopes, where the settings come from, and how to ask. */
export interface AccessTokenOptions extends SettingsSources {
  /**
   * The scopes to ask for, e.g. `["https://api.example.com/read"]` (resource server
   * identifier, `/`, scope). None: every scope the app client is allowed, as Cognito does.
   */
  scopes?: readonly string[];
  /** Ask for a new token even when the cached one is fresh. */
  forceRefresh?: boolean;
  /** A cached token is renewed this long before it expires (at most halfway through its life); default 1 minute. */
  marginMs?: number;
  /** The clock that dates tokens and judges the cache; the system clock by default. */
  clock?: {
    /** The current time in ms since the epoch, like `Date.now()`. */
    now(): number;
  };
  /** The `fetch` that reaches the token endpoint; the global one by default. */
  fetch?: typeof fetch;
  /** Aborts the token request. */
  signal?: AbortSignal;
}

/**
 * An OAuth 2.0 access token for a machine-to-machine call: the client credentials grant of a
 * confidential app client (its id, secret and the hosted UI domain come from `options`,
 * `COGKIT_CLIENT_ID`, `COGKIT_CLIENT_SECRET`, `COGKIT_DOMAIN` or the config file's profile,
 * as for `getCredentials`). The token is cached in the profile's private file until shortly
 * before it expires, per client and set of scopes; processes sharing the file ask for it under
 * a lock file, so N of them starting at once make one request.
 *
 * Rejects with `ERR_INVALID_CONFIG` for missing settings, `ERR_NOT_AUTHORIZED` for a wrong
 * client id or secret, `ERR_INVALID_PARAMETER` for a scope the client may not have (or a
 * token granting fewer scopes than asked), retryable `ERR_NETWORK` when the domain cannot be
 * reached (`ERR_TIMEOUT` after 30 s without an answer, `ERR_SERVICE` for a 5xx), and
 * `ERR_BAD_RESPONSE` for an answer that is no token. A scope that is not a
 * non-empty string without spaces is a `TypeError`.
 *
 * @example
 * // COGKIT_CLIENT_ID, COGKIT_CLIENT_SECRET and COGKIT_DOMAIN set
 * const { accessToken } = await getAccessToken({ scopes: ["https://api.example.com/read"] });
 * await fetch("https://api.example.com/orders", { headers: { authorization: `Bearer ${accessToken}` } });
 */
export async function getAccessToken(options: AccessTokenOptions = {}): Promise<MachineAccessToken> {
  const scopes = checkScopes(options.scopes);
  const { clientId, clientSecret, domain, profile, dir } = await resolveMachineSettings(options);
  const now = () => (options.clock ?? Date).now();
  const marginMs = options.marginMs ?? 60_000;
  const storage = createFileStorage({ dir, profile, clientId });
  const key = accessTokenKey(clientId, scopes);
  const cached = async () => (options.forceRefresh ? undefined : readAccessToken((await storage.readAll())[key], domain, now(), marginMs));
  const warm = await cached();
  if (warm) return warm;
  // One process at a time asks; the others find its token in the file.
  return createFileLock({ dir, profile })(
    `cogkit.${clientId}.accessToken`,
    async () => {
      const found = await cached();
      if (found) return found;
      const receivedAt = now();
      const grant = await requestClientCredentials({ domain, clientId, clientSecret, scopes, fetch: options.fetch ?? fetch, signal: options.signal });
      const missing = scopes.filter((scope) => !grant.scopes.includes(scope));
      if (missing.length > 0) {
        const { AuthError } = await import("@cogkit/core");
        throw new AuthError("ERR_INVALID_PARAMETER", `App client ${clientId} was granted a token without scope ${missing.join(", ")}`);
      }
      const token: MachineAccessToken = { accessToken: grant.accessToken, expiresAt: new Date(receivedAt + grant.expiresIn * 1000), scopes: grant.scopes };
      await storage.setItem(key, encodeAccessToken(token, domain, receivedAt));
      return token;
    },
    { timeoutMs: 60_000 },
  );
}

/** The scopes without repeats; a wrong one is the caller's mistake, said at once. */
function checkScopes(scopes: readonly string[] | undefined): string[] {
  if (scopes === undefined) return [];
  if (!Array.isArray(scopes)) throw new TypeError("getAccessToken: scopes must be an array of strings");
  scopes.forEach((scope: unknown, index) => {
    // Scope tokens are printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3).
    if (typeof scope !== "string" || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)) {
      throw new TypeError(`getAccessToken: scopes[${index}] must be a non-empty scope name without spaces, quotes or backslashes`);
    }
  });
  return [...new Set(scopes)];
}
