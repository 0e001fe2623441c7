import type { KeyValueStorage } from "../types.js";

/**
 * A {@link KeyValueStorage} over the browser's `localStorage` (`"local"`, survives restarts,
 * shared by tabs) or `sessionStorage` (`"session"`, one tab). The global is read at each
 * call, never at import, so this module loads anywhere; where the area is missing or
 * forbidden (private mode, sandboxed iframe) the call throws; the client wraps every storage in
 * `createSafeStorage`, which falls back to memory instead.
 *
 * @example
 * // The client already keeps the session in memory (with a `storageWarning`) if the storage throws.
 * const client = createAuthClient(config, { platform: { storage: createWebStorage("session") } });
 */
export function createWebStorage(kind: "local" | "session" = "local"): KeyValueStorage {
  if (kind !== "local" && kind !== "session") throw new TypeError('createWebStorage expects "local" or "session"');
  const name = kind === "local" ? "localStorage" : "sessionStorage";
  const area = (): Storage => {
    // Reading the property itself throws a SecurityError where storage is disabled.
    const storage = (globalThis as { localStorage?: Storage; sessionStorage?: Storage })[name];
    if (storage === undefined || storage === null) throw new TypeError(`${name} is not available in this runtime`);
    return storage;
  };
  return {
    shared: kind === "local",
    getItem: (key) => area().getItem(key),
    setItem: (key, value) => area().setItem(key, value),
    removeItem: (key) => area().removeItem(key),
  };
}
