import type { AuthClient } from "../client.js";
import { checkObject, checkOptional } from "../user-pool/check-input.js";
import type { AccountCallOptions } from "../user-pool/fetch-user-attributes.js";
import { runChecked } from "../user-pool/run-checked.js";
import { currentDevice, noDevice } from "./current-device.js";

/**
 * Remembers the device the user is signed in on (UpdateDeviceStatus `remembered`), for pools
 * that remember devices on the user's say-so ("user opt-in"). Where the pool skips MFA on
 * remembered devices, the next sign-in here proves the device instead of asking for a code.
 * The device itself was confirmed at sign-in; its key and secret stay in the client's storage
 * across sign-outs. Fails with `ERR_NOT_SIGNED_IN` when nobody is signed in, and with
 * `ERR_RESOURCE_NOT_FOUND` when the session has no device (the pool does not track devices).
 *
 * @example
 * if (confirm("Remember this browser? You will not be asked for a code here again.")) await rememberDevice(client);
 */
export function rememberDevice(client: AuthClient<any>, options: AccountCallOptions = {}): Promise<void> {
  return runChecked(client, "rememberDevice", (context) => {
    checkObject(options, "rememberDevice");
    checkOptional(options, "rememberDevice");
    return (async () => {
      const { accessToken, deviceKey } = await currentDevice(context);
      if (!deviceKey) throw noDevice();
      await context.transport.userPool(
        "UpdateDeviceStatus",
        { AccessToken: accessToken, DeviceKey: deviceKey, DeviceRememberedStatus: "remembered" },
        { signal: options.signal },
      );
    })();
  });
}
