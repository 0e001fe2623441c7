import { startEmulator } from "@cogkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuthConfig,
  changePassword,
  confirmForgotPassword,
  createAuthClient,
  createMemoryStorage,
  forgotPassword,
} from "@cogkit/core";
import { confirmedUser as signUpConfirmed, failure, transports } from "./journey-support.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const password = "Corr3ct-Horse!";
const newPassword = "N3w-Battery-Staple";
const hour = 60 * 60 * 1000;
let counter = 0;
const newEmail = () => `pw${++counter}.${Date.now()}@example.com`;

describe.each(transports)("passwords over the $name transport", ({ make }) => {
  let emulator: Emulator;
  const clientFor = (config: AuthConfig = emulator.config) => createAuthClient(config, { transport: make(config), platform: { storage: createMemoryStorage() } });
  const passwordCalls = () => ["ForgotPassword", "ConfirmForgotPassword", "ChangePassword"].reduce((n, op) => n + emulator.callCount(op), 0);

  const confirmedUser = (client = clientFor()) => signUpConfirmed(client, emulator, newEmail(), password);

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.stop());

  it("resets a forgotten password with the emailed code; the new password signs in, the old one no longer does", async () => {
    const client = clientFor();
    const email = await confirmedUser(client);
    const { codeDelivery } = await forgotPassword(client, { username: email });
    expect(codeDelivery).toEqual({ destination: "p***@e***", medium: "EMAIL", attribute: "email" });
    const message = emulator.outbox.latest(email)!;
    expect(message.kind).toBe("forgotPassword");

    expect(await confirmForgotPassword(client, { username: email, code: message.code, newPassword })).toBeUndefined();
    expect(await client.signIn({ username: email, password: newPassword })).toEqual({ nextStep: { type: "done" } });
    await client.signOut();
    expect((await failure(client.signIn({ username: email, password }))).code).toBe("ERR_NOT_AUTHORIZED");
  });

  it("refuses a wrong code, an expired code and a weak password", async () => {
    const client = clientFor();
    const email = await confirmedUser(client);
    await forgotPassword(client, { username: email });
    const { code } = emulator.outbox.latest(email)!;
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await failure(confirmForgotPassword(client, { username: email, code: wrong, newPassword }))).toMatchObject({
      code: "ERR_CODE_MISMATCH",
      serviceCode: "CodeMismatchException",
    });
    expect(await failure(confirmForgotPassword(client, { username: email, code, newPassword: "weak" }))).toMatchObject({
      code: "ERR_INVALID_PASSWORD",
      serviceCode: "InvalidPasswordException",
    });
    emulator.advanceTime(hour);
    expect(await failure(confirmForgotPassword(client, { username: email, code, newPassword }))).toMatchObject({
      code: "ERR_CODE_EXPIRED",
      serviceCode: "ExpiredCodeException",
    });
    // Nothing changed: the old password still signs in.
    expect(await client.signIn({ username: email, password })).toEqual({ nextStep: { type: "done" } });
  });

  it("changes the password of the signed-in user, who stays signed in; the new one signs in elsewhere", async () => {
    const client = clientFor();
    const email = await confirmedUser(client);
    await client.signIn({ username: email, password });
    expect(await changePassword(client, { oldPassword: password, newPassword })).toBeUndefined();
    expect(client.getSnapshot().status).toBe("signedIn");

    const elsewhere = clientFor();
    expect((await failure(elsewhere.signIn({ username: email, password }))).code).toBe("ERR_NOT_AUTHORIZED");
    expect(await elsewhere.signIn({ username: email, password: newPassword })).toEqual({ nextStep: { type: "done" } });
  });

  it("refuses a wrong old password and keeps the session", async () => {
    const client = clientFor();
    const email = await confirmedUser(client);
    await client.signIn({ username: email, password });
    const error = await failure(changePassword(client, { oldPassword: "Wr0ng-password!", newPassword }));
    expect(error).toMatchObject({ code: "ERR_NOT_AUTHORIZED", message: "Incorrect username or password." });
    expect(client.getSnapshot().status).toBe("signedIn");
  });

  it("says ERR_NOT_SIGNED_IN when nobody is signed in, without a request", async () => {
    const client = clientFor();
    const before = passwordCalls();
    expect((await failure(changePassword(client, { oldPassword: password, newPassword }))).code).toBe("ERR_NOT_SIGNED_IN");
    const email = await confirmedUser(client);
    await client.signIn({ username: email, password });
    await client.signOut();
    expect((await failure(changePassword(client, { oldPassword: password, newPassword }))).code).toBe("ERR_NOT_SIGNED_IN");
    expect(passwordCalls()).toBe(before);
  });

  it("checks its input before any request: TypeError for misuse, ERR_INVALID_PARAMETER for empty values", async () => {
    const client = clientFor();
    const before = passwordCalls();
    const loose = (f: unknown) => f as (client: unknown, input: unknown) => Promise<unknown>;
    // Misuse is thrown at once, not as a rejection.
    expect(() => loose(forgotPassword)(client, undefined)).toThrow(TypeError);
    expect(() => loose(forgotPassword)(client, { username: 42 })).toThrow(TypeError);
    expect(() => loose(forgotPassword)({}, { username: "ana" })).toThrow("forgotPassword: expected a client made by createAuthClient");
    expect(() => loose(confirmForgotPassword)(client, { username: "ana", code: 123456, newPassword })).toThrow("confirmForgotPassword: `code` must be a string");
    expect(() => loose(changePassword)(client, { oldPassword: password })).toThrow("changePassword: `newPassword` must be a string");
    expect(() => loose(changePassword)(client, { oldPassword: password, newPassword, signal: "stop" })).toThrow(TypeError);
    expect((await failure(forgotPassword(client, { username: " " }))).code).toBe("ERR_INVALID_PARAMETER");
    expect((await failure(confirmForgotPassword(client, { username: "ana", code: "", newPassword }))).code).toBe("ERR_INVALID_PARAMETER");
    expect((await failure(confirmForgotPassword(client, { username: "ana", code: "123456", newPassword: "" }))).code).toBe("ERR_INVALID_PARAMETER");
    expect((await failure(changePassword(client, { oldPassword: "", newPassword }))).code).toBe("ERR_INVALID_PARAMETER");
    expect(passwordCalls()).toBe(before);
  });
});

describe("password reset with a client secret", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, clientSecret: true });
  });
  afterAll(() => emulator.stop());

  it("sends SECRET_HASH, so the reset works where the app client has a secret", async () => {
    const client = createAuthClient(emulator.config, { platform: { storage: createMemoryStorage() } });
    const email = newEmail();
    await client.signUp({ username: email, password });
    await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
    await forgotPassword(client, { username: email });
    await confirmForgotPassword(client, { username: email, code: emulator.outbox.latest(email)!.code, newPassword });
    expect(await client.signIn({ username: email, password: newPassword })).toEqual({ nextStep: { type: "done" } });

    const { clientSecret: _, ...withoutSecret } = emulator.config;
    const error = await failure(forgotPassword(createAuthClient(withoutSecret), { username: email }));
    expect(error).toMatchObject({ code: "ERR_NOT_AUTHORIZED", message: expect.stringContaining("SECRET_HASH was not received") });
  });
});
