import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import type { SrpVerifier } from "../srp/srp-math.js";
import { unknownDevice } from "./complete-sign-in.js";
import { readDeviceKey } from "./device-operations.js";
import { authenticateAccessToken } from "./get-user.js";

/** Reads DeviceSecretVerifierConfig: the verifier and salt, base64 of their big-endian bytes. */
function readVerifierConfig(input: Record<string, unknown>, v: ReturnType<typeof createInputValidator>): SrpVerifier | undefined {
  const value = input.DeviceSecretVerifierConfig;
  if (value === undefined || value === null) {
    v.problem("Value null at 'deviceSecretVerifierConfig' failed to satisfy constraint: Member must not be null");
    return undefined;
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new CognitoError("SerializationException", "Unexpected value type for 'deviceSecretVerifierConfig': expected { PasswordVerifier, Salt }");
  }
  const config = createInputValidator(value as Record<string, unknown>);
  const verifier = config.string("PasswordVerifier", "passwordVerifier", { required: true, sensitive: true, minLength: 1 });
  const salt = config.string("Salt", "salt", { required: true, sensitive: true, minLength: 1 });
  config.throwIfInvalid();
  const asNumber = (base64: string) => {
    const hex = Buffer.from(base64, "base64").toString("hex");
    // Never echo the value: it is the device's verifier.
    if (hex === "" || /^0*$/.test(hex)) throw invalidParameter("DeviceSecretVerifierConfig must hold base64 of positive numbers");
    return BigInt(`0x${hex}`);
  };
  return { verifier: asNumber(verifier), salt: asNumber(salt) };
}

/**
 * `ConfirmDevice`: registers a device key the pool handed this user in `NewDeviceMetadata`,
 * with the SRP verifier of the device's secret, so later sign-ins can answer
 * DEVICE_SRP_AUTH. `UserConfirmationNecessary` when the pool remembers devices only on the
 * user's say-so (UpdateDeviceStatus); otherwise the device is remembered at once.
 */
export async function confirmDevice(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const key = readDeviceKey(v);
  const stored = readVerifierConfig(input, v);
  const name = v.string("DeviceName", "deviceName", { minLength: 1, maxLength: 1024 });
  v.throwIfInvalid();
  const user = await authenticateAccessToken(input, state);
  const tracking = state.pool.deviceTracking;
  const owner = state.devices.offeredTo(key) ?? state.devices.ofUser(key, user.username)?.username;
  if (!tracking || owner === undefined || owner.toLowerCase() !== user.username.toLowerCase()) throw unknownDevice();
  const ask = tracking.deviceOnlyRememberedOnUserPrompt;
  state.devices.confirm({ key, username: user.username, verifier: stored!, name, status: ask ? "not_remembered" : "remembered" });
  return { UserConfirmationNecessary: ask };
}
