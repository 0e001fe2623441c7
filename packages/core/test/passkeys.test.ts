import { createSoftwareAuthenticator, startEmulator, type AuthenticatorTamper } from "@cogkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuthConfig,
  createAuthClient,
  createMemoryStorage,
  deletePasskey,
  getAuthFactors,
  isPasskeySupported,
  listPasskeys,
  registerPasskey,
  type WebAuthnLike,
} from "@cogkit/core";
import { createTestClock } from "./test-clock.js";
import { failure, transports } from "./journey-support.js";
import { credentialsOf } from "./passkey-support.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const password = "Corr3ct-Horse!";
let counter = 0;
const newEmail = () => `passkey${++counter}.${Date.now()}@example.com`;

describe.each(transports)("passkeys over the $name transport", ({ make }) => {
  let emulator: Emulator;
  let tamper: AuthenticatorTamper | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] });
  });
  afterAll(() => emulator.stop());

  const clientFor = (webAuthn: WebAuthnLike = credentialsOf(emulator.passkeys, () => tamper)) => {
    const config: AuthConfig = emulator.config;
    return createAuthClient(config, { transport: make(config), platform: { storage: createMemoryStorage(), webAuthn } });
  };
  /** A confirmed user, signed in with the password on a new client. */
  async function signedInUser(webAuthn?: WebAuthnLike) {
    const email = newEmail();
    emulator.createUser({ username: email, password, attributes: { email, email_verified: "true" } });
    const client = clientFor(webAuthn);
    await client.signIn({ username: email, password });
    return { client, email };
  }

  it("registers a passkey, lists it, and signs in with it (preferred, or chosen among the factors)", async () => {
    const { client, email } = await signedInUser();
    const { credentialId } = await registerPasskey(client);
    expect(emulator.passkeys.passkeys().map((passkey) => passkey.credentialId)).toContain(credentialId);
    expect(await listPasskeys(client)).toEqual([
      { credentialId, friendlyName: expect.any(String), relyingPartyId: "localhost", authenticatorAttachment: "platform", transports: ["internal"], createdAt: expect.any(Date) },
    ]);
    expect(await getAuthFactors(client)).toContain("WEB_AUTHN");
    await client.signOut();

    expect(await client.signIn({ username: email, flow: "choice", preferredChallenge: "WEB_AUTHN" })).toEqual({ nextStep: { type: "done" } });
    expect(client.getSnapshot()).toMatchObject({ status: "signedIn", user: { attributes: { email } } });
    await client.signOut();

    expect(await client.signIn({ username: email, flow: "choice" })).toEqual({
      nextStep: { type: "selectFirstFactor", availableChallenges: ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "WEB_AUTHN"] },
    });
    expect(await client.confirmSignIn({ challengeResponse: "web_authn" })).toEqual({ nextStep: { type: "done" } });
  });

  it("deletes a passkey, which then no longer signs in", async () => {
    const { client, email } = await signedInUser();
    const { credentialId } = await registerPasskey(client);
    await deletePasskey(client, { credentialId });
    expect(await listPasskeys(client)).toEqual([]);
    expect(await failure(deletePasskey(client, { credentialId }))).toMatchObject({ code: "ERR_RESOURCE_NOT_FOUND" });
    await client.signOut();
    // Not offered any more: the preference falls back to the choice.
    expect((await client.signIn({ username: email, flow: "choice", preferredChallenge: "WEB_AUTHN" })).nextStep).toMatchObject({ type: "selectFirstFactor" });
  });

  it("needs a recent sign-in to add a passkey, as long ago as the caller allows", async () => {
    // The client's clock and the emulator's move together, by hand.
    const clock = createTestClock(emulator.now());
    const email = newEmail();
    emulator.createUser({ username: email, password, attributes: { email, email_verified: "true" } });
    const client = createAuthClient(emulator.config, {
      transport: make(emulator.config),
      platform: { storage: createMemoryStorage(), clock, webAuthn: credentialsOf(emulator.passkeys) },
    });
    await client.signIn({ username: email, password });
    emulator.advanceTime(11 * 60 * 1000);
    await clock.advance(11 * 60 * 1000);
    const error = await failure(registerPasskey(client));
    expect(error).toMatchObject({ code: "ERR_RECENT_SIGN_IN_REQUIRED", message: "Adding a passkey needs a sign-in within the last 600 s: sign in again" });
    expect(await registerPasskey(client, { maxAuthAgeSeconds: 15 * 60 })).toMatchObject({ credentialId: expect.any(String) });
    expect(() => registerPasskey(client, { maxAuthAgeSeconds: "600" as never })).toThrow(new TypeError("registerPasskey: `maxAuthAgeSeconds` must be a number of seconds"));
  });

  it("says so when the authenticator already holds a passkey of the user", async () => {
    const { client } = await signedInUser();
    await registerPasskey(client);
    expect(await failure(registerPasskey(client))).toMatchObject({ code: "ERR_PASSKEY_EXISTS" });
  });

  it("refuses a passkey answer from a page of another origin, with ERR_PASSKEY_NOT_ALLOWED", async () => {
    const { client } = await signedInUser();
    tamper = { origin: "https://evil.example" };
    try {
      expect(await failure(registerPasskey(client))).toMatchObject({ code: "ERR_PASSKEY_NOT_ALLOWED", serviceCode: "WebAuthnOriginNotAllowedException" });
    } finally {
      tamper = undefined;
    }
  });

  it("tells a dismissed prompt apart, and lets the user sign in another way", async () => {
    const { client, email } = await signedInUser();
    await registerPasskey(client);
    await client.signOut();
    const dismissing: WebAuthnLike = { create: async () => null, get: () => Promise.reject(new DOMException("The operation either timed out or was not allowed.", "NotAllowedError")) };
    const elsewhere = clientFor(dismissing);
    expect(await failure(elsewhere.signIn({ username: email, flow: "choice", preferredChallenge: "WEB_AUTHN" }))).toMatchObject({ code: "ERR_PASSKEY_CANCELED" });
    expect(elsewhere.getSnapshot().status).not.toBe("signedIn");
    expect(await elsewhere.signIn({ username: email, flow: "choice", preferredChallenge: "PASSWORD", password })).toEqual({ nextStep: { type: "done" } });
  });

  it("aborts the passkey prompt with the caller's signal", async () => {
    const { client, email } = await signedInUser();
    await registerPasskey(client);
    await client.signOut();
    const controller = new AbortController();
    const waiting: WebAuthnLike = {
      create: async () => null,
      get: ({ signal }) => new Promise((_, reject) => signal!.addEventListener("abort", () => reject(signal!.reason))),
    };
    const signingIn = clientFor(waiting).signIn({ username: email, flow: "choice", preferredChallenge: "WEB_AUTHN", signal: controller.signal });
    setTimeout(() => controller.abort(), 0);
    expect(await failure(signingIn)).toMatchObject({ code: "ERR_ABORTED" });
  });

  it("needs someone signed in to manage passkeys, and a client", async () => {
    const client = clientFor();
    for (const call of [() => registerPasskey(client), () => listPasskeys(client), () => deletePasskey(client, { credentialId: "AQID" })]) {
      expect(await failure(call())).toMatchObject({ code: "ERR_NOT_SIGNED_IN" });
    }
    expect(() => listPasskeys({} as never)).toThrow(TypeError);
    expect(() => deletePasskey(client, { credentialId: 7 as never })).toThrow(new TypeError("deletePasskey: `credentialId` must be a string"));
  });

  it("knows passkeys are unsupported where the runtime has no WebAuthn", async () => {
    expect(isPasskeySupported()).toBe(false);
    const { client } = await signedInUser();
    const bare = createAuthClient(emulator.config, { transport: make(emulator.config), platform: { storage: createMemoryStorage() } });
    await bare.signIn({ username: (await signedInUser()).email, password });
    expect(await failure(registerPasskey(bare))).toMatchObject({ code: "ERR_PASSKEY_UNSUPPORTED" });
    client.dispose();
  });
});

describe("a pool that requires user verification", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, allowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"], webAuthn: { userVerification: "required" } });
  });
  afterAll(() => emulator.stop());

  it("refuses a passkey whose authenticator did not verify the user", async () => {
    const unverified = createSoftwareAuthenticator({ userVerified: false });
    const email = newEmail();
    emulator.createUser({ username: email, password, attributes: { email, email_verified: "true" } });
    const client = createAuthClient(emulator.config, { platform: { storage: createMemoryStorage(), webAuthn: credentialsOf(unverified) } });
    await client.signIn({ username: email, password });
    expect(await failure(registerPasskey(client))).toMatchObject({ code: "ERR_PASSKEY_UNSUPPORTED", serviceCode: "WebAuthnCredentialNotSupportedException" });
    expect(await listPasskeys(client)).toEqual([]);
  });
});
