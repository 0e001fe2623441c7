import type { KeyValueStorage } from "./types.js";

/**
 * A {@link KeyValueStorage} in a `Map`: the default, right for servers (one client per
 * request) and tests; nothing survives a reload.
 *
 * @example
 * const client = createAuthClient(config, { platform: { storage: createMemoryStorage() } });
 */
export function createMemoryStorage(): KeyValueStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}
