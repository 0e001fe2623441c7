import { startEmulator } from "@cogkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthConfig, createAuthClient, createMemoryStorage, defineAuth, getAuthFactors, type KeyValueStorage, updateMfaPreference } from "@cogkit/core";
import { createTestClock } from "./test-clock.js";
import { failure, transports } from "./journey-support.js";
import { realBroadcast } from "./session-support.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const password = "Corr3ct-Horse!";
const phone = "+15555550142";
let counter = 0;
const newEmail = () => `choice${++counter}.${Date.now()}@example.com`;
const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

describe.each(transports)("choice-based sign-in over the $name transport", ({ name, make }) => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      quiet: true,
      auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "OPTIONAL", email: true, sms: true } }),
      allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "SMS_OTP"],
    });
  });
  afterAll(() => emulator.stop());

  const clientFor = (storage: KeyValueStorage = createMemoryStorage(), fetch?: typeof globalThis.fetch) => {
    const config: AuthConfig = emulator.config;
    return createAuthClient(config, { transport: make(config), platform: { storage, ...(fetch && { fetch }) } });
  };
  /** A confirmed user with a password, a verified email and, unless told otherwise, a verified phone. */
  const newUser = (withPhone = true) => {
    const email = newEmail();
    const attributes: Record<string, string> = { email, email_verified: "true", ...(withPhone && { phone_number: phone, phone_number_verified: "true" }) };
    emulator.createUser({ username: email, password, attributes });
    return email;
  };

  it("offers the user's first factors, and signs in with the emailed code of the one chosen", async () => {
    const email = newUser();
    const client = clientFor();
    expect(await client.signIn({ username: email, flow: "choice" })).toEqual({
      nextStep: { type: "selectFirstFactor", availableChallenges: ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"] },
    });
    expect(await client.confirmSignIn({ challengeResponse: "email_otp" })).toEqual({
      nextStep: { type: "emailOtp", codeDelivery: { destination: expect.stringContaining("***"), medium: "EMAIL", attribute: undefined } },
    });
    const message = emulator.outbox.latest(email)!;
    expect(message).toMatchObject({ kind: "signIn", deliveryMedium: "EMAIL" });
    expect(client.getSnapshot().status).toBe("signedOut");
    expect(await client.confirmSignIn({ challengeResponse: message.code })).toEqual({ nextStep: { type: "done" } });
    expect(client.getSnapshot()).toMatchObject({ status: "signedIn", user: { attributes: { email } } });
    expect((await failure(client.confirmSignIn({ challengeResponse: message.code }))).code).toBe("ERR_NO_PENDING_SIGN_IN");
  });

  it("goes straight to the preferred factor: a texted code, where a wrong code may be retried", async () => {
    const email = newUser();
    const client = clientFor();
    expect(await client.signIn({ username: email, flow: "choice", preferredChallenge: "SMS_OTP" })).toEqual({
      nextStep: { type: "smsOtp", codeDelivery: { destination: "+*******0142", medium: "SMS", attribute: undefined } },
    });
    const { code } = emulator.outbox.latest(email)!;
    expect(await failure(client.confirmSignIn({ challengeResponse: wrong(code) }))).toMatchObject({ code: "ERR_CODE_MISMATCH" });
    expect(await client.confirmSignIn({ challengeResponse: code })).toEqual({ nextStep: { type: "done" } });
  });

  it("ends the code's step after three minutes: sign in again", async () => {
    const email = newUser(false);
    const client = clientFor();
    expect((await client.signIn({ username: email, flow: "choice", preferredChallenge: "EMAIL_OTP" })).nextStep.type).toBe("emailOtp");
    const { code } = emulator.outbox.latest(email)!;
    emulator.advanceTime(3 * 60 * 1000 + 1);
    expect(await failure(client.confirmSignIn({ challengeResponse: code }))).toMatchObject({ code: "ERR_NOT_AUTHORIZED" });
    expect(client.getSnapshot().status).toBe("signedOut");
    expect((await client.signIn({ username: email, flow: "choice", preferredChallenge: "EMAIL_OTP" })).nextStep.type).toBe("emailOtp");
    expect(await client.confirmSignIn({ challengeResponse: emulator.outbox.latest(email)!.code })).toEqual({ nextStep: { type: "done" } });
  });

  it("signs in with the password, sent (PASSWORD) or proven by SRP (PASSWORD_SRP, and when no factor is named)", async () => {
    const email = newUser();
    for (const preferredChallenge of ["PASSWORD", "PASSWORD_SRP", undefined] as const) {
      const client = clientFor();
      expect(await client.signIn({ username: email, flow: "choice", preferredChallenge, password })).toEqual({ nextStep: { type: "done" } });
      expect(client.getSnapshot().status).toBe("signedIn");
    }
    expect(await failure(clientFor().signIn({ username: email, flow: "choice", preferredChallenge: "PASSWORD", password: "Wr0ng-horse!" }))).toMatchObject({
      code: "ERR_NOT_AUTHORIZED",
    });
    expect(await failure(clientFor().signIn({ username: email, flow: "choice", password: "Wr0ng-horse!" }))).toMatchObject({ code: "ERR_NOT_AUTHORIZED" });
  });

  it("asks for the password as a step, when the factor is chosen first", async () => {
    const email = newUser();
    for (const factor of ["PASSWORD", "PASSWORD_SRP"] as const) {
      const chosenFirst = clientFor();
      expect(await chosenFirst.signIn({ username: email, flow: "choice", preferredChallenge: factor })).toEqual({ nextStep: { type: "password" } });
      expect(await chosenFirst.confirmSignIn({ challengeResponse: password })).toEqual({ nextStep: { type: "done" } });
      const selected = clientFor();
      expect((await selected.signIn({ username: email, flow: "choice" })).nextStep.type).toBe("selectFirstFactor");
      expect(await selected.confirmSignIn({ challengeResponse: factor })).toEqual({ nextStep: { type: "password" } });
      expect(await selected.confirmSignIn({ challengeResponse: password })).toEqual({ nextStep: { type: "done" } });
    }
  });

  it("follows a password with the user's MFA: an emailed code there is MFA, not a first factor", async () => {
    const email = newUser(false);
    const setUp = clientFor();
    await setUp.signIn({ username: email, password });
    await updateMfaPreference(setUp, { email: "enabled" });
    const client = clientFor();
    // With MFA on, Cognito offers no passwordless factor.
    expect(await client.signIn({ username: email, flow: "choice" })).toEqual({ nextStep: { type: "selectFirstFactor", availableChallenges: ["PASSWORD", "PASSWORD_SRP"] } });
    expect(await client.confirmSignIn({ challengeResponse: "PASSWORD" })).toEqual({ nextStep: { type: "password" } });
    expect(await client.confirmSignIn({ challengeResponse: password })).toMatchObject({ nextStep: { type: "emailMfa", codeDelivery: { medium: "EMAIL" } } });
    expect(await client.confirmSignIn({ challengeResponse: emulator.outbox.latest(email)!.code })).toEqual({ nextStep: { type: "done" } });
  });

  it("refuses a factor that was not offered, and keeps the step", async () => {
    const email = newUser(false);
    const client = clientFor();
    await client.signIn({ username: email, flow: "choice" });
    expect(await failure(client.confirmSignIn({ challengeResponse: "SMS_OTP" }))).toMatchObject({ code: "ERR_INVALID_PARAMETER", message: "Answer one of PASSWORD, PASSWORD_SRP, EMAIL_OTP" });
    expect((await client.confirmSignIn({ challengeResponse: "EMAIL_OTP" })).nextStep.type).toBe("emailOtp");
  });

  it("tells misuse apart at once, before any request", async () => {
    const client = clientFor();
    const username = "nobody@example.com";
    await expect(client.signIn({ username, flow: "choice", preferredChallenge: "MAGIC_LINK" as never })).rejects.toThrow(
      new TypeError("signIn: `preferredChallenge` must be one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN"),
    );
    await expect(client.signIn({ username, flow: "choice", preferredChallenge: "EMAIL_OTP", password })).rejects.toThrow(
      new TypeError("signIn: `password` goes with `preferredChallenge` PASSWORD or PASSWORD_SRP"),
    );
    await expect(client.signIn({ username, flow: "choice", password: 7 as never })).rejects.toThrow(TypeError);
    await expect(client.signIn({ username, password, flow: "magic" as never })).rejects.toThrow(new TypeError("signIn: `flow` must be 'srp', 'password' or 'choice'"));
    expect(await failure(client.signIn({ username, flow: "choice", password: "" }))).toMatchObject({ code: "ERR_INVALID_PARAMETER" });
  });

  it("keeps USER_PASSWORD_AUTH (flow: password) working from its part", async () => {
    const email = newUser();
    const client = clientFor();
    expect(await client.signIn({ username: email, password, flow: "password" })).toEqual({ nextStep: { type: "done" } });
    expect(await failure(clientFor().signIn({ username: email, password: "Wr0ng-horse!", flow: "password" }))).toMatchObject({ code: "ERR_NOT_AUTHORIZED" });
  });

  it("lists the signed-in user's auth factors", async () => {
    const client = clientFor();
    await client.signIn({ username: newUser(), password });
    expect(await getAuthFactors(client)).toEqual(["PASSWORD", "EMAIL_OTP", "SMS_OTP"]);
    const unsigned = clientFor();
    expect(await failure(getAuthFactors(unsigned))).toMatchObject({ code: "ERR_NOT_SIGNED_IN" });
    expect(() => getAuthFactors({} as never)).toThrow(TypeError);
  });

  describe("sign-up without a password", () => {
    it("confirms and signs in at once with signIn: true", async () => {
      const email = newEmail();
      const client = clientFor();
      expect(await client.signUp({ username: email, attributes: { email } })).toMatchObject({ userConfirmed: false, nextStep: { type: "confirmSignUp" } });
      const { code } = emulator.outbox.latest(email)!;
      expect(await client.confirmSignUp({ username: email, code, signIn: true })).toEqual({ nextStep: { type: "done" } });
      expect(client.getSnapshot()).toMatchObject({ status: "signedIn", user: { attributes: { email } } });
      expect(await getAuthFactors(client)).toEqual(["EMAIL_OTP"]);
    });

    it("signs in from another tab of the browser (a client over the same storage), with the session sign-up kept", async () => {
      const email = newEmail();
      const storage = createMemoryStorage();
      await clientFor(storage).signUp({ username: email, attributes: { email } });
      const sent: string[] = [];
      // What goes over the wire, seen at the fetch boundary (the AWS SDK transport has its own).
      const spy: typeof globalThis.fetch = (input, init) => (sent.push(String(init?.body)), fetch(input, init));
      const otherTab = clientFor(storage, spy);
      const result = await otherTab.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code, signIn: true });
      expect(result).toEqual({ nextStep: { type: "done" } });
      expect(otherTab.getSnapshot().status).toBe("signedIn");
      if (name === "fetch") expect(JSON.parse(sent[0]!)).toMatchObject({ Username: email, Session: expect.any(String) });
      // Used up: gone from the storage.
      expect(await storage.getItem(`cogkit.${emulator.config.userPoolClientId}.signUp`)).toBeNull();
    });

    it("tells the app's other tabs of the sign-in, also from a client used for nothing else yet", async () => {
      const email = newEmail();
      const storage = createMemoryStorage();
      const config: AuthConfig = emulator.config;
      const tab = (broadcast = realBroadcast) => createAuthClient(config, { transport: make(config), platform: { storage, broadcast } });
      const waiting = tab();
      await waiting.start();
      const signedIn = new Promise((resolve) => waiting.subscribe((event) => event.type === "signedIn" && resolve(event.source)));
      const confirming = tab();
      await confirming.signUp({ username: email, attributes: { email } });
      await confirming.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code, signIn: true });
      expect(await signedIn).toBe("otherTab");
      waiting.dispose();
      confirming.dispose();
    });

    it("drops a sign-up session older than 15 minutes instead of sending it; the confirmation still signs in", async () => {
      const email = newEmail();
      const storage = createMemoryStorage();
      const clock = createTestClock(Date.now());
      const sent: string[] = [];
      const spy: typeof globalThis.fetch = (input, init) => (sent.push(String(init?.body)), fetch(input, init));
      const config: AuthConfig = emulator.config;
      const client = createAuthClient(config, { transport: make(config), platform: { storage, clock, fetch: spy } });
      await client.signUp({ username: email, attributes: { email } });
      const key = `cogkit.${emulator.config.userPoolClientId}.signUp`;
      expect(await storage.getItem(key)).not.toBeNull();
      await clock.advance(15 * 60 * 1000);
      expect(await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code, signIn: true })).toEqual({ nextStep: { type: "done" } });
      expect(await storage.getItem(key)).toBeNull();
      if (name === "fetch") expect(JSON.parse(sent.find((body) => body.includes('"ConfirmationCode"'))!)).not.toHaveProperty("Session");
    });

    it("only confirms without signIn, and the user signs in with an emailed code", async () => {
      const email = newEmail();
      const client = clientFor();
      await client.signUp({ username: email, attributes: { email } });
      expect(await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code })).toEqual({ nextStep: { type: "done" } });
      expect(await failure(client.getTokens())).toMatchObject({ code: "ERR_NOT_SIGNED_IN" });
      expect(await client.signIn({ username: email, flow: "choice" })).toEqual({ nextStep: { type: "selectFirstFactor", availableChallenges: ["EMAIL_OTP"] } });
    });

    it("refuses a signIn that is not a boolean, before any request", async () => {
      await expect(clientFor().confirmSignUp({ username: "a@example.com", code: "123456", signIn: "yes" as never })).rejects.toThrow(
        new TypeError("confirmSignUp: `signIn` must be a boolean"),
      );
    });
  });
});
