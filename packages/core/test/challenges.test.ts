import { startEmulator } from "@cogkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthClient, type AuthConfig, createAuthClient, createMemoryStorage, defineAuth, setUpTotp, updateMfaPreference, verifyTotpSetup } from "@cogkit/core";
import { failure, transports } from "./journey-support.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const password = "Corr3ct-Horse!";
const temporaryPassword = "Temp-pass-1";
const newPassword = "N3w-Battery-Staple";
const phone = "+15555550123";
let counter = 0;
const newEmail = () => `mfa${++counter}.${Date.now()}@example.com`;
/** A six-digit code that is not `code`. */
const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

describe.each(transports)("sign-in steps over the $name transport", ({ make }) => {
  const clientFor = (emulator: Emulator) => {
    const config: AuthConfig = emulator.config;
    return createAuthClient(config, { transport: make(config), platform: { storage: createMemoryStorage() } });
  };

  /** A confirmed user (with a phone number unless told otherwise), signed in on a new client. */
  async function signedInUser(emulator: Emulator, withPhone = true) {
    const client = clientFor(emulator);
    const email = newEmail();
    await client.signUp({ username: email, password, attributes: withPhone ? { email, phone_number: phone } : { email } });
    await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
    expect(await client.signIn({ username: email, password })).toEqual({ nextStep: { type: "done" } });
    return { client, email };
  }

  /** Signs out and in again, returning the step the sign-in stops at. */
  async function signInAgain(client: AuthClient, email: string) {
    await client.signOut();
    return (await client.signIn({ username: email, password })).nextStep;
  }

  describe("new password", () => {
    let emulator: Emulator;
    beforeAll(async () => {
      emulator = await startEmulator({ quiet: true, auth: defineAuth({ loginWith: { email: true }, userAttributes: { givenName: { required: true, mutable: true } } }) });
    });
    afterAll(() => emulator.stop());

    it("takes a user with a temporary password through a new password and the missing attribute to done", async () => {
      const email = newEmail();
      emulator.createUser({ username: email, temporaryPassword });
      const client = clientFor(emulator);
      expect(await client.signIn({ username: email, password: temporaryPassword })).toEqual({
        nextStep: { type: "newPasswordRequired", requiredAttributes: ["given_name"] },
      });
      expect(client.getSnapshot().status).toBe("signedOut");
      expect((await failure(client.confirmSignIn({ challengeResponse: "weak" }))).code).toBe("ERR_INVALID_PASSWORD");
      expect(await client.confirmSignIn({ challengeResponse: newPassword, userAttributes: { given_name: "Ana" } })).toEqual({ nextStep: { type: "done" } });
      const { idToken } = await client.getTokens();
      expect(idToken.payload).toMatchObject({ email, given_name: "Ana" });
      expect((await failure(client.confirmSignIn({ challengeResponse: newPassword }))).code).toBe("ERR_NO_PENDING_SIGN_IN");
      expect(await signInAgain(client, email).catch(() => "refused")).toBe("refused");
      expect(await client.signIn({ username: email, password: newPassword })).toEqual({ nextStep: { type: "done" } });
    });
  });

  describe("optional MFA", () => {
    let emulator: Emulator;
    beforeAll(async () => {
      emulator = await startEmulator({ quiet: true, auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "OPTIONAL", sms: true, totp: true, email: true } }) });
    });
    afterAll(() => emulator.stop());

    it("asks for the SMS code sent to the outbox; a wrong code may be retried", async () => {
      const { client, email } = await signedInUser(emulator);
      await updateMfaPreference(client, { sms: "enabled" });
      expect(await signInAgain(client, email)).toEqual({
        type: "smsMfa",
        codeDelivery: { destination: "+*******0123", medium: "SMS", attribute: undefined },
      });
      const message = emulator.outbox.latest(email)!;
      expect(message).toMatchObject({ kind: "mfa", deliveryMedium: "SMS" });
      expect(await failure(client.confirmSignIn({ challengeResponse: wrong(message.code) }))).toMatchObject({ code: "ERR_CODE_MISMATCH" });
      expect(client.getSnapshot().status).toBe("signedOut");
      expect(await client.confirmSignIn({ challengeResponse: message.code })).toEqual({ nextStep: { type: "done" } });
      expect(client.getSnapshot().status).toBe("signedIn");
    });

    it("asks for the emailed code, and the step expires after three minutes", async () => {
      const { client, email } = await signedInUser(emulator, false);
      await updateMfaPreference(client, { email: "enabled" });
      expect(await signInAgain(client, email)).toMatchObject({ type: "emailMfa", codeDelivery: { medium: "EMAIL" } });
      emulator.advanceTime(3 * 60 * 1000);
      expect(await failure(client.confirmSignIn({ challengeResponse: emulator.outbox.latest(email)!.code }))).toMatchObject({ code: "ERR_NOT_AUTHORIZED" });
      expect(await client.signIn({ username: email, password })).toMatchObject({ nextStep: { type: "emailMfa" } });
      expect(await client.confirmSignIn({ challengeResponse: emulator.outbox.latest(email)!.code })).toEqual({ nextStep: { type: "done" } });
    });

    it("sets up an authenticator app for a signed-in user, then asks for its code at sign-in", async () => {
      const { client, email } = await signedInUser(emulator);
      const totp = await setUpTotp(client);
      expect(totp.setupUri("Cogkit Test")).toMatch(/^otpauth:\/\/totp\/Cogkit%20Test:.+\?secret=[A-Z2-7]+&issuer=Cogkit%20Test$/);
      expect(await failure(verifyTotpSetup(client, { code: wrong(emulator.totp(totp.sharedSecret)) }))).toMatchObject({ code: "ERR_CODE_MISMATCH" });
      await verifyTotpSetup(client, { code: emulator.totp(totp.sharedSecret) });
      await updateMfaPreference(client, { totp: "preferred" });
      expect(await signInAgain(client, email)).toEqual({ type: "totpMfa" });
      emulator.advanceTime(30_000);
      expect(await client.confirmSignIn({ challengeResponse: emulator.totp(totp.sharedSecret) })).toEqual({ nextStep: { type: "done" } });
    });

    it("lets the user pick a method when several are on and none is preferred", async () => {
      const { client, email } = await signedInUser(emulator);
      const totp = await setUpTotp(client);
      await verifyTotpSetup(client, { code: emulator.totp(totp.sharedSecret) });
      await updateMfaPreference(client, { sms: "enabled", totp: "enabled" });
      expect(await signInAgain(client, email)).toEqual({ type: "selectMfaType", allowedMfaTypes: ["SMS", "TOTP"] });
      expect(await client.confirmSignIn({ challengeResponse: "sms" })).toMatchObject({ nextStep: { type: "smsMfa" } });
      expect(await client.confirmSignIn({ challengeResponse: emulator.outbox.latest(email)!.code })).toEqual({ nextStep: { type: "done" } });
    });
  });

  describe("required MFA", () => {
    let emulator: Emulator;
    beforeAll(async () => {
      emulator = await startEmulator({ quiet: true, auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "REQUIRED", totp: true } }) });
    });
    afterAll(() => emulator.stop());

    it("sets up TOTP during sign-in (MFA_SETUP); a later sign-in asks for the app's code", async () => {
      const client = clientFor(emulator);
      const email = newEmail();
      await client.signUp({ username: email, password, attributes: { email } });
      await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
      expect(await client.signIn({ username: email, password })).toEqual({ nextStep: { type: "mfaSetup", allowedMfaTypes: ["TOTP"] } });
      const { sharedSecret } = await setUpTotp(client);
      expect(await failure(client.confirmSignIn({ challengeResponse: wrong(emulator.totp(sharedSecret)) }))).toMatchObject({ code: "ERR_CODE_MISMATCH" });
      expect(client.getSnapshot().status).toBe("signedOut");
      // The step is kept: the right code still completes it.
      expect(await client.confirmSignIn({ challengeResponse: emulator.totp(sharedSecret) })).toEqual({ nextStep: { type: "done" } });

      expect(await signInAgain(client, email)).toEqual({ type: "totpMfa" });
      emulator.advanceTime(30_000);
      expect(await failure(client.confirmSignIn({ challengeResponse: wrong(emulator.totp(sharedSecret)) }))).toMatchObject({ code: "ERR_CODE_MISMATCH" });
      expect(await client.confirmSignIn({ challengeResponse: emulator.totp(sharedSecret) })).toEqual({ nextStep: { type: "done" } });
    });
  });
});
