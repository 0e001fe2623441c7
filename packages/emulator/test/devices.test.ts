import {
  type CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  ListDevicesCommand,
  ResourceNotFoundException,
  UpdateDeviceStatusCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator, type EmulatorOptions } from "../src/index.js";
import { answerDeviceChallenge, confirmDevice, deviceVerifierFor, type KeptDevice } from "./devices-support.js";
import { call, createConfirmedUser, errorOf, freshEmail, password, sdkClientFor, startSrp } from "./support.js";

const auth = defineAuth({ loginWith: { email: true }, multifactor: { mode: "REQUIRED", email: true } });

/** Sign-in helpers for one emulator whose pool asks an emailed MFA code. */
function signInWith(emulator: Emulator) {
  const ClientId = () => emulator.config.userPoolClientId;
  /** USER_PASSWORD_AUTH (with DEVICE_KEY when given), answering EMAIL_OTP from the outbox. */
  async function signIn(email: string, deviceKey?: string) {
    const first = await call(emulator, "InitiateAuth", {
      ClientId: ClientId(),
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
    });
    if (first.body.ChallengeName !== "EMAIL_OTP") return { first, last: first, mfaAsked: false };
    const last = await call(emulator, "RespondToAuthChallenge", {
      ClientId: ClientId(),
      ChallengeName: "EMAIL_OTP",
      Session: first.body.Session,
      ChallengeResponses: { USERNAME: email, EMAIL_OTP_CODE: emulator.outbox.latest(email)!.code },
    });
    return { first, last, mfaAsked: true };
  }
  /** A confirmed user signed in once, with their device confirmed. */
  async function userWithDevice() {
    const { email } = await createConfirmedUser(emulator);
    const { last } = await signIn(email);
    const result = last.body.AuthenticationResult;
    const { answer, device } = await confirmDevice(emulator, result);
    if (answer.status !== 200) throw new Error(`ConfirmDevice failed: ${JSON.stringify(answer.body)}`);
    return { email, result, device, confirmed: answer };
  }
  return { signIn, userWithDevice, ClientId };
}

describe("device tracking", () => {
  let emulator: Emulator;
  let sdk: CognitoIdentityProviderClient;
  let api: ReturnType<typeof signInWith>;
  const deviceTracking: EmulatorOptions["deviceTracking"] = { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true };
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth, deviceTracking });
    sdk = sdkClientFor(emulator);
    api = signInWith(emulator);
  });
  afterAll(async () => {
    sdk.destroy();
    await emulator.stop();
  });
  const deviceCall = (operation: string, body: Record<string, unknown>) => call(emulator, operation, body);
  const deviceSignIn = async (email: string, device: KeptDevice, secret?: string) => {
    const { first, last, mfaAsked } = await api.signIn(email, device.deviceKey);
    expect(last.body.ChallengeName).toBe("DEVICE_SRP_AUTH");
    const answers = await answerDeviceChallenge(emulator, { username: last.body.ChallengeParameters.USER_ID_FOR_SRP, session: last.body.Session, device, ...(secret ? { secret } : {}) });
    return { first, mfaAsked, ...answers };
  };

  it("gives each sign-in without a device key a new device key and the user's group key", async () => {
    const { email } = await createConfirmedUser(emulator);
    const one = (await api.signIn(email)).last.body.AuthenticationResult;
    const two = (await api.signIn(email)).last.body.AuthenticationResult;
    expect(one.NewDeviceMetadata).toEqual({ DeviceKey: expect.stringMatching(/^us-east-1_[0-9a-f-]{36}$/), DeviceGroupKey: expect.any(String) });
    expect(two.NewDeviceMetadata.DeviceKey).not.toBe(one.NewDeviceMetadata.DeviceKey);
    expect(two.NewDeviceMetadata.DeviceGroupKey).toBe(one.NewDeviceMetadata.DeviceGroupKey);
  });

  it("confirms a device with its SRP verifier, asks the user's consent to remember it, and shows it", async () => {
    const { device, confirmed, result } = await api.userWithDevice();
    expect(confirmed.body).toEqual({ UserConfirmationNecessary: true });
    const got = await deviceCall("GetDevice", { AccessToken: result.AccessToken, DeviceKey: device.deviceKey });
    expect(got.body.Device).toMatchObject({
      DeviceKey: device.deviceKey,
      DeviceAttributes: expect.arrayContaining([
        { Name: "device_name", Value: "test device" },
        { Name: "dev:device_remembered_status", Value: "not_remembered" },
        { Name: "device_status", Value: "valid" },
      ]),
      DeviceCreateDate: expect.any(Number),
      DeviceLastModifiedDate: expect.any(Number),
    });
    expect(await deviceCall("UpdateDeviceStatus", { AccessToken: result.AccessToken, DeviceKey: device.deviceKey, DeviceRememberedStatus: "remembered" })).toMatchObject({ status: 200, body: {} });
    const listed = await deviceCall("ListDevices", { AccessToken: result.AccessToken });
    expect(listed.body.Devices).toHaveLength(1);
    expect(listed.body.Devices[0].DeviceAttributes).toContainEqual({ Name: "dev:device_remembered_status", Value: "remembered" });
  });

  it("lets a remembered device prove itself with device SRP instead of MFA", async () => {
    const { email, device, result } = await api.userWithDevice();
    await deviceCall("UpdateDeviceStatus", { AccessToken: result.AccessToken, DeviceKey: device.deviceKey, DeviceRememberedStatus: "remembered" });
    const { mfaAsked, srp, verifier } = await deviceSignIn(email, device);
    expect(mfaAsked).toBe(false);
    expect(srp.body).toMatchObject({ ChallengeName: "DEVICE_PASSWORD_VERIFIER", ChallengeParameters: { SRP_B: expect.any(String), SALT: expect.any(String), SECRET_BLOCK: expect.any(String) } });
    expect(verifier!.status).toBe(200);
    expect(verifier!.body.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String), RefreshToken: expect.any(String) });
    expect(verifier!.body.AuthenticationResult).not.toHaveProperty("NewDeviceMetadata");
    const after = await deviceCall("GetDevice", { AccessToken: verifier!.body.AuthenticationResult.AccessToken, DeviceKey: device.deviceKey });
    expect(after.body.Device.DeviceLastAuthenticatedDate).toEqual(expect.any(Number));
  });

  it("refuses a device proof made without the device secret", async () => {
    const { email, device, result } = await api.userWithDevice();
    await deviceCall("UpdateDeviceStatus", { AccessToken: result.AccessToken, DeviceKey: device.deviceKey, DeviceRememberedStatus: "remembered" });
    const { verifier } = await deviceSignIn(email, device, "not-the-device-secret");
    expect(errorOf(verifier!)).toMatchObject({ type: "NotAuthorizedException", message: "Incorrect username or password." });
  });

  it("asks MFA on a device that is not remembered, then the device challenge", async () => {
    const { email, device } = await api.userWithDevice();
    const { mfaAsked, verifier } = await deviceSignIn(email, device);
    expect(mfaAsked).toBe(true);
    expect(verifier!.status).toBe(200);
  });

  it("answers ResourceNotFoundException for a device key it does not know, once the password is proven", async () => {
    const { email } = await createConfirmedUser(emulator);
    const unknown = "us-east-1_00000000-0000-4000-8000-000000000000";
    const { last } = await api.signIn(email, unknown);
    expect(errorOf(last)).toMatchObject({ type: "ResourceNotFoundException", message: "Device does not exist." });
    // Through SRP too, as amazon-cognito-identity-js expects it (it then retries without the key).
    const srp = await startSrp(emulator, email, { DEVICE_KEY: unknown });
    const proved = await srp.respond({ ...(await srp.prove(password)), DEVICE_KEY: unknown });
    expect(errorOf(proved)).toMatchObject({ type: "ResourceNotFoundException", message: "Device does not exist." });
  });

  it("refreshes only with the device key the tokens were issued to, while the device exists", async () => {
    const { device, result } = await api.userWithDevice();
    const refresh = (DeviceKey?: string) =>
      call(emulator, "GetTokensFromRefreshToken", { ClientId: api.ClientId(), RefreshToken: result.RefreshToken, ...(DeviceKey ? { DeviceKey } : {}) });
    const initiate = (DEVICE_KEY?: string) =>
      call(emulator, "InitiateAuth", { ClientId: api.ClientId(), AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: result.RefreshToken, ...(DEVICE_KEY ? { DEVICE_KEY } : {}) } });
    expect((await refresh(device.deviceKey)).status).toBe(200);
    expect((await initiate(device.deviceKey)).status).toBe(200);
    for (const answer of [await refresh(), await refresh("us-east-1_00000000-0000-4000-8000-000000000000"), await initiate(), await initiate("us-east-1_x")]) {
      expect(errorOf(answer)).toMatchObject({ type: "NotAuthorizedException", message: "Invalid Refresh Token" });
    }
    expect((await deviceCall("ForgetDevice", { AccessToken: result.AccessToken, DeviceKey: device.deviceKey })).status).toBe(200);
    expect(errorOf(await refresh(device.deviceKey))).toMatchObject({ type: "NotAuthorizedException", message: "Invalid Refresh Token" });
  });

  it("forgets a device; other users' devices and unknown keys do not exist", async () => {
    const ana = await api.userWithDevice();
    const bob = await api.userWithDevice();
    const notFound = { type: "ResourceNotFoundException", message: "Device does not exist." };
    expect(errorOf(await deviceCall("GetDevice", { AccessToken: bob.result.AccessToken, DeviceKey: ana.device.deviceKey }))).toMatchObject(notFound);
    expect(errorOf(await deviceCall("ForgetDevice", { AccessToken: bob.result.AccessToken, DeviceKey: ana.device.deviceKey }))).toMatchObject(notFound);
    expect(errorOf(await deviceCall("UpdateDeviceStatus", { AccessToken: bob.result.AccessToken, DeviceKey: ana.device.deviceKey, DeviceRememberedStatus: "remembered" }))).toMatchObject(notFound);
    expect(await deviceCall("ForgetDevice", { AccessToken: ana.result.AccessToken, DeviceKey: ana.device.deviceKey })).toMatchObject({ status: 200, body: {} });
    expect(errorOf(await deviceCall("GetDevice", { AccessToken: ana.result.AccessToken, DeviceKey: ana.device.deviceKey }))).toMatchObject(notFound);
    // A forgotten device's key is unknown at the next sign-in.
    expect(errorOf((await api.signIn(ana.email, ana.device.deviceKey)).last)).toMatchObject(notFound);
  });

  it("confirms only a device key the pool handed to this user", async () => {
    const ana = await api.userWithDevice();
    const { email } = await createConfirmedUser(emulator);
    const bob = (await api.signIn(email)).last.body.AuthenticationResult;
    const { config } = await deviceVerifierFor(ana.result.NewDeviceMetadata);
    const answer = await deviceCall("ConfirmDevice", { AccessToken: bob.AccessToken, DeviceKey: ana.device.deviceKey, DeviceSecretVerifierConfig: config });
    expect(errorOf(answer)).toMatchObject({ type: "ResourceNotFoundException", message: "Device does not exist." });
  });

  it("pages ListDevices by Limit and PaginationToken", async () => {
    const { email, result } = await api.userWithDevice();
    for (let i = 0; i < 2; i++) await confirmDevice(emulator, (await api.signIn(email)).last.body.AuthenticationResult, `device ${i}`);
    const page1 = await deviceCall("ListDevices", { AccessToken: result.AccessToken, Limit: 2 });
    expect(page1.body.Devices).toHaveLength(2);
    expect(page1.body.PaginationToken).toEqual(expect.any(String));
    const page2 = await deviceCall("ListDevices", { AccessToken: result.AccessToken, Limit: 2, PaginationToken: page1.body.PaginationToken });
    expect(page2.body.Devices).toHaveLength(1);
    expect(page2.body).not.toHaveProperty("PaginationToken");
    const keys = [...page1.body.Devices, ...page2.body.Devices].map((d: { DeviceKey: string }) => d.DeviceKey);
    expect(new Set(keys).size).toBe(3);
    expect(errorOf(await deviceCall("ListDevices", { AccessToken: result.AccessToken, Limit: 61 })).type).toBe("InvalidParameterException");
  });

  it("answers the AWS SDK's device commands with the shapes and errors it types", async () => {
    const { email } = await createConfirmedUser(emulator);
    const result = (await api.signIn(email)).last.body.AuthenticationResult;
    const AccessToken = result.AccessToken;
    const DeviceKey = result.NewDeviceMetadata.DeviceKey;
    const { config } = await deviceVerifierFor(result.NewDeviceMetadata);
    const confirmed = await sdk.send(new ConfirmDeviceCommand({ AccessToken, DeviceKey, DeviceSecretVerifierConfig: config, DeviceName: "sdk" }));
    expect(confirmed.UserConfirmationNecessary).toBe(true);
    await sdk.send(new UpdateDeviceStatusCommand({ AccessToken, DeviceKey, DeviceRememberedStatus: "remembered" }));
    const { Device } = await sdk.send(new GetDeviceCommand({ AccessToken, DeviceKey }));
    expect(Device?.DeviceCreateDate).toBeInstanceOf(Date);
    const listed = await sdk.send(new ListDevicesCommand({ AccessToken, Limit: 10 }));
    expect(listed.Devices?.map((d) => d.DeviceKey)).toEqual([DeviceKey]);
    await sdk.send(new ForgetDeviceCommand({ AccessToken, DeviceKey }));
    await expect(sdk.send(new GetDeviceCommand({ AccessToken, DeviceKey }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe("device tracking settings", () => {
  it("leaves devices out when the pool does not track them (the default)", async () => {
    const emulator = await startEmulator({ quiet: true });
    try {
      const { email } = await createConfirmedUser(emulator, freshEmail());
      const answer = await call(emulator, "InitiateAuth", { ClientId: emulator.config.userPoolClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } });
      expect(answer.body.AuthenticationResult).not.toHaveProperty("NewDeviceMetadata");
      expect((await call(emulator, "ListDevices", { AccessToken: answer.body.AuthenticationResult.AccessToken })).body).toEqual({ Devices: [] });
    } finally {
      await emulator.stop();
    }
  });

  it("remembers a confirmed device at once unless the pool asks the user, and skips MFA only with challengeRequiredOnNewDevice", async () => {
    const emulator = await startEmulator({ quiet: true, auth, deviceTracking: {} });
    try {
      const api = signInWith(emulator);
      const { email, device, confirmed, result } = await api.userWithDevice();
      expect(confirmed.body).toEqual({ UserConfirmationNecessary: false });
      const got = await call(emulator, "GetDevice", { AccessToken: result.AccessToken, DeviceKey: device.deviceKey });
      expect(got.body.Device.DeviceAttributes).toContainEqual({ Name: "dev:device_remembered_status", Value: "remembered" });
      // Remembered, but the pool does not let devices replace MFA.
      const { mfaAsked, last } = await api.signIn(email, device.deviceKey);
      expect(mfaAsked).toBe(true);
      expect(last.body.ChallengeName).toBe("DEVICE_SRP_AUTH");
    } finally {
      await emulator.stop();
    }
  });

  it("refuses settings that are not booleans", async () => {
    await expect(startEmulator({ quiet: true, deviceTracking: { challengeRequiredOnNewDevice: "yes" as unknown as boolean } })).rejects.toThrow(TypeError);
  });
});
