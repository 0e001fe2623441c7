import type { KeyValueStorage } from "../platform/types.js";

/**
 * What a client keeps of a device Cognito confirmed for a user: the device key, its group
 * key, and the secret whose SRP verifier Cognito holds (the device's own password, never
 * sent). Together they prove the device at sign-in (DEVICE_SRP_AUTH): keep them like the
 * refresh token.
 */
export interface StoredDevice {
  deviceKey: string;
  groupKey: string;
  secret: string;
}

/**
 * The storage key of the device kept for `username` (Cognito's own name of the user: the
 * access token's `username`, a challenge's `USER_ID_FOR_SRP`, not an alias) in an app client.
 *
 * Why a record of its own and not a field of the session record: a remembered device must
 * outlive the session. A local sign-out removes the session record, and the next sign-in must
 * still find the device, or it would ask for MFA again and register one more device. Devices
 * are also per user (people may take turns on a browser), while the session record holds
 * whoever is signed in now. So each user's device is one versioned record, written whole like
 * the session: a reader never sees the key of one device beside the secret of another. Only
 * `forgetDevice`, `deleteUser` and Cognito's "Device does not exist." at sign-in remove it.
 *
 * @example
 * deviceRecordKey("3n4b5urk1ft4fl3mg5e62d9ado", "ana") // "cogkit.3n4b5urk1ft4fl3mg5e62d9ado.device.ana"
 */
export function deviceRecordKey(clientId: string, username: string): string {
  return `cogkit.${clientId}.device.${username}`;
}

/** Reads the device kept under `key`; anything unreadable (or of another version) is none. */
export async function readDevice(storage: KeyValueStorage, key: string): Promise<StoredDevice | undefined> {
  try {
    const { v, deviceKey, groupKey, secret } = JSON.parse((await storage.getItem(key))!);
    if (v === 1 && [deviceKey, groupKey, secret].every((value) => typeof value == "string" && value)) return { deviceKey, groupKey, secret };
  } catch {}
  return undefined;
}

/**
 * The user name an alias record under `key` points to. Users of the password flow may sign in
 * with an alias (email, phone) while their device is kept under Cognito's own name of them:
 * the first such sign-in leaves `{ v: 1, alias }` under the alias, so later ones find it.
 */
export async function readAlias(storage: KeyValueStorage, key: string): Promise<string | undefined> {
  try {
    const { v, alias } = JSON.parse((await storage.getItem(key))!);
    if (v === 1 && typeof alias == "string" && alias) return alias;
  } catch {}
  return undefined;
}

/** Keeps `device` under `key`, as one versioned record written whole. */
export async function writeDevice(storage: KeyValueStorage, key: string, device: StoredDevice): Promise<void> {
  const { deviceKey, groupKey, secret } = device;
  await storage.setItem(key, JSON.stringify({ v: 1, deviceKey, groupKey, secret }));
}
