import { randomFillSync, webcrypto } from "node:crypto";
import type { KeyValueStorage, Platform } from "@cogkit/core";
import { cogkitConfigDir } from "../storage/config-dir.js";
import { createFileLock } from "../storage/file-lock.js";
import { createFileStorage } from "../storage/file-storage.js";
import { nativeModPow } from "./native-mod-pow.js";

/** Options of {@link createNodePlatform}. */
export interface NodePlatformOptions {
  /** Where the session lives; a {@link createFileStorage} file of `profile` and `clientId` by default. */
  storage?: KeyValueStorage;
  /** The profile of the default storage and of the lock files; default `default`. */
  profile?: string;
  /** The app client id, naming the default storage's file. */
  clientId?: string;
  /** The directory of the default storage and the lock files; cogkit's config directory by default. */
  dir?: string;
}

/**
 * The {@link Platform} for Node: `node:crypto` for randomness, WebCrypto and SRP's big-number
 * maths (OpenSSL, several times faster than BigInt), background timers (the scheduled refresh)
 * `unref()`'d so a script exits on its own while waits a caller awaits (a retry's backoff,
 * `{ keepAlive: true }`) keep it alive until the call settles, the session in a file, and a lock file around each refresh so processes sharing
 * the file refresh once. No `broadcast`: other processes are seen through the file, which
 * core re-reads before refreshing.
 *
 * @example
 * const client = createAuthClient(config, { platform: createNodePlatform({ profile: "ci", clientId: config.userPoolClientId }) });
 */
export function createNodePlatform(options: NodePlatformOptions = {}): Platform {
  const dir = options.dir ?? cogkitConfigDir();
  return {
    clock: {
      now: () => Date.now(),
      setTimeout(callback, ms, timerOptions) {
        const handle = setTimeout(callback, ms);
        if (!timerOptions?.keepAlive) handle.unref();
        return handle;
      },
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
    storage: options.storage ?? createFileStorage({ dir, profile: options.profile, clientId: options.clientId }),
    fetch: (input, init) => fetch(input, init),
    randomBytes: (length) => randomFillSync(new Uint8Array(length)),
    subtle: webcrypto.subtle as SubtleCrypto,
    modPow: nativeModPow,
    lock: createFileLock({ dir, profile: options.profile }),
  };
}
