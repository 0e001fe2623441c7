import type { DeviceType } from "@aws-sdk/client-cognito-identity-provider";
import type { AuthClient } from "../client.js";
import { checkObject, checkOptional } from "../user-pool/check-input.js";
import { runChecked } from "../user-pool/run-checked.js";
import { currentDevice } from "./current-device.js";

/** Input of {@link listDevices}. */
export interface ListDevicesInput {
  /** Devices a page, 1 to 60 (Cognito's most, and its default). */
  limit?: number;
  /** The `paginationToken` of the previous page. */
  paginationToken?: string;
  signal?: AbortSignal;
}

/** One device of the user, as {@link listDevices} describes it. */
export interface UserDevice {
  deviceKey: string;
  /** The name given at confirmation (cogkit gives the browser's user agent); absent if none. */
  name: string | undefined;
  /** Remembered: where the pool says so, signing in on it skips MFA. */
  remembered: boolean;
  /** The device this session was signed in on. */
  current: boolean;
  /** The IP address Cognito last saw the device use, where it reports one. */
  lastIp: string | undefined;
  createdAt: Date | undefined;
  lastModifiedAt: Date | undefined;
  /** When the device last proved itself at a sign-in; absent before it ever did. */
  lastAuthenticatedAt: Date | undefined;
  /** Every attribute Cognito holds for the device (`device_status`, `device_name`, `last_ip_used`, ...). */
  attributes: Record<string, string>;
}

/** What {@link listDevices} returns. */
export interface ListDevicesResult {
  devices: UserDevice[];
  /** Present when there are more devices: pass it to get the next page. */
  paginationToken: string | undefined;
}

// A date the fetch transport gives as epoch seconds and the AWS SDK's as a Date.
const dateOf = (value: Date | number | undefined) => (value === undefined ? undefined : new Date(typeof value == "number" ? value * 1000 : value));

function userDevice(device: DeviceType, currentKey: string | undefined): UserDevice {
  const attributes = Object.fromEntries((device.DeviceAttributes ?? []).map(({ Name, Value }) => [Name, Value])) as Record<string, string>;
  return {
    deviceKey: device.DeviceKey!,
    name: attributes.device_name,
    remembered: attributes["dev:device_remembered_status"] === "remembered",
    current: device.DeviceKey === currentKey,
    lastIp: attributes.last_ip_used,
    createdAt: dateOf(device.DeviceCreateDate),
    lastModifiedAt: dateOf(device.DeviceLastModifiedDate),
    lastAuthenticatedAt: dateOf(device.DeviceLastAuthenticatedDate),
    attributes,
  };
}

/**
 * The signed-in user's devices (ListDevices), oldest first, a page at a time: each with its
 * key, name, whether it is remembered and whether it is this one, and Cognito's dates and
 * attributes. Fails with `ERR_NOT_SIGNED_IN` when nobody is signed in.
 *
 * @example
 * let page = await listDevices(client, { limit: 20 });
 * show(page.devices.map((d) => `${d.name ?? d.deviceKey}${d.current ? " (this device)" : ""}`));
 * if (page.paginationToken) page = await listDevices(client, { limit: 20, paginationToken: page.paginationToken });
 */
export function listDevices(client: AuthClient<any>, input: ListDevicesInput = {}): Promise<ListDevicesResult> {
  return runChecked(client, "listDevices", (context) => {
    checkObject(input, "listDevices");
    checkOptional(input, "listDevices");
    const { limit, paginationToken } = input;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 60)) throw new TypeError("listDevices: `limit` must be a whole number from 1 to 60");
    if (paginationToken !== undefined && (typeof paginationToken != "string" || !paginationToken)) {
      throw new TypeError("listDevices: `paginationToken` must be a non-empty string");
    }
    return (async () => {
      const { accessToken, deviceKey } = await currentDevice(context);
      const output = await context.transport.userPool(
        "ListDevices",
        { AccessToken: accessToken, Limit: limit, PaginationToken: paginationToken },
        { signal: input.signal },
      );
      return { devices: (output.Devices ?? []).map((device) => userDevice(device, deviceKey)), paginationToken: output.PaginationToken };
    })();
  });
}
