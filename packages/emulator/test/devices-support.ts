import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import type { EmulatorCore } from "../src/create-emulator.js";
import { call, type Answer } from "./support.js";

// The device half of SRP comes from amazon-cognito-identity-js, so the emulator's device
// maths is checked against a client nobody here wrote.
const require = createRequire(import.meta.url);
const AuthenticationHelper = require("amazon-cognito-identity-js/lib/AuthenticationHelper.js").default;
const BigInteger = require("amazon-cognito-identity-js/lib/BigInteger.js").default;
const DateHelper = require("amazon-cognito-identity-js/lib/DateHelper.js").default;

/** What a client keeps of a confirmed device: its key, group key and secret. */
export interface KeptDevice {
  deviceKey: string;
  groupKey: string;
  secret: string;
}

/** Makes a device secret and its SRP verifier for `NewDeviceMetadata`, as the SDKs do. */
export async function deviceVerifierFor(metadata: { DeviceKey: string; DeviceGroupKey: string }) {
  const helper = new AuthenticationHelper(metadata.DeviceGroupKey);
  await new Promise<void>((resolve, reject) => helper.generateHashDevice(metadata.DeviceGroupKey, metadata.DeviceKey, (err: Error | null) => (err ? reject(err) : resolve())));
  return {
    secret: helper.getRandomPassword() as string,
    config: {
      Salt: Buffer.from(helper.getSaltDevices(), "hex").toString("base64"),
      PasswordVerifier: Buffer.from(helper.getVerifierDevices(), "hex").toString("base64"),
    },
  };
}

/** ConfirmDevice for the `NewDeviceMetadata` of a sign-in; returns the answer and the kept device. */
export async function confirmDevice(
  emulator: EmulatorCore,
  result: { AccessToken: string; NewDeviceMetadata: { DeviceKey: string; DeviceGroupKey: string } },
  DeviceName = "test device",
): Promise<{ answer: Answer; device: KeptDevice }> {
  const { secret, config } = await deviceVerifierFor(result.NewDeviceMetadata);
  const answer = await call(emulator, "ConfirmDevice", {
    AccessToken: result.AccessToken,
    DeviceKey: result.NewDeviceMetadata.DeviceKey,
    DeviceSecretVerifierConfig: config,
    DeviceName,
  });
  return { answer, device: { deviceKey: result.NewDeviceMetadata.DeviceKey, groupKey: result.NewDeviceMetadata.DeviceGroupKey, secret } };
}

/**
 * Answers a DEVICE_SRP_AUTH challenge with a kept device: SRP_A, then the
 * DEVICE_PASSWORD_VERIFIER proof (with `secret` overriding the device secret to forge one).
 * Returns both answers.
 */
export async function answerDeviceChallenge(emulator: EmulatorCore, input: { username: string; session: string; device: KeptDevice; secret?: string }) {
  const { device } = input;
  const helper = new AuthenticationHelper(device.groupKey);
  const A: string = await new Promise((resolve, reject) => helper.getLargeAValue((err: Error | null, a: any) => (err ? reject(err) : resolve(a.toString(16)))));
  const ClientId = emulator.config.userPoolClientId;
  const srp = await call(emulator, "RespondToAuthChallenge", {
    ClientId,
    ChallengeName: "DEVICE_SRP_AUTH",
    Session: input.session,
    ChallengeResponses: { USERNAME: input.username, DEVICE_KEY: device.deviceKey, SRP_A: A },
  });
  if (srp.status !== 200) return { srp, verifier: undefined };
  const params = srp.body.ChallengeParameters as Record<string, string>;
  const hkdf: Buffer = await new Promise((resolve, reject) =>
    helper.getPasswordAuthenticationKey(device.deviceKey, input.secret ?? device.secret, new BigInteger(params.SRP_B, 16), new BigInteger(params.SALT, 16), (err: Error | null, key: Buffer) =>
      err ? reject(err) : resolve(key),
    ),
  );
  const timestamp = new DateHelper().getNowString();
  const signature = createHmac("sha256", hkdf)
    .update(Buffer.concat([Buffer.from(device.groupKey), Buffer.from(device.deviceKey), Buffer.from(params.SECRET_BLOCK!, "base64"), Buffer.from(timestamp)]))
    .digest("base64");
  const verifier = await call(emulator, "RespondToAuthChallenge", {
    ClientId,
    ChallengeName: "DEVICE_PASSWORD_VERIFIER",
    Session: srp.body.Session,
    ChallengeResponses: {
      USERNAME: input.username,
      DEVICE_KEY: device.deviceKey,
      PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK!,
      PASSWORD_CLAIM_SIGNATURE: signature,
      TIMESTAMP: timestamp,
    },
  });
  return { srp, verifier };
}
