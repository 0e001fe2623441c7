import type { EmulatorClock } from "../control/emulator-clock.js";
import { createOpaqueToken } from "../ids.js";

/**
 * Values under random, unguessable keys that vanish after a lifetime of emulator time:
 * authorization codes, pending sign-ins of the hosted UI, its session cookies.
 */
export interface ExpiringStore<T> {
  /** Stores a value and returns its new key. */
  put(value: T): string;
  /** The value while it lives. */
  get(key: string): T | undefined;
  /** Forgets a key. */
  delete(key: string): void;
}

/**
 * Creates an expiring store; expired entries are dropped as new ones come in, so a
 * long-running emulator does not grow without end.
 *
 * @example
 * const codes = createExpiringStore<CodeGrant>(clock, 5 * 60 * 1000);
 * const code = codes.put(grant);
 */
export function createExpiringStore<T>(clock: EmulatorClock, lifetimeMs: number, keyBytes = 32): ExpiringStore<T> {
  const entries = new Map<string, { value: T; expiresAt: number }>();
  return {
    put(value) {
      const now = clock.now();
      for (const [key, entry] of entries) if (now >= entry.expiresAt) entries.delete(key);
      const key = createOpaqueToken(keyBytes);
      entries.set(key, { value, expiresAt: now + lifetimeMs });
      return key;
    },
    get(key) {
      const entry = entries.get(key);
      return entry && clock.now() < entry.expiresAt ? entry.value : undefined;
    },
    delete: (key) => void entries.delete(key),
  };
}
