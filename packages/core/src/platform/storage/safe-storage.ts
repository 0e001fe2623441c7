import { createMemoryStorage } from "../memory-storage.js";
import type { KeyValueStorage } from "../types.js";

/**
 * Told once, when a storage failed and the session moved to memory.
 *
 * @example
 * createSafeStorage(storage, { onWarning: (w) => report(`storage ${w.operation} failed`, w.error) });
 */
export interface StorageWarning {
  type: "storageUnavailable";
  operation: "getItem" | "setItem" | "removeItem";
  error: unknown;
}

/**
 * Options of {@link createSafeStorage}.
 *
 * @example
 * const options: SafeStorageOptions = { onWarning: (w) => report(w.operation) };
 */
export interface SafeStorageOptions {
  /** Called once, on the first failure; its own exceptions are swallowed. */
  onWarning?: (warning: StorageWarning) => void;
}

/**
 * A storage that never throws; `degraded` tells whether it fell back to memory.
 *
 * @example
 * const storage = createSafeStorage(createWebStorage("local"));
 * if (storage.degraded) warnSessionNotKept();
 */
export interface SafeStorage extends KeyValueStorage {
  /** True once a failure moved it to memory: the session then lasts as long as the page. */
  readonly degraded: boolean;
  /** The value under `key`, or `null`; never rejects. */
  getItem(key: string): Promise<string | null>;
  /** Stores `value` under `key`; never rejects. */
  setItem(key: string, value: string): Promise<void>;
  /** Removes `key`; never rejects. */
  removeItem(key: string): Promise<void>;
}

/**
 * Wraps a storage that may throw (quota exceeded, private mode, `SecurityError`, a broken
 * native module) so that the first failure moves it, for good, to an in-memory map: the
 * user stays signed in for the life of the page instead of seeing an exception. The value
 * being written when the failure happened is kept in memory, so the next read sees it.
 *
 * @example
 * const storage = createSafeStorage(createWebStorage("local"), {
 *   onWarning: (w) => console.warn(`session kept in memory: ${w.operation} failed`),
 * });
 */
export function createSafeStorage(storage: KeyValueStorage, options: SafeStorageOptions = {}): SafeStorage {
  // Where the session lives once the storage failed.
  const memory = createMemoryStorage();
  let degraded = false;
  // One path for the three operations: try the storage, and on its first failure move to memory for good.
  const run = async (operation: StorageWarning["operation"], key: string, value?: string): Promise<any> => {
    if (!degraded) {
      try {
        const result = await storage[operation](key, value!);
        return operation === "getItem" && typeof result !== "string" ? null : result;
      } catch (error) {
        degraded = true;
        try {
          options.onWarning?.({ type: "storageUnavailable", operation, error });
        } catch {
          // A failing warning handler must not turn into the exception we promised not to throw.
        }
      }
    }
    return memory[operation](key, value!);
  };
  return {
    get degraded() {
      return degraded;
    },
    getItem: (key) => run("getItem", key),
    setItem: (key, value) => run("setItem", key, value),
    removeItem: (key) => run("removeItem", key),
  };
}
