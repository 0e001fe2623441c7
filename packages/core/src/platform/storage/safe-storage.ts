import type { KeyValueStorage } from "../types.js";

/** Told once, when a storage failed and the session moved to memory. */
export interface StorageWarning {
  type: "storageUnavailable";
  operation: "getItem" | "setItem" | "removeItem";
  error: unknown;
}

/** Options of {@link createSafeStorage}. */
export interface SafeStorageOptions {
  /** Called once, on the first failure; its own exceptions are swallowed. */
  onWarning?: (warning: StorageWarning) => void;
}

/** A storage that never throws; `degraded` tells whether it fell back to memory. */
export interface SafeStorage extends KeyValueStorage {
  readonly degraded: boolean;
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
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
  const memory = new Map<string, string>();
  let degraded = false;

  const degrade = (operation: StorageWarning["operation"], error: unknown) => {
    if (degraded) return;
    degraded = true;
    try {
      options.onWarning?.({ type: "storageUnavailable", operation, error });
    } catch {
      // A failing warning handler must not turn into the exception we promised not to throw.
    }
  };

  return {
    get degraded() {
      return degraded;
    },
    async getItem(key) {
      if (!degraded) {
        try {
          const value = await storage.getItem(key);
          return typeof value === "string" ? value : null;
        } catch (error) {
          degrade("getItem", error);
        }
      }
      return memory.get(key) ?? null;
    },
    async setItem(key, value) {
      if (!degraded) {
        try {
          await storage.setItem(key, value);
          return;
        } catch (error) {
          degrade("setItem", error);
        }
      }
      memory.set(key, value);
    },
    async removeItem(key) {
      if (!degraded) {
        try {
          await storage.removeItem(key);
          return;
        } catch (error) {
          degrade("removeItem", error);
        }
      }
      memory.delete(key);
    },
  };
}
