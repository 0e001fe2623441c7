import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/index.js";
import { computeSecretHash } from "../src/user-pool/secret-hash.js";
import { call, createConfirmedUser, errorOf, freshEmail, password, signIn } from "./support.js";

const newPassword = "Brand-new-pass-2";
const hour = 60 * 60 * 1000;

describe("ForgotPassword and ConfirmForgotPassword", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.stop());
  const ClientId = () => emulator.config.userPoolClientId;
  const forgot = (Username: string) => call(emulator, "ForgotPassword", { ClientId: ClientId(), Username });
  const confirm = (Username: string, ConfirmationCode: string, Password = newPassword) =>
    call(emulator, "ConfirmForgotPassword", { ClientId: ClientId(), Username, ConfirmationCode, Password });
  const passwordSignIn = (USERNAME: string, PASSWORD: string) =>
    call(emulator, "InitiateAuth", { ClientId: ClientId(), AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD } });

  it("sends a reset code to the verified email and answers where it went", async () => {
    const { email, sub } = await createConfirmedUser(emulator);
    const answer = await forgot(email.toUpperCase());
    expect(answer).toMatchObject({ status: 200, body: { CodeDeliveryDetails: { Destination: "u***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" } } });
    expect(emulator.outbox.latest(email)).toMatchObject({ kind: "forgotPassword", username: sub, destination: "u***@e***", code: expect.stringMatching(/^\d{6}$/) });
  });

  it("sets the new password with the code, once; the old password stops working and earlier refresh tokens keep working", async () => {
    const { email } = await createConfirmedUser(emulator);
    const before = await signIn(emulator, email);
    await forgot(email);
    const code = emulator.outbox.latest(email)!.code;

    expect(errorOf(await confirm(email, code === "000000" ? "111111" : "000000"))).toMatchObject({
      type: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
    expect(errorOf(await confirm(email, code, "weakpass"))).toMatchObject({
      type: "InvalidPasswordException",
      message: "Password did not conform with policy: Password must have uppercase characters",
    });
    // A refused password leaves the code usable.
    expect(await confirm(email, code)).toMatchObject({ status: 200, body: {} });
    expect(errorOf(await confirm(email, code, "Another-pass-3")).type).toBe("CodeMismatchException");

    expect(errorOf(await passwordSignIn(email, password))).toMatchObject({ type: "NotAuthorizedException", message: "Incorrect username or password." });
    expect((await passwordSignIn(email, newPassword)).status).toBe(200);
    // Cognito signs no one out on a reset (apps call GlobalSignOut for that).
    const refreshed = await call(emulator, "GetTokensFromRefreshToken", { ClientId: ClientId(), RefreshToken: before.RefreshToken });
    expect(refreshed.status).toBe(200);
  });

  it("accepts the code for one hour of emulator time, and a new code replaces the old", async () => {
    const { email } = await createConfirmedUser(emulator);
    await forgot(email);
    emulator.advanceTime(hour - 1000);
    expect((await confirm(email, emulator.outbox.latest(email)!.code)).status).toBe(200);

    await forgot(email);
    const stale = emulator.outbox.latest(email)!.code;
    emulator.advanceTime(hour);
    expect(errorOf(await confirm(email, stale, "Third-password-3"))).toMatchObject({
      type: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
    await forgot(email);
    const fresh = emulator.outbox.latest(email)!.code;
    if (fresh !== stale) expect(errorOf(await confirm(email, stale, "Third-password-3")).type).toBe("CodeMismatchException");
    expect((await confirm(email, fresh, "Third-password-3")).status).toBe(200);
    expect((await passwordSignIn(email, "Third-password-3")).status).toBe(200);
  });

  it("refuses a user whose email is not verified yet (unconfirmed)", async () => {
    const email = freshEmail();
    await call(emulator, "SignUp", { ClientId: ClientId(), Username: email, Password: password });
    expect(errorOf(await forgot(email))).toMatchObject({
      type: "InvalidParameterException",
      message: "Cannot reset password for the user as there is no registered/verified email or phone_number",
    });
    expect(emulator.outbox.all(email).map((m) => m.kind)).toEqual(["signUp"]);
  });

  it("hides whether a user exists: a plausible answer, no message, and a code that never matches", async () => {
    const ghost = freshEmail("ghost");
    const answer = await forgot(ghost);
    expect(answer).toMatchObject({ status: 200, body: { CodeDeliveryDetails: { Destination: "g***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" } } });
    expect(emulator.outbox.latest(ghost)).toBeUndefined();
    expect(errorOf(await confirm(ghost, "123456")).type).toBe("CodeMismatchException");
  });

  it("validates members without echoing the code or the password", async () => {
    const answer = await call(emulator, "ConfirmForgotPassword", { ClientId: ClientId(), Username: freshEmail(), ConfirmationCode: "12 34", Password: " " });
    expect(errorOf(answer)).toMatchObject({ type: "InvalidParameterException" });
    expect(errorOf(answer).message).toMatch(/^2 validation errors detected: Value at 'confirmationCode'.*; Value at 'password'/);
    expect(errorOf(answer).message).not.toContain("12 34");
  });
});

describe("ForgotPassword without PreventUserExistenceErrors", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, preventUserExistenceErrors: false });
  });
  afterAll(() => emulator.stop());

  it("says the user does not exist", async () => {
    const ClientId = emulator.config.userPoolClientId;
    const ghost = freshEmail("ghost");
    const notFound = { type: "UserNotFoundException", message: "Username/client id combination not found." };
    expect(errorOf(await call(emulator, "ForgotPassword", { ClientId, Username: ghost }))).toMatchObject(notFound);
    expect(errorOf(await call(emulator, "ConfirmForgotPassword", { ClientId, Username: ghost, ConfirmationCode: "123456", Password: newPassword }))).toMatchObject(notFound);
  });
});

describe("ForgotPassword in a phone pool", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth: defineAuth({ loginWith: { phone: true } }) });
  });
  afterAll(() => emulator.stop());

  it("sends the code by SMS to the verified number", async () => {
    const ClientId = emulator.config.userPoolClientId;
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    await call(emulator, "SignUp", { ClientId, Username: phone, Password: password });
    await call(emulator, "ConfirmSignUp", { ClientId, Username: phone, ConfirmationCode: emulator.outbox.latest(phone)!.code });
    const answer = await call(emulator, "ForgotPassword", { ClientId, Username: phone });
    expect(answer.body.CodeDeliveryDetails).toEqual({ Destination: `+*******${phone.slice(-4)}`, DeliveryMedium: "SMS", AttributeName: "phone_number" });
    expect(emulator.outbox.latest(phone)).toMatchObject({ kind: "forgotPassword", deliveryMedium: "SMS" });
  });
});

describe("password reset with a client secret", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, clientSecret: true });
  });
  afterAll(() => emulator.stop());
  const hash = (username: string) => computeSecretHash({ clientSecret: emulator.config.clientSecret!, clientId: emulator.config.userPoolClientId, username });

  it("requires SECRET_HASH on both calls", async () => {
    const ClientId = emulator.config.userPoolClientId;
    const email = freshEmail();
    await createConfirmedUser(emulator, email, { SecretHash: hash(email) });
    expect(errorOf(await call(emulator, "ForgotPassword", { ClientId, Username: email }))).toMatchObject({
      type: "NotAuthorizedException",
      message: `Client ${ClientId} is configured with secret but SECRET_HASH was not received`,
    });
    expect((await call(emulator, "ForgotPassword", { ClientId, Username: email, SecretHash: hash(email) })).status).toBe(200);
    const ConfirmationCode = emulator.outbox.latest(email)!.code;
    const wrong = await call(emulator, "ConfirmForgotPassword", { ClientId, Username: email, ConfirmationCode, Password: newPassword, SecretHash: hash("someone") });
    expect(errorOf(wrong)).toMatchObject({ type: "NotAuthorizedException", message: `Unable to verify secret hash for client ${ClientId}` });
    const right = await call(emulator, "ConfirmForgotPassword", { ClientId, Username: email, ConfirmationCode, Password: newPassword, SecretHash: hash(email) });
    expect(right.status).toBe(200);
  });
});

describe("ChangePassword", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, tokenValidity: { accessSeconds: 600 } });
  });
  afterAll(() => emulator.stop());
  const change = (AccessToken: string, PreviousPassword: string, ProposedPassword: string) =>
    call(emulator, "ChangePassword", { AccessToken, PreviousPassword, ProposedPassword });
  const passwordSignIn = (USERNAME: string, PASSWORD: string) =>
    call(emulator, "InitiateAuth", { ClientId: emulator.config.userPoolClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD } });

  it("changes the password of the signed-in user; their tokens stay valid", async () => {
    const { email } = await createConfirmedUser(emulator);
    const tokens = await signIn(emulator, email);
    expect(await change(tokens.AccessToken, password, newPassword)).toMatchObject({ status: 200, body: {} });
    expect(errorOf(await passwordSignIn(email, password))).toMatchObject({ type: "NotAuthorizedException", message: "Incorrect username or password." });
    expect((await passwordSignIn(email, newPassword)).status).toBe(200);
    expect((await call(emulator, "GetUser", { AccessToken: tokens.AccessToken })).status).toBe(200);
  });

  it("refuses a wrong previous password and a new one that breaks the policy, keeping the old", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { AccessToken } = await signIn(emulator, email);
    expect(errorOf(await change(AccessToken, "Wrong-password-9", newPassword))).toMatchObject({
      type: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    expect(errorOf(await change(AccessToken, password, "Sh0rt!"))).toMatchObject({
      type: "InvalidPasswordException",
      message: "Password did not conform with policy: Password not long enough",
    });
    expect((await passwordSignIn(email, password)).status).toBe(200);
  });

  it("refuses expired, revoked and forged access tokens", async () => {
    const { email } = await createConfirmedUser(emulator);
    const first = await signIn(emulator, email);
    const [header, payload, signature] = first.AccessToken.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, username: "someone-else" })).toString("base64url")}.${signature}`;
    expect(errorOf(await change(forged, password, newPassword))).toMatchObject({ type: "NotAuthorizedException", message: "Invalid Access Token" });

    emulator.advanceTime(601 * 1000);
    expect(errorOf(await change(first.AccessToken, password, newPassword))).toMatchObject({ type: "NotAuthorizedException", message: "Access Token has expired" });

    const second = await signIn(emulator, email);
    await call(emulator, "GlobalSignOut", { AccessToken: second.AccessToken });
    expect(errorOf(await change(second.AccessToken, password, newPassword))).toMatchObject({ type: "NotAuthorizedException", message: "Access Token has been revoked" });
    expect((await passwordSignIn(email, password)).status).toBe(200);
  });

  it("validates its members without echoing passwords", async () => {
    const answer = await call(emulator, "ChangePassword", { AccessToken: "x.y.z", PreviousPassword: "Old pass 1", ProposedPassword: "" });
    expect(errorOf(answer).type).toBe("InvalidParameterException");
    expect(errorOf(answer).message).toContain("'proposedPassword'");
    expect(errorOf(answer).message).not.toContain("Old pass 1");
  });
});
