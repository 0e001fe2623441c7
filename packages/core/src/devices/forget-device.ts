import type { AuthClient } from "../client.js";
import { createSafeStorage } from "../platform/storage/safe-storage.js";
import { deviceRecordKey } from "./device-record.js";
import { checkObject, checkOptional } from "../user-pool/check-input.js";
import { runChecked } from "../user-pool/run-checked.js";
import { currentDevice, noDevice } from "./current-device.js";

/** Input of {@link forgetDevice}. */
export interface ForgetDeviceInput {
  /** The device to forget (a `deviceKey` from `listDevices`); the one signed in on when left out. */
  deviceKey?: string;
  signal?: AbortSignal;
}

/**
 * Makes Cognito forget one of the user's devices (ForgetDevice): the device signed in on by
 * default, or another by its `deviceKey`. Forgetting this device also drops what the client
 * kept of it, so the next sign-in here asks for MFA again and registers a new device. Cognito
 * binds refresh tokens to their device: a forgotten device's sessions, this one included,
 * can no longer refresh and end when their tokens expire. Fails with `ERR_NOT_SIGNED_IN` when
 * nobody is signed in, and with `ERR_RESOURCE_NOT_FOUND` for a device Cognito does not know
 * (or a session without one).
 *
 * @example
 * // "Sign out of the laptop I lost": from the list of devices on the account page.
 * await forgetDevice(client, { deviceKey: lost.deviceKey });
 */
export function forgetDevice(client: AuthClient<any>, input: ForgetDeviceInput = {}): Promise<void> {
  return runChecked(client, "forgetDevice", (context) => {
    checkObject(input, "forgetDevice");
    checkOptional(input, "forgetDevice");
    if (input.deviceKey !== undefined && (typeof input.deviceKey != "string" || !input.deviceKey)) {
      throw new TypeError("forgetDevice: `deviceKey` must be a non-empty string");
    }
    const { config, platform, transport } = context;
    return (async () => {
      const current = await currentDevice(context);
      const deviceKey = input.deviceKey ?? current.deviceKey;
      if (!deviceKey) throw noDevice();
      await transport.userPool("ForgetDevice", { AccessToken: current.accessToken, DeviceKey: deviceKey }, { signal: input.signal });
      // What this client kept goes only with this device: another device's key is kept elsewhere.
      if (deviceKey === current.deviceKey) await createSafeStorage(platform.storage).removeItem(deviceRecordKey(config.userPoolClientId, current.username));
    })();
  });
}
