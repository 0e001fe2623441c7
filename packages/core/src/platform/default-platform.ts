import { createMemoryStorage } from "./memory-storage.js";
import type { Platform } from "./types.js";

/**
 * The {@link Platform} made of the runtime's standard globals and a memory storage. Each
 * global is read when used, never at import, so test doubles installed later (msw, fake
 * timers, a polyfilled `navigator.locks`) are seen.
 * - Timers are `unref`'d where the runtime allows (Node), so a pending refresh never keeps a
 *   script alive; `client.dispose()` still clears them. A wait that a caller awaits (a
 *   retry's backoff, `{ keepAlive: true }`) stays ref'd: the script must not end mid-call.
 * - `lock` is `navigator.locks` when present (its wait rejects after `timeoutMs`), read at
 *   each access; without it `lock` is undefined.
 * - `broadcast` is `BroadcastChannel`, but only in a page (`document` present): in a server
 *   every client of the process would hear the others' sessions. `createAuthClient` uses it
 *   only with a storage that tabs share (`KeyValueStorage.shared`).
 *
 * @example
 * const platform = { ...defaultPlatform(), storage: myStorage };
 */
export function defaultPlatform(): Platform {
  const g: any = globalThis;
  const crypto = (): Crypto => {
    const value = g.crypto;
    if (!value?.subtle) throw new TypeError("No WebCrypto: pass platform.randomBytes and platform.subtle");
    return value;
  };
  return {
    clock: {
      now: () => Date.now(),
      setTimeout(callback, ms, options) {
        const handle = setTimeout(callback, ms);
        if (!options?.keepAlive) (handle as any).unref?.();
        return handle;
      },
      clearTimeout: (handle) => clearTimeout(handle as number),
    },
    storage: createMemoryStorage(),
    fetch: (input, init) => fetch(input, init),
    randomBytes: (length) => crypto().getRandomValues(new Uint8Array(length)),
    get subtle() {
      return crypto().subtle;
    },
    // Absent without Web Locks, so the session knows to stagger its tabs' refreshes instead.
    get lock(): Platform["lock"] {
      const locks = g.navigator?.locks;
      return locks && ((name, task, options) => {
        const ms = options?.timeoutMs;
        return locks.request(name, ms ? { signal: AbortSignal.timeout(ms) } : {}, task);
      });
    },
    broadcast(name) {
      if (g.document && g.BroadcastChannel) return new g.BroadcastChannel(name);
    },
  };
}
