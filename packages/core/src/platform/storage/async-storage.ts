import type { KeyValueStorage } from "../types.js";

/**
 * The part of React Native's `AsyncStorage` (or any promise-based store) cogkit uses.
 *
 * @example
 * const files: AsyncStorageLike = { getItem: read, setItem: write, removeItem: remove };
 */
export interface AsyncStorageLike {
  /** The value under `key`; `null` or `undefined` when there is none. */
  getItem(key: string): Promise<string | null | undefined>;
  /** Stores `value` under `key`; what it resolves to is ignored. */
  setItem(key: string, value: string): Promise<unknown>;
  /** Removes `key`; what it resolves to is ignored. */
  removeItem(key: string): Promise<unknown>;
}

/**
 * A {@link KeyValueStorage} over an async key-value store with React Native's
 * `AsyncStorage` shape. Missing values come back as `null` whatever the store returns.
 *
 * @example
 * import AsyncStorage from "@react-native-async-storage/async-storage";
 * const storage = createAsyncStorage(AsyncStorage);
 */
export function createAsyncStorage(store: AsyncStorageLike): KeyValueStorage {
  if (store === null || typeof store !== "object" || typeof store.getItem !== "function") {
    throw new TypeError("createAsyncStorage expects an object with getItem, setItem and removeItem");
  }
  return {
    getItem: async (key) => (await store.getItem(key)) ?? null,
    setItem: async (key, value) => void (await store.setItem(key, value)),
    removeItem: async (key) => void (await store.removeItem(key)),
  };
}
