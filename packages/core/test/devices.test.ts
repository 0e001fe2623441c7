// Remembered devices against the emulator over real HTTP, once per transport: a sign-in that
// brings NewDeviceMetadata confirms the device by itself, later sign-ins answer device SRP so
// a remembered device skips MFA, refreshes name the device, and a device the pool forgot is
// dropped and the sign-in retried once without it.
import { startEmulator } from "@cogkit/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  type AuthClient,
  createAuthClient,
  deleteUser,
  forgetDevice,
  type KeyValueStorage,
  listDevices,
  type ListDevicesResult,
  rememberDevice,
  trackDevices,
  type UserDevice,
} from "@cogkit/core";
import { deviceAuth as auth, keptDevice, listableStorage, newEmail, password, phone, userOptIn } from "./devices-support.js";
import { failure, transports } from "./journey-support.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe.each(transports)("remembered devices over the $name transport", ({ make }) => {
  let emulator: Emulator;
  let plain: Emulator;
  const clients: AuthClient<any>[] = [];
  const clientOf = (on: Emulator, storage: KeyValueStorage = listableStorage()) => {
    const config = { ...on.config, ...auth };
    const client = createAuthClient(config, { transport: make(config), platform: { storage } });
    trackDevices(client);
    clients.push(client);
    return client;
  };

  /** A confirmed user with a phone number for the SMS codes. */
  async function newUser(on: Emulator = emulator) {
    const client = clientOf(on);
    const email = newEmail();
    await client.signUp({ username: email, password, attributes: { email, phone_number: phone } });
    await client.confirmSignUp({ username: email, code: on.outbox.latest(email)!.code });
    client.dispose();
    return email;
  }

  /** Signs in, answering the SMS code if one is asked; says whether it was. */
  async function signIn(client: AuthClient<any>, email: string, on: Emulator = emulator, flow?: "srp" | "password") {
    let { nextStep } = await client.signIn({ username: email, password, flow });
    const mfaAsked = nextStep.type === "smsMfa";
    if (mfaAsked) ({ nextStep } = await client.confirmSignIn({ challengeResponse: on.outbox.latest(email)!.code }));
    expect(nextStep).toEqual({ type: "done" });
    return { mfaAsked, deviceKey: (await client.getTokens()).accessToken.payload.device_key as string | undefined };
  }

  /** A new user signed in (the device confirmed) on a client with a storage of its own; the device remembered when asked. */
  async function onDevice(options: { remember?: boolean; flow?: "srp" | "password" } = {}) {
    const email = await newUser();
    const storage = listableStorage();
    const client = clientOf(emulator, storage);
    const first = await signIn(client, email, emulator, options.flow);
    if (options.remember) await rememberDevice(client);
    return { email, storage, client, first };
  }

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth, deviceTracking: userOptIn });
    plain = await startEmulator({ quiet: true, auth });
  });
  afterEach(() => {
    emulator.clearFaults();
    for (const client of clients.splice(0)) client.dispose();
  });
  afterAll(() => Promise.all([emulator.stop(), plain.stop()]));

  it("confirms the device of a first sign-in, and once remembered signs in on it without MFA", async () => {
    const email = await newUser();
    const storage = listableStorage();
    const client = clientOf(emulator, storage);
    const confirmations = emulator.callCount("ConfirmDevice");
    const first = await signIn(client, email);
    expect(first.mfaAsked).toBe(true);
    expect(first.deviceKey).toMatch(/_/);
    expect(emulator.callCount("ConfirmDevice")).toBe(confirmations + 1);
    // Kept whole, beside the session: the key, the group key and the device's own secret.
    const kept = await keptDevice(storage);
    expect(kept).toMatchObject({ v: 1, deviceKey: first.deviceKey, groupKey: expect.any(String), secret: expect.any(String) });

    // The pool remembers devices on the user's say-so.
    expect((await listDevices(client)).devices).toMatchObject([{ deviceKey: first.deviceKey, remembered: false, current: true }]);
    await rememberDevice(client);
    expect((await listDevices(client)).devices).toMatchObject([{ deviceKey: first.deviceKey, remembered: true, current: true }]);

    // A local sign-out keeps the device: the next sign-in proves it instead of asking a code.
    await client.signOut();
    expect(await keptDevice(storage)).toEqual(kept);
    const second = await signIn(client, email);
    expect(second).toEqual({ mfaAsked: false, deviceKey: first.deviceKey });
    expect(emulator.callCount("ConfirmDevice")).toBe(confirmations + 1);
    expect((await listDevices(client)).devices[0]!.lastAuthenticatedAt).toBeInstanceOf(Date);

    // Another client on the same storage (a reload) finds the device too.
    const reloaded = clientOf(emulator, storage);
    expect(await signIn(reloaded, email)).toEqual({ mfaAsked: false, deviceKey: first.deviceKey });
  });

  it("still asks MFA on a device that is confirmed but not remembered, then proves the device", async () => {
    const { email, storage, client, first } = await onDevice();
    await client.signOut();
    const verifiers = emulator.callCount("RespondToAuthChallenge");
    const second = await signIn(client, email);
    // PASSWORD_VERIFIER, SMS_MFA, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER: the same device, no new one.
    expect(second).toEqual({ mfaAsked: true, deviceKey: first.deviceKey });
    expect(emulator.callCount("RespondToAuthChallenge")).toBe(verifiers + 4);
    expect((await listDevices(client)).devices).toHaveLength(1);
  });

  it("refreshes with the device key the tokens are bound to, by either refresh operation", async () => {
    const {
      client,
      first: { deviceKey },
    } = await onDevice();
    // The emulator, like Cognito, refuses a device-bound refresh token without its device.
    const refreshed = await client.getTokens({ forceRefresh: true });
    expect(refreshed.accessToken.payload.device_key).toBe(deviceKey);
    // A server without GetTokensFromRefreshToken: REFRESH_TOKEN_AUTH carries DEVICE_KEY.
    emulator.injectFault("GetTokensFromRefreshToken", { error: "UnknownOperationException", message: "Unknown operation" });
    const legacy = await client.getTokens({ forceRefresh: true });
    expect(legacy.accessToken.payload.device_key).toBe(deviceKey);
    expect(legacy.accessToken.payload.jti).not.toBe(refreshed.accessToken.payload.jti);
  });

  it("forgets the current device: the record goes, and the next sign-in asks MFA for a new device", async () => {
    const { email, storage, client, first } = await onDevice({ remember: true });
    await forgetDevice(client);
    expect(await keptDevice(storage)).toBeUndefined();
    expect((await listDevices(client)).devices).toEqual([]);
    await client.signOut();
    const second = await signIn(client, email);
    expect(second.mfaAsked).toBe(true);
    expect(second.deviceKey).not.toBe(first.deviceKey);
    expect(await keptDevice(storage)).toMatchObject({ deviceKey: second.deviceKey });
  });

  it("forgets another device by its key, keeping this one", async () => {
    const email = await newUser();
    const here = clientOf(emulator);
    const there = clientOf(emulator);
    const mine = await signIn(here, email);
    const theirs = await signIn(there, email);
    await forgetDevice(here, { deviceKey: theirs.deviceKey! });
    expect((await listDevices(here)).devices.map((d) => [d.deviceKey, d.current])).toEqual([[mine.deviceKey, true]]);
  });

  it.each(["srp", "password"] as const)(
    "drops a device the pool forgot behind its back and retries the %s sign-in once without it",
    async (flow) => {
      const { email, storage, client, first } = await onDevice({ remember: true, flow });
      await client.signOut();
      // Forgotten elsewhere (another device's account page, an admin): this storage still holds it.
      const other = clientOf(emulator);
      await signIn(other, email);
      await forgetDevice(other, { deviceKey: first.deviceKey! });
      const initiated = emulator.callCount("InitiateAuth");
      const answered = emulator.callCount("RespondToAuthChallenge");
      const second = await signIn(client, email, emulator, flow);
      expect(second.mfaAsked).toBe(true);
      expect(second.deviceKey).not.toBe(first.deviceKey);
      expect(await keptDevice(storage)).toMatchObject({ deviceKey: second.deviceKey });
      // The step that named the stale device ran twice (once refused), the rest once: SRP
      // answers PASSWORD_VERIFIER twice then SMS_MFA; the password flow initiates twice.
      const retried = flow === "srp" ? [1, 3] : [2, 1];
      expect([emulator.callCount("InitiateAuth") - initiated, emulator.callCount("RespondToAuthChallenge") - answered]).toEqual(retried);
    },
  );

  it("skips MFA on a remembered device in the password flow too", async () => {
    const { email, client, first } = await onDevice({ remember: true, flow: "password" });
    await client.signOut();
    // The pool signs in with email, and the device is kept under Cognito's own name of the user.
    expect(await signIn(client, email, emulator, "password")).toEqual({ mfaAsked: false, deviceKey: first.deviceKey });
  });

  it("drops a device whose proof the pool refuses, so the next sign-in is a new device's", async () => {
    const { email, storage, client, first } = await onDevice({ remember: true });
    await client.signOut();
    // Another secret than the one whose verifier the pool holds (a record restored from elsewhere).
    const key = storage.keys().find((name) => name.includes(".device."))!;
    await storage.setItem(key, JSON.stringify({ ...(await keptDevice(storage)), secret: "not-the-secret" }));
    expect((await failure(client.signIn({ username: email, password }))).code).toBe("ERR_NOT_AUTHORIZED");
    expect(await keptDevice(storage)).toBeUndefined();
    const second = await signIn(client, email);
    expect(second.mfaAsked).toBe(true);
    expect(second.deviceKey).not.toBe(first.deviceKey);
  });

  it("reads an unreadable device record as none", async () => {
    const { email, storage, client } = await onDevice();
    await client.signOut();
    const key = storage.keys().find((name) => name.includes(".device."))!;
    await storage.setItem(key, "{not json");
    const again = await signIn(client, email);
    expect(again.mfaAsked).toBe(true);
    expect(await keptDevice(storage)).toMatchObject({ deviceKey: again.deviceKey });
  });

  it("keeps the sign-in when confirming the device fails, and keeps no device", async () => {
    const email = await newUser();
    const storage = listableStorage();
    const client = clientOf(emulator, storage);
    emulator.injectFault("ConfirmDevice", { status: 503 });
    const { mfaAsked } = await signIn(client, email);
    expect(mfaAsked).toBe(true);
    expect(await keptDevice(storage)).toBeUndefined();
  });

  it("drops the device kept for a user whose account is deleted", async () => {
    const { storage, client } = await onDevice();
    expect(await keptDevice(storage)).toBeDefined();
    await deleteUser(client);
    expect(await keptDevice(storage)).toBeUndefined();
  });

  it("lists the devices a page at a time", async () => {
    const email = await newUser();
    const client = clientOf(emulator);
    const keys = [(await signIn(client, email)).deviceKey, (await signIn(clientOf(emulator), email)).deviceKey];
    const first = await listDevices(client, { limit: 1 });
    expect(first.devices).toHaveLength(1);
    expect(first.paginationToken).toEqual(expect.any(String));
    const second = await listDevices(client, { limit: 1, paginationToken: first.paginationToken! });
    expect(second.paginationToken).toBeUndefined();
    const devices = [...first.devices, ...second.devices];
    expect(devices.map((d) => d.deviceKey)).toEqual(keys);
    expect(devices[0]).toMatchObject({ current: true, attributes: { device_status: "valid" }, createdAt: expect.any(Date), lastModifiedAt: expect.any(Date) });
    expect(devices[1]!.current).toBe(false);
  });

  it("types the results", () => {
    expectTypeOf(listDevices).returns.resolves.toEqualTypeOf<ListDevicesResult>();
    expectTypeOf<UserDevice["lastIp"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf(rememberDevice).returns.resolves.toBeVoid();
    expectTypeOf(forgetDevice).returns.resolves.toBeVoid();
    // @ts-expect-error a device key is a string
    void (() => forgetDevice(clientOf(emulator), { deviceKey: 5 }));
  });

  it("refuses misuse at once and answers ERR_NOT_SIGNED_IN when nobody is signed in", async () => {
    const client = clientOf(emulator);
    expect(() => listDevices(client, { limit: -1 })).toThrow(TypeError);
    expect(() => listDevices(client, { limit: 61 })).toThrow(/limit/);
    expect(() => forgetDevice(client, { deviceKey: 5 as never })).toThrow(/deviceKey/);
    expect(() => rememberDevice({} as never)).toThrow(TypeError);
    expect(() => trackDevices({} as never)).toThrow(TypeError);
    expect((await failure(listDevices(client))).code).toBe("ERR_NOT_SIGNED_IN");
    expect((await failure(rememberDevice(client))).code).toBe("ERR_NOT_SIGNED_IN");
  });

  it("wraps the transport once however often trackDevices is called, so a device is confirmed once", async () => {
    const client = clientOf(emulator);
    trackDevices(client);
    const confirmations = emulator.callCount("ConfirmDevice");
    await signIn(client, await newUser());
    expect(emulator.callCount("ConfirmDevice")).toBe(confirmations + 1);
  });

  it("skips MFA from the second sign-in where the pool remembers every device (no rememberDevice)", async () => {
    const always = await startEmulator({ quiet: true, auth, deviceTracking: { challengeRequiredOnNewDevice: true } });
    try {
      const email = await newUser(always);
      const client = clientOf(always);
      const first = await signIn(client, email, always);
      expect((await listDevices(client)).devices).toMatchObject([{ deviceKey: first.deviceKey, remembered: true }]);
      await client.signOut();
      expect(await signIn(client, email, always)).toEqual({ mfaAsked: false, deviceKey: first.deviceKey });
    } finally {
      await always.stop();
    }
  });

  it("proves the device with SECRET_HASH where the app client has a secret", async () => {
    const secretive = await startEmulator({ quiet: true, auth, deviceTracking: userOptIn, clientSecret: true });
    try {
      const email = await newUser(secretive);
      const client = clientOf(secretive);
      const first = await signIn(client, email, secretive);
      await rememberDevice(client);
      await client.signOut();
      expect(await signIn(client, email, secretive)).toEqual({ mfaAsked: false, deviceKey: first.deviceKey });
    } finally {
      await secretive.stop();
    }
  });

  it("does nothing about devices where the pool does not track them", async () => {
    const email = await newUser(plain);
    const storage = listableStorage();
    const client = clientOf(plain, storage);
    const { deviceKey } = await signIn(client, email, plain);
    expect(deviceKey).toBeUndefined();
    expect(plain.callCount("ConfirmDevice")).toBe(0);
    // Refreshes name no device either.
    expect((await client.getTokens({ forceRefresh: true })).accessToken.payload.device_key).toBeUndefined();
    expect(await keptDevice(storage)).toBeUndefined();
    expect((await failure(rememberDevice(client))).code).toBe("ERR_RESOURCE_NOT_FOUND");
    expect((await failure(forgetDevice(client))).code).toBe("ERR_RESOURCE_NOT_FOUND");
  });
});
