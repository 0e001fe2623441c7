import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/index.js";
import { openHostedUi, submitHostedUiForm } from "../../../test/hosted-ui-support.js";
import { authorizeFor, hostedAuth } from "./oauth-support.js";
import { call, createConfirmedUser, errorOf, freshEmail, password, startSrp } from "./support.js";

const wrongPassword = "Wrong-horse-1";
const incorrect = { type: "NotAuthorizedException", message: "Incorrect username or password." };
const exceeded = { type: "NotAuthorizedException", message: "Password attempts exceeded" };
const expired = { type: "NotAuthorizedException", message: "Invalid session for the user, session is expired." };
const second = 1000;
const minute = 60 * second;

/** A six-digit code that is not `code`. */
const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

describe("Cognito's brute-force limits", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "OPTIONAL", sms: true } }) });
  });
  afterAll(() => emulator.stop());
  const ClientId = () => emulator.config.userPoolClientId;
  const passwordSignIn = (USERNAME: string, PASSWORD: string) =>
    call(emulator, "InitiateAuth", { ClientId: ClientId(), AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD } });
  const failTimes = async (email: string, times: number) => {
    for (let i = 0; i < times; i++) expect(errorOf(await passwordSignIn(email, wrongPassword))).toMatchObject(incorrect);
  };

  it("locks a user out after five wrong passwords with 'Password attempts exceeded', even for the right one, for one second", async () => {
    const { email } = await createConfirmedUser(emulator);
    await failTimes(email, 5);
    expect(errorOf(await passwordSignIn(email, password))).toMatchObject(exceeded);
    expect(errorOf(await passwordSignIn(email, wrongPassword))).toMatchObject(exceeded);
    emulator.advanceTime(second);
    expect((await passwordSignIn(email, password)).status).toBe(200);
  });

  it("doubles the lockout with each wrong password after it, and attempts during a lockout do not lengthen it", async () => {
    const { email } = await createConfirmedUser(emulator);
    await failTimes(email, 5);
    emulator.advanceTime(second);
    await failTimes(email, 1); // the sixth: two seconds
    emulator.advanceTime(second);
    expect(errorOf(await passwordSignIn(email, password))).toMatchObject(exceeded);
    emulator.advanceTime(second);
    await failTimes(email, 1); // the seventh: four seconds
    emulator.advanceTime(3 * second);
    expect(errorOf(await passwordSignIn(email, password))).toMatchObject(exceeded);
    emulator.advanceTime(second);
    expect((await passwordSignIn(email, password)).status).toBe(200);
  });

  it("caps the lockout at fifteen minutes", async () => {
    const { email } = await createConfirmedUser(emulator);
    await failTimes(email, 5);
    // Failures 6 to 15 each wait out the lockout before them (2^(n-5) s, at most 15 minutes).
    for (let n = 6; n <= 15; n++) {
      emulator.advanceTime(Math.min(2 ** (n - 6) * second, 15 * minute));
      await failTimes(email, 1);
    }
    emulator.advanceTime(15 * minute - second);
    expect(errorOf(await passwordSignIn(email, password))).toMatchObject(exceeded);
    emulator.advanceTime(second);
    expect((await passwordSignIn(email, password)).status).toBe(200);
  });

  it("starts counting again after a successful sign-in", async () => {
    const { email } = await createConfirmedUser(emulator);
    await failTimes(email, 4);
    expect((await passwordSignIn(email, password)).status).toBe(200);
    await failTimes(email, 4);
    expect((await passwordSignIn(email, password)).status).toBe(200);
  });

  it("forgets old failures after fifteen quiet minutes", async () => {
    const { email } = await createConfirmedUser(emulator);
    await failTimes(email, 5);
    emulator.advanceTime(15 * minute);
    await failTimes(email, 4);
    expect((await passwordSignIn(email, password)).status).toBe(200);
  });

  it("counts wrong SRP proofs too, and refuses a right one during the lockout", async () => {
    const { email } = await createConfirmedUser(emulator);
    for (let i = 0; i < 5; i++) {
      const srp = await startSrp(emulator, email);
      expect(errorOf(await srp.respond(await srp.prove(wrongPassword)))).toMatchObject(incorrect);
    }
    const locked = await startSrp(emulator, email);
    expect(errorOf(await locked.respond(await locked.prove(password)))).toMatchObject(exceeded);
    emulator.advanceTime(second);
    const open = await startSrp(emulator, email);
    expect((await open.respond(await open.prove(password))).status).toBe(200);
  });

  it("locks one user out, not another", async () => {
    const { email } = await createConfirmedUser(emulator);
    const other = await createConfirmedUser(emulator);
    await failTimes(email, 5);
    expect((await passwordSignIn(other.email, password)).status).toBe(200);
    // An unknown user has no counter to lock: it stays the usual refusal.
    const ghost = freshEmail("ghost");
    for (let i = 0; i < 6; i++) expect(errorOf(await passwordSignIn(ghost, wrongPassword))).toMatchObject(incorrect);
  });

  it("ends an MFA challenge after three wrong codes", async () => {
    const { email } = await createConfirmedUser(emulator, freshEmail(), { UserAttributes: [{ Name: "phone_number", Value: "+15555550123" }] });
    const { AccessToken } = (await passwordSignIn(email, password)).body.AuthenticationResult;
    await call(emulator, "SetUserMFAPreference", { AccessToken, SMSMfaSettings: { Enabled: true } });
    const challenge = await passwordSignIn(email, password);
    expect(challenge.body.ChallengeName).toBe("SMS_MFA");
    const code = emulator.outbox.latest(email)!.code;
    const respond = (SMS_MFA_CODE: string) =>
      call(emulator, "RespondToAuthChallenge", { ClientId: ClientId(), ChallengeName: "SMS_MFA", Session: challenge.body.Session, ChallengeResponses: { USERNAME: email, SMS_MFA_CODE } });
    for (let i = 0; i < 3; i++) expect(errorOf(await respond(wrong(code))).type).toBe("CodeMismatchException");
    expect(errorOf(await respond(code))).toMatchObject(expired);
    // A new sign-in gets a new session and code.
    const again = await passwordSignIn(email, password);
    const answer = await call(emulator, "RespondToAuthChallenge", {
      ClientId: ClientId(),
      ChallengeName: "SMS_MFA",
      Session: again.body.Session,
      ChallengeResponses: { USERNAME: email, SMS_MFA_CODE: emulator.outbox.latest(email)!.code },
    });
    expect(answer.body.AuthenticationResult).toBeDefined();
  });

  it("counts wrong MFA codes toward the lockout, which a right password alone does not forgive", async () => {
    const { email } = await createConfirmedUser(emulator, freshEmail(), { UserAttributes: [{ Name: "phone_number", Value: "+15555550123" }] });
    const { AccessToken } = (await passwordSignIn(email, password)).body.AuthenticationResult;
    await call(emulator, "SetUserMFAPreference", { AccessToken, SMSMfaSettings: { Enabled: true } });
    const challenge = async () => {
      const answer = await passwordSignIn(email, password);
      expect(answer.body.ChallengeName).toBe("SMS_MFA");
      const code = emulator.outbox.latest(email)!.code;
      const respond = (SMS_MFA_CODE: string) =>
        call(emulator, "RespondToAuthChallenge", { ClientId: ClientId(), ChallengeName: "SMS_MFA", Session: answer.body.Session, ChallengeResponses: { USERNAME: email, SMS_MFA_CODE } });
      return { code, respond };
    };
    const first = await challenge();
    for (let i = 0; i < 3; i++) expect(errorOf(await first.respond(wrong(first.code))).type).toBe("CodeMismatchException");
    // The right password opens a new challenge, but the three wrong codes still count: two more lock the user out.
    const again = await challenge();
    for (let i = 0; i < 2; i++) expect(errorOf(await again.respond(wrong(again.code))).type).toBe("CodeMismatchException");
    expect(errorOf(await again.respond(again.code))).toMatchObject(exceeded);
    expect(errorOf(await passwordSignIn(email, password))).toMatchObject(exceeded);
    emulator.advanceTime(second);
    // After the lockout, a right code ends the run of failures.
    const third = await challenge();
    expect((await third.respond(third.code)).body.AuthenticationResult).toBeDefined();
    await failTimes(email, 4);
    expect((await passwordSignIn(email, password)).body.ChallengeName).toBe("SMS_MFA");
  });

  it("answers LimitExceededException after five wrong reset codes, until a new code is sent", async () => {
    const { email } = await createConfirmedUser(emulator);
    const forgot = () => call(emulator, "ForgotPassword", { ClientId: ClientId(), Username: email });
    const confirm = (ConfirmationCode: string) =>
      call(emulator, "ConfirmForgotPassword", { ClientId: ClientId(), Username: email, ConfirmationCode, Password: "Brand-new-pass-2" });
    await forgot();
    const code = emulator.outbox.latest(email)!.code;
    for (let i = 0; i < 5; i++) expect(errorOf(await confirm(wrong(code))).type).toBe("CodeMismatchException");
    expect(errorOf(await confirm(code))).toMatchObject({ type: "LimitExceededException", message: "Attempt limit exceeded, please try after some time.", status: 400 });
    await forgot();
    expect((await confirm(emulator.outbox.latest(email)!.code)).status).toBe(200);
    expect((await passwordSignIn(email, "Brand-new-pass-2")).status).toBe(200);
  });
});

describe("the hosted UI's login page under the same lockout", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth: hostedAuth });
  });
  afterAll(() => emulator.stop());

  const submitPassword = async (email: string, pass: string) => {
    const login = await openHostedUi(authorizeFor(emulator).url);
    if (login.kind !== "page") throw new Error("expected the login page");
    return submitHostedUiForm(login.page, { username: email, password: pass });
  };
  const errorShown = (stop: Awaited<ReturnType<typeof submitPassword>>) => (stop.kind === "page" ? stop.page.error : `went to ${stop.url}`);

  it("counts wrong passwords typed on the login page, and shows 'Password attempts exceeded' during the lockout", async () => {
    const { email } = await createConfirmedUser(emulator);
    for (let i = 0; i < 5; i++) expect(errorShown(await submitPassword(email, wrongPassword))).toBe("Incorrect username or password.");
    expect(errorShown(await submitPassword(email, password))).toBe("Password attempts exceeded");
    // The API and the page share one count, as one user pool.
    const api = await call(emulator, "InitiateAuth", {
      ClientId: emulator.config.userPoolClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    expect(errorOf(api)).toMatchObject(exceeded);
    emulator.advanceTime(second);
    expect((await submitPassword(email, password)).kind).toBe("callback");
  });
});
