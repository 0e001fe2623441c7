// The account functions (attributes, verification, MFA settings, deleting the user) against
// the emulator over real HTTP, once per transport.
import { startEmulator } from "@cogkit/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import {
  type AuthClient,
  type AuthEvent,
  confirmUserAttribute,
  createAuthClient,
  createMemoryStorage,
  deleteUser,
  deleteUserAttributes,
  fetchMfaPreference,
  fetchUserAttributes,
  getCredentials,
  identityStoreKey,
  type KeyValueStorage,
  sendUserAttributeVerificationCode,
  updateMfaPreference,
  updateUserAttributes,
} from "@cogkit/core";
import { accountAuth as auth, newEmail, password, phone, wrong } from "./account-support.js";
import { failure, transports } from "./journey-support.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe.each(transports)("the account over the $name transport", ({ make }) => {
  let emulator: Emulator;
  const clients: AuthClient<any>[] = [];
  const configOf = () => ({ ...emulator.config, ...auth });
  const clientFor = (storage: KeyValueStorage = createMemoryStorage()) => {
    const config = configOf();
    const client = createAuthClient(config, { transport: make(config), platform: { storage } });
    clients.push(client);
    return client;
  };

  /** A confirmed user with given and family names, a phone number and custom attributes, signed in. */
  async function signedInUser(storage?: KeyValueStorage) {
    const client = clientFor(storage);
    const email = newEmail();
    await client.signUp({
      username: email,
      password,
      attributes: {
        email,
        phone_number: phone,
        given_name: "Ana",
        nickname: "ana",
        birthdate: "1990-04-01",
        "custom:is_beta_user": true,
        "custom:seats": 3,
        "custom:tenant": "acme",
      },
    });
    await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
    expect(await client.signIn({ username: email, password })).toEqual({ nextStep: { type: "done" } });
    return { client, email };
  }

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth });
  });
  afterEach(() => {
    emulator.clearFaults();
    for (const client of clients.splice(0)) client.dispose();
  });
  afterAll(() => emulator.stop());

  it("reads the attributes, custom ones typed by the schema", async () => {
    const { client, email } = await signedInUser();
    const attributes = await fetchUserAttributes(client);
    expect(attributes).toMatchObject({
      email,
      email_verified: true,
      given_name: "Ana",
      "custom:is_beta_user": true,
      "custom:seats": 3,
      "custom:tenant": "acme",
      sub: client.getSnapshot().user!.userId,
    });
    expectTypeOf(attributes["custom:is_beta_user"]).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(attributes["custom:seats"]).toEqualTypeOf<number | undefined>();
    expectTypeOf(attributes.email_verified).toEqualTypeOf<boolean | undefined>();
  });

  it("changes a name and a custom attribute at once, and the snapshot shows them without a reload", async () => {
    const { client } = await signedInUser();
    const refreshes = emulator.callCount("GetTokensFromRefreshToken");
    const result = await updateUserAttributes(client, { attributes: { given_name: "Bea", "custom:is_beta_user": false } });
    expect(result).toEqual({ given_name: { done: true }, "custom:is_beta_user": { done: true } });
    expect(client.getSnapshot().user!.attributes).toMatchObject({ given_name: "Bea", "custom:is_beta_user": false });
    expect(emulator.callCount("GetTokensFromRefreshToken")).toBe(refreshes + 1);
    expect(await fetchUserAttributes(client)).toMatchObject({ given_name: "Bea", "custom:is_beta_user": false });
  });

  it("changes the email through the code sent to the new address; a wrong code is refused", async () => {
    const { client, email } = await signedInUser();
    const moved = newEmail("moved");
    const result = await updateUserAttributes(client, { attributes: { email: moved, family_name: "Silva" } });
    expect(result).toEqual({
      email: { done: false, codeDelivery: { destination: expect.stringMatching(/^m\*+@/), medium: "EMAIL", attribute: "email" } },
      family_name: { done: true },
    });
    // Until the code comes back, the verified address stays the one that signs in.
    expect(client.getSnapshot().user!.attributes).toMatchObject({ email, email_verified: true, family_name: "Silva" });
    const first = emulator.outbox.latest(moved)!.code;

    const error = await failure(confirmUserAttribute(client, { attribute: "email", code: wrong(first) }));
    expect(error).toMatchObject({ code: "ERR_CODE_MISMATCH", serviceCode: "CodeMismatchException" });
    expect(error.message).not.toContain(wrong(first));

    const { codeDelivery } = await sendUserAttributeVerificationCode(client, { attribute: "email" });
    expect(codeDelivery).toMatchObject({ medium: "EMAIL", attribute: "email" });
    const code = emulator.outbox.latest(moved)!.code;
    await confirmUserAttribute(client, { attribute: "email", code });
    expect(client.getSnapshot().user!.attributes).toMatchObject({ email: moved, email_verified: true });

    await client.signOut();
    expect(await client.signIn({ username: moved, password })).toEqual({ nextStep: { type: "done" } });
  });

  it("refuses an immutable attribute, one the schema lacks and Cognito's own before any request", async () => {
    const { client } = await signedInUser();
    const updates = emulator.callCount("UpdateUserAttributes");
    const deletions = emulator.callCount("DeleteUserAttributes");
    const refused: Array<[Record<string, unknown>, RegExp]> = [
      [{ "custom:tenant": "globex" }, /"custom:tenant" is immutable/],
      [{ birthdate: "2000-01-01" }, /"birthdate" is immutable/],
      [{ given_name: "Bea", "custom:nope": "x" }, /"custom:nope" is not an attribute of the schema/],
      [{ email_verified: "true" }, /"email_verified" is not an attribute of the schema/],
      [{ givenName: "Bea" }, /"givenName" is not an attribute of the schema/],
    ];
    for (const [attributes, message] of refused) {
      const error = await failure(updateUserAttributes(client, { attributes: attributes as {} }));
      expect(error).toMatchObject({ code: "ERR_INVALID_PARAMETER", message: expect.stringMatching(message) });
    }
    for (const [names, message] of [
      [["custom:tenant"], /"custom:tenant" is immutable/],
      [["sub"], /"sub" is not an attribute of the schema/],
      [["email"], /"email" is required/],
    ] as const) {
      const error = await failure(deleteUserAttributes(client, { attributes: names as never }));
      expect(error).toMatchObject({ code: "ERR_INVALID_PARAMETER", message: expect.stringMatching(message) });
    }
    const sends = emulator.callCount("GetUserAttributeVerificationCode");
    expect(await failure(sendUserAttributeVerificationCode(client, { attribute: "given_name" as never }))).toMatchObject({
      code: "ERR_INVALID_PARAMETER",
      message: expect.stringMatching(/only "email" and "phone_number"/),
    });
    expect((await failure(confirmUserAttribute(client, { attribute: "email", code: "" }))).code).toBe("ERR_INVALID_PARAMETER");
    expect(emulator.callCount("GetUserAttributeVerificationCode")).toBe(sends);
    // A value of the wrong type is misuse: thrown at once.
    expect(() => updateUserAttributes(client, { attributes: { "custom:is_beta_user": "true" as never } })).toThrow(
      /`attributes\["custom:is_beta_user"\]` must be a boolean/,
    );
    expect(emulator.callCount("UpdateUserAttributes")).toBe(updates);
    expect(emulator.callCount("DeleteUserAttributes")).toBe(deletions);
    expect(await fetchUserAttributes(client)).toMatchObject({ "custom:tenant": "acme", birthdate: "1990-04-01", given_name: "Ana" });
  });

  it("deletes attributes, and the snapshot no longer shows them", async () => {
    const { client } = await signedInUser();
    expect(client.getSnapshot().user!.attributes).toMatchObject({ nickname: "ana", "custom:seats": 3 });
    await deleteUserAttributes(client, { attributes: ["nickname", "custom:seats"] });
    const attributes = await fetchUserAttributes(client);
    expect(attributes).not.toHaveProperty("nickname");
    expect(attributes).not.toHaveProperty("custom:seats");
    expect(client.getSnapshot().user!.attributes).not.toHaveProperty("nickname");
    expect(client.getSnapshot().user!.attributes).not.toHaveProperty("custom:seats");
  });

  it("keeps a change that succeeded when the refresh after it fails", async () => {
    const { client } = await signedInUser();
    emulator.injectFault("GetTokensFromRefreshToken", { status: 503, times: 20 });
    expect(await updateUserAttributes(client, { attributes: { given_name: "Cleo" } })).toEqual({ given_name: { done: true } });
    emulator.clearFaults();
    expect(client.getSnapshot().status).toBe("signedIn");
    expect(await fetchUserAttributes(client)).toMatchObject({ given_name: "Cleo" });
  });

  it("deletes the user: signed out with a signedOut event, the sign-in refused, and a guest gets a new identity", async () => {
    const storage = createMemoryStorage();
    const { client, email } = await signedInUser(storage);
    const user = await getCredentials(client);
    expect(user.authenticated).toBe(true);
    const events: Array<AuthEvent["type"]> = [];
    client.subscribe((event) => events.push(event.type));

    await deleteUser(client);
    expect(client.getSnapshot()).toEqual({ status: "signedOut", user: null });
    expect(events).toContain("signedOut");
    expect((await failure(client.getTokens())).code).toBe("ERR_NOT_SIGNED_IN");
    expect(await storage.getItem(identityStoreKey(emulator.config.identityPoolId!))).toBeNull();

    const guest = await getCredentials(client);
    expect(guest.authenticated).toBe(false);
    expect(guest.identityId).not.toBe(user.identityId);
    expect(["ERR_NOT_AUTHORIZED", "ERR_USER_NOT_FOUND"]).toContain((await failure(client.signIn({ username: email, password }))).code);
  });

  it("forgets the deleted user's stored identity even where this client never asked for credentials", async () => {
    const storage = createMemoryStorage();
    const { client } = await signedInUser(storage);
    await getCredentials(client);
    expect(await storage.getItem(identityStoreKey(emulator.config.identityPoolId!))).not.toBeNull();
    // The page reloaded: a new client on the same storage, its session restored.
    const reloaded = clientFor(storage);
    await deleteUser(reloaded);
    expect(await storage.getItem(identityStoreKey(emulator.config.identityPoolId!))).toBeNull();
    expect(reloaded.getSnapshot().status).toBe("signedOut");
  });

  it("keeps the session when the deletion fails", async () => {
    const { client } = await signedInUser();
    emulator.injectFault("DeleteUser", { error: "InternalErrorException", status: 500, times: 5 });
    expect((await failure(deleteUser(client))).code).toBe("ERR_SERVICE");
    expect(client.getSnapshot().status).toBe("signedIn");
  });

  it("reads the MFA methods turned on and the preferred one", async () => {
    const { client } = await signedInUser();
    expect(await fetchMfaPreference(client)).toEqual({ enabled: [] });
    await updateMfaPreference(client, { email: "preferred" });
    expect(await fetchMfaPreference(client)).toEqual({ enabled: ["email"], preferred: "email" });
    await updateMfaPreference(client, { sms: "enabled" });
    expect(await fetchMfaPreference(client)).toEqual({ enabled: ["sms", "email"], preferred: "email" });
  });

  it("refuses each account call when nobody is signed in", async () => {
    const client = clientFor();
    for (const call of [
      fetchUserAttributes(client),
      fetchMfaPreference(client),
      updateUserAttributes(client, { attributes: { given_name: "Ana" } }),
      deleteUserAttributes(client, { attributes: ["nickname"] }),
      sendUserAttributeVerificationCode(client, { attribute: "email" }),
      confirmUserAttribute(client, { attribute: "email", code: "123456" }),
      deleteUser(client),
    ]) {
      expect((await failure(call)).code).toBe("ERR_NOT_SIGNED_IN");
    }
  });
});
