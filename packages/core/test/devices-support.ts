// What the remembered-device tests share: a pool that asks every user for an SMS code and
// tracks devices, and a way to see what a client keeps of its device.
import { defineAuth, type KeyValueStorage } from "@cogkit/core";

/** Signs in with email; MFA by SMS is required, so a remembered device is what skips it. */
export const deviceAuth = defineAuth({ loginWith: { email: true }, multifactor: { mode: "REQUIRED", sms: true } });

/** Cognito's "remember devices: user opt-in" with "skip MFA on remembered devices" on. */
export const userOptIn = { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true };

export const password = "Corr3ct-Horse!";
export const phone = "+15550100124";

let counter = 0;
/** A new address each call. */
export const newEmail = () => `device${++counter}.${Date.now()}@example.com`;

/** The device record a storage holds (under a `cogkit.<client>.device.<user>` key), parsed; alias records are passed over. */
export async function keptDevice(storage: KeyValueStorage & { keys(): string[] }): Promise<Record<string, unknown> | undefined> {
  for (const key of storage.keys().filter((name) => name.includes(".device."))) {
    const record = JSON.parse((await storage.getItem(key))!);
    if ("deviceKey" in record) return record;
  }
  return undefined;
}

/** A memory storage whose keys a test can list. */
export function listableStorage(): KeyValueStorage & { keys(): string[] } {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    keys: () => [...items.keys()],
  };
}
