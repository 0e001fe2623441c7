import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/index.js";
import { openHostedUi, signInThroughHostedUi, submitHostedUiForm } from "../../../test/hosted-ui-support.js";
import { authorizeFor, callbackUrl, exchangeCode, queryOf } from "./oauth-support.js";
import { call, createConfirmedUser, freshEmail, password, signIn } from "./support.js";

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
