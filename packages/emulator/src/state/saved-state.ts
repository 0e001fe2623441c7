import type { EmulatorState, StateSeed } from "../emulator-state.js";
import type { IdentityRecord } from "../identity-pool/identity-store.js";
import type { RefreshTokenSnapshot } from "../tokens/refresh-token-store.js";
import { signingKeysOf } from "../tokens/signing-keys.js";
import type { DeviceSnapshot } from "../user-pool/device-store.js";
import type { UserRecord } from "../user-pool/user-store.js";
import type { EmulatorIds } from "./fixed-ids.js";
import { exportSigningKey, importSigningKey, type SavedSigningKey } from "./signing-key-codec.js";
import { fromTaggedJson, toTaggedJson } from "./tagged-json.js";

/**
 * Version 1 of a state file's `data`: what a developer expects to find again after a
 * restart. Sign-in sessions between challenges, hosted-UI cookies, unread outbox messages
 * and issued AWS credentials are short-lived and start empty.
 */
export interface SavedStateData {
  ids: EmulatorIds;
  /** How far tests or the control API had moved emulator time ahead of the wall clock. */
  clockOffsetMs: number;
  keys: { id: SavedSigningKey; access: SavedSigningKey };
  /** Keeps an unknown user's decoy SRP salt the same across restarts. */
  decoySecret: string;
  /** The pool's groups beyond the definition's (e.g. `<poolId>_Google` of federated users). */
  groups: string[];
  /** Tagged JSON (Maps, Sets and bigints marked) of the stores' records. */
  users: unknown[];
  devices: unknown;
  identities: unknown;
  refreshTokens: unknown;
}

/** A state file read and its keys imported: the seed of a new emulator and the records to put back. */
export interface LoadedState {
  seed: StateSeed;
  data: SavedStateData;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Checks a state file's data and imports its keys. Throws a TypeError saying which part is
 * wrong; the caller names the file.
 */
export async function loadSavedState(data: unknown): Promise<LoadedState> {
  if (!isRecord(data)) throw new TypeError("its data is not an object");
  const ids = data.ids;
  if (!isRecord(ids) || typeof ids.region !== "string" || typeof ids.userPoolId !== "string" || typeof ids.userPoolClientId !== "string") {
    throw new TypeError("its ids are missing or incomplete");
  }
  for (const part of ["users"] as const) if (!Array.isArray(data[part])) throw new TypeError(`its ${part} are not a list`);
  if (!isRecord(data.keys)) throw new TypeError("its signing keys are missing");
  if (typeof data.decoySecret !== "string") throw new TypeError("its decoySecret is missing");
  const [id, access] = await Promise.all([importSigningKey(data.keys.id as SavedSigningKey), importSigningKey(data.keys.access as SavedSigningKey)]);
  const saved = data as unknown as SavedStateData;
  return { seed: { ids: saved.ids, keys: signingKeysOf(id, access), decoySecret: Buffer.from(saved.decoySecret, "base64") }, data: saved };
}

/** Puts a state file's records into a new emulator built from its seed. */
export function restoreSavedState(state: EmulatorState, data: SavedStateData): void {
  if (data.clockOffsetMs > 0) state.clock.advance(data.clockOffsetMs);
  for (const group of data.groups ?? []) state.pool.groups.add(group);
  // add() rebuilds the store's indexes (by username and by alias) from the plain records.
  for (const user of data.users) state.users.add(fromTaggedJson(user) as UserRecord);
  if (data.devices !== undefined) state.devices.restore(fromTaggedJson(data.devices) as DeviceSnapshot);
  if (data.identities !== undefined) state.identities.restore(fromTaggedJson(data.identities) as IdentityRecord[]);
  if (data.refreshTokens !== undefined) state.refreshTokens.restore(fromTaggedJson(data.refreshTokens) as RefreshTokenSnapshot);
}

/**
 * Makes the snapshot function of an emulator: its keys are exported once, then every call
 * returns the state file's data as it is now.
 */
export async function createSnapshot(state: EmulatorState): Promise<() => SavedStateData> {
  const keys = { id: await exportSigningKey(state.keys.id), access: await exportSigningKey(state.keys.access) };
  const definitionGroups = new Set(state.definition.groups ?? []);
  const machineClient = state.oauth.machineClient;
  const ids: EmulatorIds = {
    region: state.pool.region,
    userPoolId: state.pool.id,
    userPoolClientId: state.client.id,
    ...(state.client.secret !== undefined ? { clientSecret: state.client.secret } : {}),
    ...(state.identityPool ? { identityPoolId: state.identityPool.id } : {}),
    ...(machineClient ? { machineClient: { clientId: machineClient.clientId, clientSecret: machineClient.clientSecret } } : {}),
  };
  const decoySecret = state.decoySecret.toString("base64");
  return () => ({
    ids,
    clockOffsetMs: Math.max(0, state.clock.now() - Date.now()),
    keys,
    decoySecret,
    groups: [...state.pool.groups].filter((g) => !definitionGroups.has(g)),
    users: state.users.all().map(toTaggedJson),
    devices: toTaggedJson(state.devices.snapshot()),
    identities: toTaggedJson(state.identities.snapshot()),
    refreshTokens: toTaggedJson(state.refreshTokens.snapshot()),
  });
}
