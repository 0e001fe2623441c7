import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import { unknownDevice } from "./complete-sign-in.js";
import type { DeviceRecord } from "./device-store.js";
import { authenticateAccessToken } from "./get-user.js";

const deviceKeyPattern = { source: "[\\w-]+_[0-9a-f-]+", test: (v: string) => /^[\w-]+_[0-9a-f-]+$/.test(v) };

/** Reads the required `DeviceKey` member with the service model's constraints. */
export function readDeviceKey(v: ReturnType<typeof createInputValidator>): string {
  return v.string("DeviceKey", "deviceKey", { required: true, minLength: 1, maxLength: 55, pattern: deviceKeyPattern });
}

/** Cognito's `DeviceType`; its dates are epoch seconds on the wire. */
function deviceType(device: DeviceRecord) {
  const seconds = (ms: number) => ms / 1000;
  return {
    DeviceKey: device.key,
    DeviceAttributes: [
      { Name: "device_status", Value: "valid" },
      ...(device.name !== undefined ? [{ Name: "device_name", Value: device.name }] : []),
      { Name: "dev:device_remembered_status", Value: device.status },
    ],
    DeviceCreateDate: seconds(device.createdAt),
    DeviceLastModifiedDate: seconds(device.modifiedAt),
    ...(device.lastAuthenticatedAt !== undefined ? { DeviceLastAuthenticatedDate: seconds(device.lastAuthenticatedAt) } : {}),
  };
}

/** The signed-in user's device named by `DeviceKey`; another user's device does not exist. */
async function usersDevice(input: Record<string, unknown>, state: EmulatorState, extra?: (v: ReturnType<typeof createInputValidator>) => void) {
  const v = createInputValidator(input);
  const key = readDeviceKey(v);
  extra?.(v);
  v.throwIfInvalid();
  const user = await authenticateAccessToken(input, state);
  const device = state.devices.ofUser(key, user.username);
  if (!device) throw unknownDevice();
  return device;
}

/** `GetDevice`: one device of the signed-in user. */
export async function getDevice(input: Record<string, unknown>, state: EmulatorState) {
  return { Device: deviceType(await usersDevice(input, state)) };
}

/** `ForgetDevice`: the device is gone; its key no longer signs in or refreshes. */
export async function forgetDevice(input: Record<string, unknown>, state: EmulatorState) {
  const device = await usersDevice(input, state);
  state.devices.forget(device.key);
  return {};
}

/** `UpdateDeviceStatus`: the user remembers a device (or stops remembering it). */
export async function updateDeviceStatus(input: Record<string, unknown>, state: EmulatorState) {
  let status: string | undefined;
  const device = await usersDevice(input, state, (v) => {
    status = v.string("DeviceRememberedStatus", "deviceRememberedStatus", { oneOf: ["remembered", "not_remembered"] });
  });
  if (status !== undefined) device.status = status as DeviceRecord["status"];
  device.modifiedAt = state.clock.now();
  return {};
}

const maxLimit = 60;

/** `ListDevices`: the signed-in user's devices, `Limit` (at most 60) a page. */
export async function listDevices(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const limit = input.Limit;
  if (limit !== undefined && limit !== null) {
    if (typeof limit !== "number" || !Number.isInteger(limit)) throw new CognitoError("SerializationException", "Unexpected value type for 'limit': expected an integer");
    if (limit < 0) v.problem(`Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 0`);
    if (limit > maxLimit) v.problem(`Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${maxLimit}`);
  }
  const token = v.string("PaginationToken", "paginationToken", { minLength: 1, pattern: { source: "[\\S]+", test: (t) => /^\S+$/.test(t) } });
  v.throwIfInvalid();
  const user = await authenticateAccessToken(input, state);
  const devices = state.devices.listOf(user.username);
  let start = 0;
  if (token !== undefined) {
    // The token names the last device of the previous page.
    const after = Buffer.from(token, "base64url").toString("utf8");
    const index = devices.findIndex((d) => d.key === after);
    if (index < 0) throw invalidParameter("Invalid pagination token.");
    start = index + 1;
  }
  const size = typeof limit === "number" && limit > 0 ? limit : maxLimit;
  const page = devices.slice(start, start + size);
  const more = start + size < devices.length;
  return {
    Devices: page.map(deviceType),
    ...(more ? { PaginationToken: Buffer.from(page[page.length - 1]!.key, "utf8").toString("base64url") } : {}),
  };
}
