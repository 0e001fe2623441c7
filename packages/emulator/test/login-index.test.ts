import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, createConfirmedUser, freshEmail, password, signIn, startSrp } from "./support.js";

// Users are found through an index of their logins; these tests change logins every way the
// API allows and check that sign-in follows each change.

/** Whether USER_PASSWORD_AUTH with this login and the test password signs in. */
async function signsIn(emulator: Emulator, login: string): Promise<boolean> {
  const answer = await call(emulator, "InitiateAuth", {
    ClientId: emulator.config.userPoolClientId,
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: login, PASSWORD: password },
  });
  return answer.status === 200;
}

/** Answers the newest verification code sent for `name`. */
const verify = async (emulator: Emulator, AccessToken: string, name: "email" | "phone_number") => {
  const code = emulator.outbox.all().filter((m) => m.kind === "verifyAttribute" && m.attributeName === name).at(-1)!.code;
  expect((await call(emulator, "VerifyUserAttribute", { AccessToken, AttributeName: name, Code: code })).status).toBe(200);
};

describe("finding users by login in a pool that signs in with email", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth: defineAuth({ loginWith: { email: true } }) });
  });
  afterAll(() => emulator.stop());

  it("finds a user by email in any letter case, by SRP too", async () => {
    const email = freshEmail("Mixed.Case");
    emulator.createUser({ username: email, password, attributes: { email_verified: "true" } });
    expect(await signsIn(emulator, email.toUpperCase())).toBe(true);
    expect(await signsIn(emulator, email.toLowerCase())).toBe(true);
    const srp = await startSrp(emulator, email.toUpperCase());
    expect((await srp.respond(await srp.prove(password))).status).toBe(200);
  });

  it("moves the login to a new email once it is verified, and frees the old one", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { AccessToken } = await signIn(emulator, email);
    const next = freshEmail("next");
    expect((await call(emulator, "UpdateUserAttributes", { AccessToken, UserAttributes: [{ Name: "email", Value: next }] })).status).toBe(200);
    // The verified original stays the login until the new one is verified.
    expect([await signsIn(emulator, email), await signsIn(emulator, next)]).toEqual([true, false]);
    await verify(emulator, AccessToken, "email");
    expect([await signsIn(emulator, email), await signsIn(emulator, next.toUpperCase())]).toEqual([false, true]);
    // The old email is free for someone else.
    await createConfirmedUser(emulator, email);
    expect(await signsIn(emulator, email)).toBe(true);
  });

  it("forgets a deleted user's email, which a new sign-up can then take", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { AccessToken } = await signIn(emulator, email);
    expect((await call(emulator, "DeleteUser", { AccessToken })).status).toBe(200);
    expect(await signsIn(emulator, email)).toBe(false);
    const again = await createConfirmedUser(emulator, email.toUpperCase());
    expect(again.sub).toBeTruthy();
    expect(await signsIn(emulator, email)).toBe(true);
  });
});

describe("finding users by login in a pool with usernames and email/phone aliases", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      quiet: true,
      auth: defineAuth({ loginWith: { username: true, email: true, phone: true } }),
      // Changes take effect at once (unverified), so the index must follow each step.
      attributesRequireVerificationBeforeUpdate: [],
    });
  });
  afterAll(() => emulator.stop());
  let counter = 0;
  const freshUser = () => {
    counter += 1;
    const username = `carol${counter}${Date.now().toString(36)}`;
    const email = freshEmail(username);
    const phone = `+1555${String(Date.now() % 1_000_000).padStart(6, "0")}${counter}`;
    emulator.createUser({
      username,
      password,
      attributes: { email, email_verified: "true", phone_number: phone, phone_number_verified: "true" },
    });
    return { username, email, phone };
  };

  it("signs in by username (any case), verified email (any case) and verified phone number", async () => {
    const { username, email, phone } = freshUser();
    for (const login of [username, username.toUpperCase(), email, email.toUpperCase(), phone]) expect(await signsIn(emulator, login)).toBe(true);
  });

  it("does not sign in by an alias that is not verified", async () => {
    const username = `dave${Date.now().toString(36)}`;
    const email = freshEmail(username);
    emulator.createUser({ username, password, attributes: { email, email_verified: "false" } });
    expect([await signsIn(emulator, username), await signsIn(emulator, email)]).toEqual([true, false]);
  });

  it("follows an email change: unverified at first, then verified", async () => {
    const { username, email } = freshUser();
    const { AccessToken } = await signIn(emulator, username);
    const next = freshEmail("moved");
    expect((await call(emulator, "UpdateUserAttributes", { AccessToken, UserAttributes: [{ Name: "email", Value: next }] })).status).toBe(200);
    expect([await signsIn(emulator, email), await signsIn(emulator, next)]).toEqual([false, false]);
    await verify(emulator, AccessToken, "email");
    expect([await signsIn(emulator, email), await signsIn(emulator, next)]).toEqual([false, true]);
  });

  it("stops signing in by a deleted phone number, and by every alias of a deleted user", async () => {
    const { username, email, phone } = freshUser();
    const { AccessToken } = await signIn(emulator, username);
    expect((await call(emulator, "DeleteUserAttributes", { AccessToken, UserAttributeNames: ["phone_number"] })).status).toBe(200);
    expect([await signsIn(emulator, phone), await signsIn(emulator, email)]).toEqual([false, true]);
    expect((await call(emulator, "DeleteUser", { AccessToken })).status).toBe(200);
    for (const login of [username, email, phone]) expect(await signsIn(emulator, login)).toBe(false);
  });

  it("lets another user take a freed alias", async () => {
    const first = freshUser();
    const { AccessToken } = await signIn(emulator, first.username);
    expect((await call(emulator, "DeleteUserAttributes", { AccessToken, UserAttributeNames: ["email"] })).status).toBe(200);
    const username = `erin${Date.now().toString(36)}`;
    emulator.createUser({ username, password, attributes: { email: first.email, email_verified: "true" } });
    const { AccessToken: erin } = await signIn(emulator, first.email);
    const me = await call(emulator, "GetUser", { AccessToken: erin });
    expect(me.body.Username).toBe(username);
  });
});
