import { AuthError } from "./errors.js";

/**
 * Loads a part of the client that the first bundle leaves out (sign-up, the challenge steps
 * of sign-in): bundlers split each `import()` into a chunk fetched on first use, so a page
 * that only signs in never downloads them. A chunk that cannot be fetched (offline, or
 * removed by a deploy) is a retryable `ERR_NETWORK`, like any request that did not get through.
 *
 * @example
 * const { signUp } = await loadPart(() => import("./user-pool/sign-up.js"));
 */
export function loadPart<T>(load: () => Promise<T>): Promise<T> {
  return load().catch((cause: unknown) => {
    throw new AuthError("ERR_NETWORK", "Could not load a part of @cogkit/core", { retryable: true, cause });
  });
}
