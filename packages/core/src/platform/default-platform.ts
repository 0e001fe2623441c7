import { createMemoryStorage } from "./memory-storage.js";
import type { Platform } from "./types.js";

/**
 * The {@link Platform} made of the runtime's standard globals (`fetch`, `crypto`,
 * `setTimeout`) and a memory storage. Each global is read when used, never at import, so
 * test doubles installed later (msw, fake timers) are seen.
 *
 * @example
 * const platform = { ...defaultPlatform(), storage: myStorage };
 */
export function defaultPlatform(): Platform {
  const crypto = (): Crypto => {
    const value = globalThis.crypto;
    if (!value?.subtle) throw new TypeError("cogkit needs WebCrypto (globalThis.crypto); pass platform.randomBytes and platform.subtle");
    return value;
  };
  return {
    clock: {
      now: () => Date.now(),
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as number),
    },
    storage: createMemoryStorage(),
    fetch: (input, init) => fetch(input, init),
    randomBytes: (length) => crypto().getRandomValues(new Uint8Array(length)),
    get subtle() {
      return crypto().subtle;
    },
  };
}
