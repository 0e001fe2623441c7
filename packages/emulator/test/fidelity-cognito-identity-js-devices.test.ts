import { AuthenticationDetails, type CognitoUser, type CognitoUserSession } from "amazon-cognito-identity-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/index.js";
import { cognitoIdentityJs } from "./cognito-identity-js-support.js";
import { call, createConfirmedUser, password } from "./support.js";

/** Signs in; answers an SMS code from the outbox, and says whether one was asked. */
function signIn(emulator: Emulator, user: CognitoUser, email: string) {
  let mfaAsked = false;
  return new Promise<{ session: CognitoUserSession; confirmationNecessary: boolean; mfaAsked: boolean }>((resolve, reject) => {
    const callbacks = {
      onSuccess: (session: CognitoUserSession, confirmationNecessary?: boolean) => resolve({ session, confirmationNecessary: confirmationNecessary === true, mfaAsked }),
      onFailure: reject,
      mfaRequired: () => {
        mfaAsked = true;
        user.sendMFACode(emulator.outbox.latest(email)!.code, callbacks);
      },
      totpRequired: () => reject(new Error("TOTP was not expected")),
      newPasswordRequired: () => reject(new Error("a new password was not expected")),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), callbacks);
  });
}

// amazon-cognito-identity-js does device SRP itself (device secret, verifier, proof): its
// "remember this device, then sign in without MFA" flow completing is the outside check of
// the emulator's device protocol.
describe("amazon-cognito-identity-js remembered devices against the emulator", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      quiet: true,
      auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "REQUIRED", sms: true } }),
      deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true },
    });
  });
  afterAll(() => emulator.stop());

  it("confirms the device at sign-in, remembers it, and signs in on it again without MFA", async () => {
    const { email } = await createConfirmedUser(emulator, undefined, { UserAttributes: [{ Name: "phone_number", Value: "+15555550142" }] });
    // One browser: the library keeps the device key and secret in its storage.
    const browser = cognitoIdentityJs(emulator);

    const first = browser.user(email);
    const one = await signIn(emulator, first, email);
    expect(one.mfaAsked).toBe(true);
    expect(one.confirmationNecessary).toBe(true);
    await new Promise((resolve, reject) => first.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));

    const again = browser.user(email);
    const two = await signIn(emulator, again, email);
    expect(two.mfaAsked).toBe(false);
    expect(two.session.isValid()).toBe(true);
    expect(two.session.getAccessToken().payload.device_key).toBe(one.session.getAccessToken().payload.device_key);

    // The library refreshes with the device key it keeps.
    emulator.advanceTime(5_000);
    const refreshed: CognitoUserSession = await new Promise((resolve, reject) =>
      again.refreshSession(two.session.getRefreshToken(), (error: Error | null, next: CognitoUserSession) => (error ? reject(error) : resolve(next))),
    );
    expect(refreshed.isValid()).toBe(true);
  });

  it("drops a device the pool forgot and signs in with MFA as a new device", async () => {
    const { email } = await createConfirmedUser(emulator, undefined, { UserAttributes: [{ Name: "phone_number", Value: "+15555550143" }] });
    const browser = cognitoIdentityJs(emulator);
    const first = browser.user(email);
    const one = await signIn(emulator, first, email);
    await new Promise((resolve, reject) => first.forgetDevice({ onSuccess: resolve, onFailure: reject }));

    const again = browser.user(email);
    // forgetDevice cleared the library's cache too; a stale key would be retried without.
    const two = await signIn(emulator, again, email);
    expect(two.mfaAsked).toBe(true);
    expect(two.session.getAccessToken().payload.device_key).not.toBe(one.session.getAccessToken().payload.device_key);
  });

  it("retries without a device key the pool no longer knows, as the library expects, and signs in as a new device", async () => {
    const { email } = await createConfirmedUser(emulator, undefined, { UserAttributes: [{ Name: "phone_number", Value: "+15555550144" }] });
    const user = cognitoIdentityJs(emulator).user(email);
    const one = await signIn(emulator, user, email);
    const stale = one.session.getAccessToken().payload.device_key as string;
    // Forgotten behind the library's back (another tab, an admin): its cache still holds the key.
    expect((await call(emulator, "ForgetDevice", { AccessToken: one.session.getAccessToken().getJwtToken(), DeviceKey: stale })).status).toBe(200);

    // The same CognitoUser sends the stale key with InitiateAuth and with PASSWORD_VERIFIER.
    const two = await signIn(emulator, user, email);
    expect(two.mfaAsked).toBe(true);
    expect(two.confirmationNecessary).toBe(true);
    expect(two.session.getAccessToken().payload.device_key).not.toBe(stale);
  });
});
