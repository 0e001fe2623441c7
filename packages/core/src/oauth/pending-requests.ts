import { isRecord } from "../is-record.js";
import type { Platform } from "../platform/types.js";

/**
 * A hosted-UI sign-in on its way: what the callback must match and what the token request
 * needs. Kept in `platform.storage` because a redirect leaves the page (and its memory).
 */
export interface PendingRequest {
  /** The `state` sent to the authorize endpoint; the callback must bring it back. */
  state: string;
  /** The PKCE code verifier, sent only to the token endpoint. */
  verifier: string;
  /** The `nonce` the id token must carry. */
  nonce: string;
  /** The `redirect_uri` of the authorize request, which the token request repeats. */
  redirectUri: string;
  /** The app's own value, handed back by `completeSignIn`. */
  customState?: string;
  /** Local time (ms) after which the callback is refused. */
  expiresAt: number;
  /** Set for `signInWithPopup`: the window that opened the popup completes it. */
  popup?: true;
}

/**
 * A callback already completed in this storage: kept a while (without verifier or nonce)
 * so a reload of the callback page gets the same answer instead of an error.
 */
export interface CompletedRequest {
  state: string;
  done: true;
  customState?: string;
  expiresAt: number;
}

export type StoredRequest = PendingRequest | CompletedRequest;

// Plain literals: a product (10 * 60_000) is kept by bundlers even where unused, and these
// must cost a password-only app nothing.
/** How long a sign-in may take at the hosted UI, from `signInWithRedirect` to the callback: 10 minutes. */
export const requestLifetimeMs = 600_000;
/** How long a completed callback answers again (a reload of the callback page): an hour. */
export const completedLifetimeMs = 3_600_000;
/** At most this many requests are kept: the newest (several tabs or tries at once). */
const maxRequests = 5;

/**
 * The storage key of a client's hosted-UI requests: one record, beside the session's.
 *
 * @example
 * oauthRequestsKey("3n4b5urk1ft4fl3mg5e62d9ado") // "cogkit.3n4b5urk1ft4fl3mg5e62d9ado.oauth"
 */
export function oauthRequestsKey(clientId: string): string {
  return `cogkit.${clientId}.oauth`;
}

const isText = (value: unknown) => typeof value === "string" && value !== "";

function isStoredRequest(value: unknown): value is StoredRequest {
  if (!isRecord(value) || !isText(value.state) || !Number.isFinite(value.expiresAt)) return false;
  if (value.customState !== undefined && typeof value.customState !== "string") return false;
  return value.done === true || (isText(value.verifier) && isText(value.nonce) && isText(value.redirectUri));
}

/**
 * The requests stored for `clientId` that have not expired. A record that is missing,
 * corrupt or of another version reads as none (the sign-in is started again), never as an
 * exception.
 */
export async function readRequests(platform: Pick<Platform, "storage" | "clock">, clientId: string): Promise<StoredRequest[]> {
  let record: unknown;
  try {
    record = JSON.parse((await platform.storage.getItem(oauthRequestsKey(clientId))) ?? "null");
  } catch {
    return [];
  }
  if (!isRecord(record) || record.version !== 1 || !Array.isArray(record.requests)) return [];
  const now = platform.clock.now();
  return record.requests.filter((request: unknown) => isStoredRequest(request) && request.expiresAt > now);
}

/** Stores `requests` (the newest few), or removes the record when there are none. */
export async function writeRequests(platform: Pick<Platform, "storage">, clientId: string, requests: StoredRequest[]): Promise<void> {
  const key = oauthRequestsKey(clientId);
  if (requests.length === 0) return platform.storage.removeItem(key);
  await platform.storage.setItem(key, JSON.stringify({ version: 1, requests: requests.slice(-maxRequests) }));
}

/**
 * Applies `change` to the stored requests (expired ones dropped) and writes the result.
 * Runs under the platform lock where there is one, so two tabs starting or completing a
 * sign-in at once do not drop each other's request.
 */
export async function updateRequests<T>(
  platform: Pick<Platform, "storage" | "clock" | "lock">,
  clientId: string,
  change: (requests: StoredRequest[]) => [StoredRequest[], T],
): Promise<T> {
  const task = async () => {
    const [requests, result] = change(await readRequests(platform, clientId));
    await writeRequests(platform, clientId, requests);
    return result;
  };
  const { lock } = platform;
  if (!lock) return task();
  let entered = false;
  return lock(oauthRequestsKey(clientId), () => ((entered = true), task()), { timeoutMs: 5_000 }).catch((error: unknown) => {
    // A lock that timed out or is unavailable: go ahead without it, as the session does.
    if (entered) throw error;
    return task();
  });
}
