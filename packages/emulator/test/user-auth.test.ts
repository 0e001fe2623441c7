import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InitiateAuthCommand, RespondToAuthChallengeCommand, GetUserAuthFactorsCommand } from "@aws-sdk/client-cognito-identity-provider";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, createConfirmedUser, createSrpClient, errorOf, freshEmail, password, sdkClientFor } from "./support.js";

const minute = 60 * 1000;
const expired = { type: "NotAuthorizedException", message: "Invalid session for the user, session is expired." };
/** An eight-character code that is not `code`. */
const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

/** Choice-based sign-in calls bound to one emulator. */
function userAuth(emulator: () => Emulator) {
  const ClientId = () => emulator().config.userPoolClientId;
  return {
    start: (USERNAME: string, extra: Record<string, string> = {}, body: Record<string, unknown> = {}) =>
      call(emulator(), "InitiateAuth", { ClientId: ClientId(), AuthFlow: "USER_AUTH", AuthParameters: { USERNAME, ...extra }, ...body }),
    respond: (ChallengeName: string, Session: string | undefined, ChallengeResponses: Record<string, string>) =>
      call(emulator(), "RespondToAuthChallenge", { ClientId: ClientId(), ChallengeName, ChallengeResponses, ...(Session ? { Session } : {}) }),
    withToken: (operation: string, AccessToken: string, body: Record<string, unknown> = {}) => call(emulator(), operation, { AccessToken, ...body }),
  };
}

describe("USER_AUTH choice-based sign-in", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      quiet: true,
      auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "OPTIONAL", email: true } }),
      allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"],
    });
  });
  afterAll(() => emulator.stop());
  const api = userAuth(() => emulator);

  it("offers the factors the pool allows and the user has, as the AWS SDK reads them", async () => {
    const { email } = await createConfirmedUser(emulator);
    const sdk = sdkClientFor(emulator);
    const answer = await sdk.send(new InitiateAuthCommand({ ClientId: emulator.config.userPoolClientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: email } }));
    // A verified email but no phone and no passkey: no SMS_OTP, no WEB_AUTHN.
    expect(answer).toMatchObject({ ChallengeName: "SELECT_CHALLENGE", AvailableChallenges: ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"], Session: expect.any(String) });
    const done = await sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: emulator.config.userPoolClientId,
        ChallengeName: "SELECT_CHALLENGE",
        Session: answer.Session,
        ChallengeResponses: { USERNAME: email, ANSWER: "PASSWORD", PASSWORD: password },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    const factors = await sdk.send(new GetUserAuthFactorsCommand({ AccessToken: done.AuthenticationResult!.AccessToken }));
    expect(factors).toMatchObject({ Username: expect.any(String), ConfiguredUserAuthFactors: ["PASSWORD", "EMAIL_OTP"] });
    sdk.destroy();
  });

  it("signs in with an emailed code: PREFERRED_CHALLENGE EMAIL_OTP sends a sign-in code to the outbox, usable once", async () => {
    const { email } = await createConfirmedUser(emulator);
    const start = await api.start(email, { PREFERRED_CHALLENGE: "EMAIL_OTP" });
    expect(start.body).toMatchObject({
      ChallengeName: "EMAIL_OTP",
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL", CODE_DELIVERY_DESTINATION: expect.stringMatching(/\*\*\*/) },
      Session: expect.any(String),
    });
    const message = emulator.outbox.latest(email)!;
    expect(message).toMatchObject({ kind: "signIn", deliveryMedium: "EMAIL" });
    const done = await api.respond("EMAIL_OTP", start.body.Session, { USERNAME: email, EMAIL_OTP_CODE: message.code });
    expect(done.body.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String), RefreshToken: expect.any(String) });
    expect(errorOf(await api.respond("EMAIL_OTP", start.body.Session, { USERNAME: email, EMAIL_OTP_CODE: message.code }))).toMatchObject(expired);
  });

  it("refuses wrong codes, and the third wrong one ends the session", async () => {
    const { email } = await createConfirmedUser(emulator);
    const start = await api.start(email, { PREFERRED_CHALLENGE: "EMAIL_OTP" });
    const { code } = emulator.outbox.latest(email)!;
    for (let i = 0; i < 3; i++) {
      expect(errorOf(await api.respond("EMAIL_OTP", start.body.Session, { USERNAME: email, EMAIL_OTP_CODE: wrong(code) }))).toMatchObject({
        type: "CodeMismatchException",
        message: "Invalid code or auth state for the user.",
      });
    }
    expect(errorOf(await api.respond("EMAIL_OTP", start.body.Session, { USERNAME: email, EMAIL_OTP_CODE: code }))).toMatchObject(expired);
  });

  it("refuses a code after its three minutes, with time moved by the emulator clock", async () => {
    const { email } = await createConfirmedUser(emulator);
    const start = await api.start(email, { PREFERRED_CHALLENGE: "EMAIL_OTP" });
    const { code } = emulator.outbox.latest(email)!;
    emulator.advanceTime(3 * minute);
    expect(errorOf(await api.respond("EMAIL_OTP", start.body.Session, { USERNAME: email, EMAIL_OTP_CODE: code }))).toMatchObject(expired);
  });

  it("answers SELECT_CHALLENGE with EMAIL_OTP by sending a code, and refuses a choice not offered", async () => {
    const { email } = await createConfirmedUser(emulator);
    const select = await api.start(email);
    expect(errorOf(await api.respond("SELECT_CHALLENGE", select.body.Session, { USERNAME: email, ANSWER: "SMS_OTP" })).type).toBe("InvalidParameterException");
    const otp = await api.respond("SELECT_CHALLENGE", select.body.Session, { USERNAME: email, ANSWER: "EMAIL_OTP" });
    expect(otp.body).toMatchObject({ ChallengeName: "EMAIL_OTP", Session: expect.any(String) });
    const done = await api.respond("EMAIL_OTP", otp.body.Session, { USERNAME: email, EMAIL_OTP_CODE: emulator.outbox.latest(email)!.code });
    expect(done.body.AuthenticationResult).toBeDefined();
    // The SELECT_CHALLENGE session was used by the choice.
    expect(errorOf(await api.respond("SELECT_CHALLENGE", select.body.Session, { USERNAME: email, ANSWER: "EMAIL_OTP" }))).toMatchObject(expired);
  });

  it("signs in with PASSWORD_SRP: SRP_A with the choice (or asked for), then PASSWORD_VERIFIER", async () => {
    const { email } = await createConfirmedUser(emulator);
    const select = await api.start(email);
    const srp = await createSrpClient(emulator);
    const verifier = await api.respond("SELECT_CHALLENGE", select.body.Session, { USERNAME: email, ANSWER: "PASSWORD_SRP", SRP_A: srp.A });
    expect(verifier.body).toMatchObject({ ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: { SRP_B: expect.any(String), SECRET_BLOCK: expect.any(String) } });
    const proof = await srp.prove(verifier.body.ChallengeParameters, password);
    const done = await api.respond("PASSWORD_VERIFIER", verifier.body.Session, proof);
    expect(done.body.AuthenticationResult).toBeDefined();

    // Preferred without SRP_A: a PASSWORD_SRP challenge asks for it.
    const ask = await api.start(email, { PREFERRED_CHALLENGE: "PASSWORD_SRP" });
    expect(ask.body).toMatchObject({ ChallengeName: "PASSWORD_SRP", Session: expect.any(String) });
    const again = await createSrpClient(emulator);
    const second = await api.respond("PASSWORD_SRP", ask.body.Session, { USERNAME: email, SRP_A: again.A });
    expect(second.body).toMatchObject({ ChallengeName: "PASSWORD_VERIFIER" });
    const proven = await api.respond("PASSWORD_VERIFIER", second.body.Session, await again.prove(second.body.ChallengeParameters, password));
    expect(proven.body.AuthenticationResult).toBeDefined();
  });

  it("asks for the password with a PASSWORD challenge when the preferred PASSWORD comes without one, and refuses a wrong one", async () => {
    const { email } = await createConfirmedUser(emulator);
    expect((await api.start(email, { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD: password })).body.AuthenticationResult).toBeDefined();
    expect(errorOf(await api.start(email, { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD: "Wrong-pass-1" }))).toMatchObject({
      type: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    const ask = await api.start(email, { PREFERRED_CHALLENGE: "PASSWORD" });
    expect(ask.body).toMatchObject({ ChallengeName: "PASSWORD", Session: expect.any(String) });
    expect((await api.respond("PASSWORD", ask.body.Session, { USERNAME: email, PASSWORD: password })).body.AuthenticationResult).toBeDefined();
  });

  it("falls back to SELECT_CHALLENGE when the preferred challenge is not the user's, and refuses an unknown one", async () => {
    const { email } = await createConfirmedUser(emulator);
    const answer = await api.start(email, { PREFERRED_CHALLENGE: "WEB_AUTHN" });
    expect(answer.body).toMatchObject({ ChallengeName: "SELECT_CHALLENGE", AvailableChallenges: ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"] });
    expect(errorOf(await api.start(email, { PREFERRED_CHALLENGE: "MAGIC_LINK" })).type).toBe("InvalidParameterException");
  });

  it("asks MFA after a password, and offers a user with MFA on no passwordless factor", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { AuthenticationResult } = (await api.start(email, { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD: password })).body;
    await api.withToken("SetUserMFAPreference", AuthenticationResult.AccessToken, { EmailMfaSettings: { Enabled: true } });
    const select = await api.start(email);
    expect(select.body.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP"]);
    const mfa = await api.respond("SELECT_CHALLENGE", select.body.Session, { USERNAME: email, ANSWER: "PASSWORD", PASSWORD: password });
    expect(mfa.body).toMatchObject({ ChallengeName: "EMAIL_OTP" });
    expect(emulator.outbox.latest(email)).toMatchObject({ kind: "mfa" });
    const done = await api.respond("EMAIL_OTP", mfa.body.Session, { USERNAME: email, EMAIL_OTP_CODE: emulator.outbox.latest(email)!.code });
    expect(done.body.AuthenticationResult).toBeDefined();
  });

  it("answers an unknown user like a known one, or UserNotFoundException where the client shows which users exist", async () => {
    const ghost = freshEmail("ghost");
    const decoy = await api.start(ghost);
    expect(decoy.body).toMatchObject({ ChallengeName: "SELECT_CHALLENGE", AvailableChallenges: ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"] });
    expect(errorOf(await api.respond("SELECT_CHALLENGE", decoy.body.Session, { USERNAME: ghost, ANSWER: "PASSWORD", PASSWORD: password })).message).toBe(
      "Incorrect username or password.",
    );
    const code = await api.start(ghost, { PREFERRED_CHALLENGE: "EMAIL_OTP" });
    expect(code.body).toMatchObject({ ChallengeName: "EMAIL_OTP", ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL" } });
    expect(emulator.outbox.latest(ghost)).toBeUndefined();
    // Every code is wrong, the third ends the session: as for a real user guessing.
    for (let i = 0; i < 3; i++) expect(errorOf(await api.respond("EMAIL_OTP", code.body.Session, { USERNAME: ghost, EMAIL_OTP_CODE: "123456" })).type).toBe("CodeMismatchException");
    expect(errorOf(await api.respond("EMAIL_OTP", code.body.Session, { USERNAME: ghost, EMAIL_OTP_CODE: "123456" }))).toMatchObject(expired);
    const ask = await api.start(ghost, { PREFERRED_CHALLENGE: "PASSWORD" });
    expect(ask.body).toMatchObject({ ChallengeName: "PASSWORD", Session: expect.any(String) });
    expect(errorOf(await api.respond("PASSWORD", ask.body.Session, { USERNAME: ghost, PASSWORD: password })).message).toBe("Incorrect username or password.");

    const shown = await startEmulator({ quiet: true, preventUserExistenceErrors: false });
    try {
      expect(errorOf(await userAuth(() => shown).start(ghost)).type).toBe("UserNotFoundException");
    } finally {
      await shown.stop();
    }
  });
});

describe("sign-up without a password, and sign-in right after ConfirmSignUp", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] });
  });
  afterAll(() => emulator.stop());
  const api = userAuth(() => emulator);
  const ClientId = () => emulator.config.userPoolClientId;

  it("signs a user up without a password, and ConfirmSignUp's Session signs them in once", async () => {
    const email = freshEmail();
    const signUp = await call(emulator, "SignUp", { ClientId: ClientId(), Username: email });
    expect(signUp.body).toMatchObject({ UserConfirmed: false, UserSub: expect.any(String), Session: expect.any(String) });
    const confirm = await call(emulator, "ConfirmSignUp", {
      ClientId: ClientId(),
      Username: email,
      ConfirmationCode: emulator.outbox.latest(email)!.code,
      Session: signUp.body.Session,
    });
    expect(confirm.body).toEqual({ Session: expect.any(String) });
    // Only a string: another tab or process may use it.
    const signedIn = await api.start(email, {}, { Session: confirm.body.Session });
    expect(signedIn.body.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String), RefreshToken: expect.any(String) });
    expect(errorOf(await api.start(email, {}, { Session: confirm.body.Session }))).toMatchObject(expired);

    // No password: PASSWORD is no factor of theirs, and password sign-in fails as a wrong password.
    const factors = await api.withToken("GetUserAuthFactors", signedIn.body.AuthenticationResult.AccessToken);
    expect(factors.body.ConfiguredUserAuthFactors).toEqual(["EMAIL_OTP"]);
    expect((await api.start(email)).body.AvailableChallenges).toEqual(["EMAIL_OTP"]);
    const passwordSignIn = await call(emulator, "InitiateAuth", { ClientId: ClientId(), AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } });
    expect(errorOf(passwordSignIn).message).toBe("Incorrect username or password.");
  });

  it("refuses the Session after three minutes, or for another user", async () => {
    const late = await createConfirmedUser(emulator);
    const first = freshEmail();
    await call(emulator, "SignUp", { ClientId: ClientId(), Username: first, Password: password });
    const confirm = await call(emulator, "ConfirmSignUp", { ClientId: ClientId(), Username: first, ConfirmationCode: emulator.outbox.latest(first)!.code });
    expect(errorOf(await api.start(late.email, {}, { Session: confirm.body.Session })).type).toBe("NotAuthorizedException");

    const second = freshEmail();
    await call(emulator, "SignUp", { ClientId: ClientId(), Username: second, Password: password });
    const again = await call(emulator, "ConfirmSignUp", { ClientId: ClientId(), Username: second, ConfirmationCode: emulator.outbox.latest(second)!.code });
    emulator.advanceTime(3 * minute);
    expect(errorOf(await api.start(second, {}, { Session: again.body.Session }))).toMatchObject(expired);
  });

  it("requires a password where the pool has no passwordless factor", async () => {
    const strict = await startEmulator({ quiet: true });
    try {
      const answer = await call(strict, "SignUp", { ClientId: strict.config.userPoolClientId, Username: freshEmail() });
      expect(errorOf(answer).type).toBe("InvalidParameterException");
    } finally {
      await strict.stop();
    }
  });
});

describe("SMS_OTP", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth: defineAuth({ loginWith: { phone: true } }), allowedFirstAuthFactors: ["SMS_OTP"] });
  });
  afterAll(() => emulator.stop());
  const api = userAuth(() => emulator);

  it("texts a sign-in code to a verified phone number", async () => {
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    await call(emulator, "SignUp", { ClientId: emulator.config.userPoolClientId, Username: phone });
    await call(emulator, "ConfirmSignUp", { ClientId: emulator.config.userPoolClientId, Username: phone, ConfirmationCode: emulator.outbox.latest(phone)!.code });
    const start = await api.start(phone, { PREFERRED_CHALLENGE: "SMS_OTP" });
    expect(start.body).toMatchObject({ ChallengeName: "SMS_OTP", ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: "SMS" } });
    const message = emulator.outbox.latest(phone)!;
    expect(message).toMatchObject({ kind: "signIn", deliveryMedium: "SMS" });
    expect(errorOf(await api.respond("SMS_OTP", start.body.Session, { USERNAME: phone, SMS_OTP_CODE: wrong(message.code) })).type).toBe("CodeMismatchException");
    expect((await api.respond("SMS_OTP", start.body.Session, { USERNAME: phone, SMS_OTP_CODE: message.code })).body.AuthenticationResult).toBeDefined();
  });
});

describe("USER_AUTH settings", () => {
  it("refuses USER_AUTH on a client that does not allow it", async () => {
    const emulator = await startEmulator({ quiet: true, authFlows: ["ALLOW_USER_SRP_AUTH"] });
    try {
      expect(errorOf(await userAuth(() => emulator).start(freshEmail()))).toMatchObject({
        type: "InvalidParameterException",
        message: "USER_AUTH flow not enabled for this client",
      });
    } finally {
      await emulator.stop();
    }
  });

  it("refuses options Cognito would refuse, naming the field", async () => {
    await expect(startEmulator({ quiet: true, allowedFirstAuthFactors: ["MAGIC" as never] })).rejects.toThrow(/allowedFirstAuthFactors/);
    await expect(startEmulator({ quiet: true, allowedFirstAuthFactors: [] })).rejects.toThrow(/allowedFirstAuthFactors/);
    await expect(
      startEmulator({ quiet: true, auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "REQUIRED", totp: true } }), allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] }),
    ).rejects.toThrow(/REQUIRED/);
    await expect(startEmulator({ quiet: true, webAuthn: { origins: ["https://app.example.com/path"] } })).rejects.toThrow(/webAuthn.origins/);
    await expect(startEmulator({ quiet: true, webAuthn: { userVerification: "discouraged" as never } })).rejects.toThrow(/webAuthn.userVerification/);
  });
});
