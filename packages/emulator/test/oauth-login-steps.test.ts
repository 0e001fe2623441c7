import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/index.js";
import { openHostedUi, signInThroughHostedUi, submitHostedUiForm } from "../../../test/hosted-ui-support.js";
import { authorizeFor, callbackUrl, exchangeCode, queryOf } from "./oauth-support.js";
import { call, claimsOf, createConfirmedUser, freshEmail, password, signIn } from "./support.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    auth: defineAuth({
      loginWith: { email: true, externalProviders: { callbackUrls: [callbackUrl], logoutUrls: [] } },
      multifactor: { mode: "OPTIONAL", totp: true, email: true },
    }),
    quiet: true,
  });
});
afterAll(() => emulator.stop());

const withToken = (operation: string, AccessToken: string, body: Record<string, unknown> = {}) => call(emulator, operation, { AccessToken, ...body });

async function userWithEmailMfa() {
  const { email } = await createConfirmedUser(emulator);
  const { AccessToken } = await signIn(emulator, email);
  expect((await withToken("SetUserMFAPreference", AccessToken, { EmailMfaSettings: { Enabled: true, PreferredMfa: true } })).status).toBe(200);
  return email;
}

async function userWithAuthenticator(extra: Record<string, unknown> = {}) {
  const { email } = await createConfirmedUser(emulator);
  const { AccessToken } = await signIn(emulator, email);
  const { SecretCode } = (await withToken("AssociateSoftwareToken", AccessToken)).body;
  expect((await withToken("VerifySoftwareToken", AccessToken, { UserCode: emulator.totp(SecretCode) })).status).toBe(200);
  expect((await withToken("SetUserMFAPreference", AccessToken, { SoftwareTokenMfaSettings: { Enabled: true }, ...extra })).status).toBe(200);
  emulator.advanceTime(30_000); // a fresh time step, so the next code is not the one just used
  return { email, secret: SecretCode as string };
}

describe("the login page's steps after the password", () => {
  it("asks a new password of a user with a temporary one, then signs them in", async () => {
    const email = freshEmail();
    emulator.createUser({ username: email, temporaryPassword: "Temp-pass-1" });
    const { url, verifier } = authorizeFor(emulator);
    const back = await signInThroughHostedUi(url, { username: email, password: "Temp-pass-1", newPassword: "Brand-new-pass-2" });
    expect((await exchangeCode(emulator, queryOf(back).code!, verifier)).status).toBe(200);
    expect((await signIn(emulator, email, "Brand-new-pass-2")).AccessToken).toBeTruthy();
  });

  it("shows the new-password form again for a password the policy refuses", async () => {
    const email = freshEmail();
    emulator.createUser({ username: email, temporaryPassword: "Temp-pass-1" });
    const login = await openHostedUi(authorizeFor(emulator).url);
    if (login.kind !== "page") throw new Error("expected the login page");
    const step = await submitHostedUiForm(login.page, { username: email, password: "Temp-pass-1" });
    if (step.kind !== "page") throw new Error("expected the new-password step");
    expect(step.page.step).toBe("NEW_PASSWORD_REQUIRED");
    expect(Object.keys(step.page.form!.fields).sort()).toEqual(["newPassword", "request", "session", "step"]);
    const weak = await submitHostedUiForm(step.page, { newPassword: "short" });
    expect(weak.kind === "page" && weak.page).toMatchObject({ status: 400, step: "NEW_PASSWORD_REQUIRED", error: expect.stringMatching(/Password/) });
    expect(weak.kind === "page" && weak.page.html).not.toContain("short\"");
  });

  it("asks the emailed code of EMAIL_OTP, retrying after a wrong one", async () => {
    const email = await userWithEmailMfa();
    const login = await openHostedUi(authorizeFor(emulator).url);
    if (login.kind !== "page") throw new Error("expected the login page");
    const step = await submitHostedUiForm(login.page, { username: email, password });
    if (step.kind !== "page") throw new Error("expected the code step");
    expect(step.page.step).toBe("EMAIL_OTP");
    const wrong = await submitHostedUiForm(step.page, { code: "000000" === emulator.outbox.latest(email)!.code ? "111111" : "000000" });
    expect(wrong.kind === "page" && wrong.page).toMatchObject({ status: 400, step: "EMAIL_OTP", error: "Invalid code received for user." });
    const done = await submitHostedUiForm(step.page, { code: emulator.outbox.latest(email)!.code });
    expect(done.kind === "callback" && queryOf(done.url).code).toBeTruthy();
  });

  it("sends the user back to the password after three wrong codes, as the API ends its session, and counts them toward the lockout", async () => {
    const email = await userWithEmailMfa();
    const codeStep = async () => {
      const login = await openHostedUi(authorizeFor(emulator).url);
      if (login.kind !== "page") throw new Error("expected the login page");
      const step = await submitHostedUiForm(login.page, { username: email, password });
      if (step.kind !== "page" || step.page.step !== "EMAIL_OTP") throw new Error("expected the code step");
      return step.page;
    };
    const wrongCode = () => ("000000" === emulator.outbox.latest(email)!.code ? "111111" : "000000");
    const step = await codeStep();
    for (let i = 0; i < 2; i++) {
      const wrong = await submitHostedUiForm(step, { code: wrongCode() });
      expect(wrong.kind === "page" && wrong.page).toMatchObject({ status: 400, step: "EMAIL_OTP", error: "Invalid code received for user." });
    }
    const third = await submitHostedUiForm(step, { code: wrongCode() });
    expect(third.kind === "page" && third.page).toMatchObject({ status: 400, step: "PASSWORD", error: "Too many wrong codes. Sign in again." });
    // The session is over: even the right code no longer signs in with it.
    const late = await submitHostedUiForm(step, { code: emulator.outbox.latest(email)!.code });
    expect(late.kind === "page" && late.page.step).toBe("PASSWORD");
    // Two more wrong codes after a right password make five failed attempts: the user is locked out.
    const next = await codeStep();
    for (let i = 0; i < 2; i++) await submitHostedUiForm(next, { code: wrongCode() });
    const locked = await submitHostedUiForm(next, { code: emulator.outbox.latest(email)!.code });
    expect(locked.kind === "page" && locked.page).toMatchObject({ step: "PASSWORD", error: "Password attempts exceeded" });
    emulator.advanceTime(1000);
  });

  it("answers the MFA step through signInThroughHostedUi with a code function", async () => {
    const email = await userWithEmailMfa();
    const back = await signInThroughHostedUi(authorizeFor(emulator).url, { username: email, password, code: () => emulator.outbox.latest(email)!.code });
    expect(queryOf(back).code).toBeTruthy();
  });

  it("asks the authenticator's code of SOFTWARE_TOKEN_MFA", async () => {
    const { email, secret } = await userWithAuthenticator({ SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
    const steps: string[] = [];
    const back = await signInThroughHostedUi(authorizeFor(emulator).url, { username: email, password, code: (step) => (steps.push(step), emulator.totp(secret)) });
    expect(steps).toEqual(["SOFTWARE_TOKEN_MFA"]);
    expect(queryOf(back).code).toBeTruthy();
  });

  it("lets a user with two factors and no preference choose one", async () => {
    const { email } = await userWithAuthenticator({ EmailMfaSettings: { Enabled: true } });
    const login = await openHostedUi(authorizeFor(emulator).url);
    if (login.kind !== "page") throw new Error("expected the login page");
    const choice = await submitHostedUiForm(login.page, { username: email, password });
    expect(choice.kind === "page" && choice.page.step).toBe("SELECT_MFA_TYPE");
    const steps: string[] = [];
    const back = await signInThroughHostedUi(authorizeFor(emulator).url, {
      username: email,
      password,
      mfaType: "EMAIL_OTP",
      code: (step) => (steps.push(step), emulator.outbox.latest(email)!.code),
    });
    expect(steps).toEqual(["EMAIL_OTP"]);
    expect(queryOf(back).code).toBeTruthy();
  });
});

describe("the login page's authenticator setup, when the pool requires MFA", () => {
  let required: Emulator;
  beforeAll(async () => {
    required = await startEmulator({
      auth: defineAuth({ loginWith: { email: true, externalProviders: { callbackUrls: [callbackUrl], logoutUrls: [] } }, multifactor: { mode: "REQUIRED", totp: true } }),
      quiet: true,
    });
  });
  afterAll(() => required.stop());

  it("sets up an authenticator for a user with no MFA, then asks its code at the next sign-in", async () => {
    const { email } = await createConfirmedUser(required);
    let secret = "";
    const { url, verifier } = authorizeFor(required);
    const back = await signInThroughHostedUi(url, { username: email, password, totp: (shown) => required.totp((secret = shown)) });
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect((await exchangeCode(required, queryOf(back).code!, verifier)).status).toBe(200);

    required.advanceTime(30_000); // a fresh time step, so the next code is not the one just used
    const steps: string[] = [];
    const again = await signInThroughHostedUi(authorizeFor(required).url, { username: email, password, code: (step) => (steps.push(step), required.totp(secret)) });
    expect(steps).toEqual(["SOFTWARE_TOKEN_MFA"]);
    expect(queryOf(again).code).toBeTruthy();
  });

  it("asks a user with a temporary password for a new one, then to set up an authenticator", async () => {
    const email = freshEmail();
    required.createUser({ username: email, temporaryPassword: "Temp-pass-1" });
    const steps: string[] = [];
    const { url, verifier } = authorizeFor(required);
    const back = await signInThroughHostedUi(url, { username: email, password: "Temp-pass-1", newPassword: "Brand-new-pass-2", totp: (secret) => (steps.push("MFA_SETUP"), required.totp(secret)) });
    expect(steps).toEqual(["MFA_SETUP"]);
    expect((await exchangeCode(required, queryOf(back).code!, verifier)).status).toBe(200);
  });

  it("shows the secret and its otpauth URI, and refuses a wrong setup code", async () => {
    const { email } = await createConfirmedUser(required);
    const login = await openHostedUi(authorizeFor(required).url);
    if (login.kind !== "page") throw new Error("expected the login page");
    const setup = await submitHostedUiForm(login.page, { username: email, password });
    if (setup.kind !== "page") throw new Error("expected the MFA_SETUP step");
    expect(setup.page).toMatchObject({ status: 200, step: "MFA_SETUP", error: undefined });
    expect(Object.keys(setup.page.form!.fields).sort()).toEqual(["code", "request", "session", "step"]);
    const { secret, uri } = setup.page.totpSetup!;
    expect(new URL(uri!)).toMatchObject({ protocol: "otpauth:", host: "totp" });
    expect(new URL(uri!).searchParams.get("secret")).toBe(secret);
    expect(setup.page.html).not.toMatch(/<input[^>]*value="[A-Z2-7]{32}"/); // the secret stays on the emulator, not in a field

    const right = required.totp(secret);
    const wrong = await submitHostedUiForm(setup.page, { code: right === "000000" ? "111111" : "000000" });
    expect(wrong.kind === "page" && wrong.page).toMatchObject({ status: 400, step: "MFA_SETUP", error: expect.stringMatching(/code/i), totpSetup: { secret } });
    const done = await submitHostedUiForm(wrong.kind === "page" ? wrong.page : setup.page, { code: right });
    expect(done.kind === "callback" && queryOf(done.url).code).toBeTruthy();
  });
});

describe("the login page's new-password step for a user missing a required attribute", () => {
  let withName: Emulator;
  beforeAll(async () => {
    withName = await startEmulator({
      auth: defineAuth({ loginWith: { email: true, externalProviders: { callbackUrls: [callbackUrl], logoutUrls: [] } }, userAttributes: { givenName: { required: true, mutable: true } } }),
      quiet: true,
    });
  });
  afterAll(() => withName.stop());

  it("asks for the attribute, refuses it empty, and puts it in the id token", async () => {
    const email = freshEmail();
    withName.createUser({ username: email, temporaryPassword: "Temp-pass-1" });
    const { url, verifier } = authorizeFor(withName);
    const login = await openHostedUi(url);
    if (login.kind !== "page") throw new Error("expected the login page");
    const step = await submitHostedUiForm(login.page, { username: email, password: "Temp-pass-1" });
    if (step.kind !== "page") throw new Error("expected the new-password step");
    expect(step.page.step).toBe("NEW_PASSWORD_REQUIRED");
    expect(Object.keys(step.page.form!.fields).sort()).toEqual(["given_name", "newPassword", "request", "session", "step"]);

    const empty = await submitHostedUiForm(step.page, { newPassword: "Brand-new-pass-2", given_name: " " });
    if (empty.kind !== "page") throw new Error("expected the step again");
    expect(empty.page).toMatchObject({ status: 400, step: "NEW_PASSWORD_REQUIRED", error: expect.stringContaining("given_name") });
    expect(empty.page.html).not.toContain("Brand-new-pass-2");
    const weak = await submitHostedUiForm(empty.page, { newPassword: "short", given_name: 'Ana "<b>' });
    if (weak.kind !== "page") throw new Error("expected the step again");
    expect(weak.page).toMatchObject({ status: 400, error: expect.stringMatching(/Password/), form: { fields: { given_name: 'Ana "<b>' } } });
    expect(weak.page.html).not.toContain("<b>");

    const done = await submitHostedUiForm(empty.page, { newPassword: "Brand-new-pass-2", given_name: "Ana <3" });
    if (done.kind !== "callback") throw new Error(`expected the callback, got ${done.page.error}`);
    const tokens = await exchangeCode(withName, queryOf(done.url).code!, verifier);
    expect(claimsOf(tokens.body.id_token)).toMatchObject({ email, given_name: "Ana <3" });
  });

  it("answers the attributes through signInThroughHostedUi", async () => {
    const email = freshEmail();
    withName.createUser({ username: email, temporaryPassword: "Temp-pass-1" });
    const answers = { username: email, password: "Temp-pass-1", newPassword: "Brand-new-pass-2" };
    await expect(signInThroughHostedUi(authorizeFor(withName).url, answers)).rejects.toThrow(/given_name/);
    const { url, verifier } = authorizeFor(withName);
    const back = await signInThroughHostedUi(url, { ...answers, attributes: { given_name: "Bea" } });
    expect(claimsOf((await exchangeCode(withName, queryOf(back).code!, verifier)).body.id_token).given_name).toBe("Bea");
  });
});
