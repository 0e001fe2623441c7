import { createDeviceGroupKey, createDeviceKey } from "../ids.js";
import type { EmulatorClock } from "../control/emulator-clock.js";
import type { SrpVerifier } from "../srp/srp-math.js";

/** A device ConfirmDevice registered for a user. */
export interface DeviceRecord {
  key: string;
  /** The user's real username. */
  username: string;
  groupKey: string;
  /** The device secret's SRP verifier (from DeviceSecretVerifierConfig). */
  verifier: SrpVerifier;
  name: string | undefined;
  status: "remembered" | "not_remembered";
  createdAt: number;
  modifiedAt: number;
  lastAuthenticatedAt: number | undefined;
}

/** The pool's devices: keys handed out in `NewDeviceMetadata`, and the confirmed devices. */
export interface DeviceStore {
  /** A new device key for a user (and their group key), to confirm with ConfirmDevice. */
  offer(username: string): { DeviceKey: string; DeviceGroupKey: string };
  /** The user a key was handed to, while it waits for ConfirmDevice. */
  offeredTo(key: string): string | undefined;
  /** Registers (or re-registers) an offered device. */
  confirm(device: Omit<DeviceRecord, "groupKey" | "createdAt" | "modifiedAt" | "lastAuthenticatedAt">): DeviceRecord;
  /** A confirmed device of this user; undefined for unknown keys and other users' devices. */
  ofUser(key: string, username: string): DeviceRecord | undefined;
  /** A user's confirmed devices, oldest first. */
  listOf(username: string): DeviceRecord[];
  forget(key: string): void;
  /** Drops every device and key of a deleted user. */
  forgetUser(username: string): void;
  /** Everything the store holds, for the state file. */
  snapshot(): DeviceSnapshot;
  /** Puts back what `snapshot()` returned (into an empty store). */
  restore(saved: DeviceSnapshot): void;
}

/** The device table as plain data: group keys and offered keys by user, confirmed devices. */
export interface DeviceSnapshot {
  groupKeys: Array<[string, string]>;
  offered: Array<[string, string]>;
  devices: DeviceRecord[];
}

/**
 * Creates the device table. Usernames compare case-insensitively, as the user store's do.
 *
 * @example
 * const devices = createDeviceStore(region, clock);
 * const { DeviceKey, DeviceGroupKey } = devices.offer(user.username);
 */
export function createDeviceStore(region: string, clock: EmulatorClock): DeviceStore {
  const lower = (s: string) => s.toLowerCase();
  const groupKeys = new Map<string, string>();
  const offered = new Map<string, string>();
  const devices = new Map<string, DeviceRecord>();
  const groupKeyOf = (username: string) => {
    let key = groupKeys.get(lower(username));
    if (key === undefined) groupKeys.set(lower(username), (key = createDeviceGroupKey()));
    return key;
  };
  return {
    offer(username) {
      const DeviceKey = createDeviceKey(region);
      offered.set(DeviceKey, username);
      return { DeviceKey, DeviceGroupKey: groupKeyOf(username) };
    },
    offeredTo: (key) => offered.get(key),
    confirm(input) {
      const now = clock.now();
      const device: DeviceRecord = { ...input, groupKey: groupKeyOf(input.username), createdAt: now, modifiedAt: now, lastAuthenticatedAt: undefined };
      devices.set(input.key, device);
      return device;
    },
    ofUser(key, username) {
      const device = devices.get(key);
      return device && lower(device.username) === lower(username) ? device : undefined;
    },
    listOf: (username) => [...devices.values()].filter((d) => lower(d.username) === lower(username)),
    forget(key) {
      devices.delete(key);
      offered.delete(key);
    },
    forgetUser(username) {
      for (const [key, device] of devices) if (lower(device.username) === lower(username)) devices.delete(key);
      for (const [key, owner] of offered) if (lower(owner) === lower(username)) offered.delete(key);
      groupKeys.delete(lower(username));
    },
    snapshot: () => ({ groupKeys: [...groupKeys], offered: [...offered], devices: [...devices.values()] }),
    restore(saved) {
      for (const [user, key] of saved.groupKeys) groupKeys.set(user, key);
      for (const [key, user] of saved.offered) offered.set(key, user);
      for (const device of saved.devices) devices.set(device.key, device);
    },
  };
}
