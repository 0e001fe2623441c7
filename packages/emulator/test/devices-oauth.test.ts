import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { postTokenRequest } from "../../../test/hosted-ui-support.js";
import { confirmDevice } from "./devices-support.js";
import { codeFor, exchangeCode, hostedAuth } from "./oauth-support.js";
import { call, claimsOf, createConfirmedUser, signIn } from "./support.js";

// Cognito's token endpoint has no device to name: a refresh token bound to a device (an API
// sign-in in a pool that tracks devices) is refused there (invalid_grant), as users of
// remembered devices report; hosted-UI sign-ins are bound to no device and refresh there.
describe("/oauth2/token refresh in a pool that tracks devices", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ auth: hostedAuth, quiet: true, deviceTracking: { challengeRequiredOnNewDevice: true } });
  });
  afterAll(() => emulator.stop());
  const client_id = () => emulator.config.userPoolClientId;

  it("refuses a refresh token bound to a device, which GetTokensFromRefreshToken takes with its DeviceKey", async () => {
    const { email } = await createConfirmedUser(emulator);
    const result = (await signIn(emulator, email)) as Awaited<ReturnType<typeof signIn>> & { NewDeviceMetadata: { DeviceKey: string; DeviceGroupKey: string } };
    await confirmDevice(emulator, result);
    const refused = await postTokenRequest(emulator.url, { grant_type: "refresh_token", client_id: client_id(), refresh_token: result.RefreshToken });
    expect([refused.status, refused.body]).toEqual([400, { error: "invalid_grant" }]);
    const viaApi = await call(emulator, "GetTokensFromRefreshToken", { ClientId: client_id(), RefreshToken: result.RefreshToken, DeviceKey: result.NewDeviceMetadata.DeviceKey });
    expect(viaApi.status).toBe(200);
  });

  it("refreshes a hosted-UI sign-in's tokens, which no device is bound to", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { code, verifier } = await codeFor(emulator, email);
    const { body } = await exchangeCode(emulator, code, verifier);
    expect(claimsOf(body.access_token).device_key).toBeUndefined();
    const refreshed = await postTokenRequest(emulator.url, { grant_type: "refresh_token", client_id: client_id(), refresh_token: body.refresh_token });
    expect(refreshed.status).toBe(200);
  });
});
