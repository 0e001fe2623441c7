import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { generateTotp, startEmulator, type Emulator } from "../src/index.js";
import { computeSecretHash } from "../src/user-pool/secret-hash.js";
import { call, createConfirmedUser, errorOf, freshEmail, password, startSrp } from "./support.js";

const temporaryPassword = "Temp-pass-1";
const newPassword = "Brand-new-pass-2";
const minute = 60 * 1000;
const expired = { type: "NotAuthorizedException", message: "Invalid session for the user, session is expired." };

/** Calls bound to one emulator. */
function client(emulator: () => Emulator) {
  const ClientId = () => emulator().config.userPoolClientId;
  return {
    passwordSignIn: (USERNAME: string, PASSWORD: string, extra: Record<string, string> = {}) =>
      call(emulator(), "InitiateAuth", { ClientId: ClientId(), AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD, ...extra } }),
    respond: (ChallengeName: string, Session: string | undefined, ChallengeResponses: Record<string, string>) =>
      call(emulator(), "RespondToAuthChallenge", { ClientId: ClientId(), ChallengeName, ChallengeResponses, ...(Session ? { Session } : {}) }),
    adminCreateUser: (body: Record<string, unknown>) =>
      call(emulator(), "AdminCreateUser", { UserPoolId: emulator().config.userPoolId, MessageAction: "SUPPRESS", ...body }),
    withToken: (operation: string, AccessToken: string, body: Record<string, unknown> = {}) => call(emulator(), operation, { AccessToken, ...body }),
  };
}

/** A six-digit code that is not `code`. */
const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

describe("NEW_PASSWORD_REQUIRED", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth: defineAuth({ loginWith: { email: true }, userAttributes: { givenName: { required: true, mutable: true } } }) });
  });
  afterAll(() => emulator.stop());
  const api = client(() => emulator);

  it("AdminCreateUser makes a FORCE_CHANGE_PASSWORD user and refuses another pool or a taken email", async () => {
    const email = freshEmail();
    const answer = await api.adminCreateUser({ Username: email, TemporaryPassword: temporaryPassword, UserAttributes: [{ Name: "email_verified", Value: "true" }] });
    expect(answer).toMatchObject({ status: 200, body: { User: { Enabled: true, UserStatus: "FORCE_CHANGE_PASSWORD", Username: expect.stringMatching(/^[0-9a-f-]{36}$/) } } });
    expect(answer.body.User.Attributes).toEqual(expect.arrayContaining([{ Name: "email", Value: email }, { Name: "email_verified", Value: "true" }]));
    expect(typeof answer.body.User.UserCreateDate).toBe("number");
    expect(errorOf(await api.adminCreateUser({ Username: email, TemporaryPassword: temporaryPassword })).type).toBe("UsernameExistsException");
    expect(errorOf(await api.adminCreateUser({ Username: freshEmail(), TemporaryPassword: "weak" })).type).toBe("InvalidPasswordException");
    expect(errorOf(await call(emulator, "AdminCreateUser", { UserPoolId: "us-east-1_Nope12345", Username: freshEmail() })).type).toBe("ResourceNotFoundException");
    // Never confirmable by sign-up code: the new password is the only way in.
    expect(errorOf(await call(emulator, "ConfirmSignUp", { ClientId: emulator.config.userPoolClientId, Username: email, ConfirmationCode: "123456" })).message).toBe(
      "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD",
    );
  });

  it("answers the temporary password with NEW_PASSWORD_REQUIRED, then takes a new password and the missing attributes for tokens, once", async () => {
    const email = freshEmail();
    const username = emulator.createUser({ username: email, temporaryPassword });
    const first = await api.passwordSignIn(email, temporaryPassword);
    expect(first.body).toMatchObject({ ChallengeName: "NEW_PASSWORD_REQUIRED", Session: expect.any(String) });
    const params = first.body.ChallengeParameters;
    expect(params.USER_ID_FOR_SRP).toBe(username);
    expect(JSON.parse(params.requiredAttributes)).toEqual(["userAttributes.given_name"]);
    expect(JSON.parse(params.userAttributes)).toEqual({ email });
    const session = first.body.Session as string;

    expect(errorOf(await api.respond("NEW_PASSWORD_REQUIRED", session, { USERNAME: email, NEW_PASSWORD: newPassword }))).toMatchObject({
      type: "InvalidParameterException",
      message: "Invalid attributes given, given_name is missing",
    });
    expect(errorOf(await api.respond("NEW_PASSWORD_REQUIRED", session, { USERNAME: email, NEW_PASSWORD: "weakpass", "userAttributes.given_name": "Ana" })).type).toBe(
      "InvalidPasswordException",
    );
    // Refused answers leave the session open; the right one uses it up.
    const done = await api.respond("NEW_PASSWORD_REQUIRED", session, { USERNAME: email, NEW_PASSWORD: newPassword, "userAttributes.given_name": "Ana" });
    expect(done.body).toMatchObject({ AuthenticationResult: { AccessToken: expect.any(String), RefreshToken: expect.any(String) } });
    expect(errorOf(await api.respond("NEW_PASSWORD_REQUIRED", session, { USERNAME: email, NEW_PASSWORD: newPassword }))).toMatchObject(expired);

    const user = await api.withToken("GetUser", done.body.AuthenticationResult.AccessToken);
    expect(user.body.UserAttributes).toEqual(expect.arrayContaining([{ Name: "given_name", Value: "Ana" }]));
    expect(errorOf(await api.passwordSignIn(email, temporaryPassword)).message).toBe("Incorrect username or password.");
    expect((await api.passwordSignIn(email, newPassword)).body.AuthenticationResult).toBeDefined();
  });

  it("reaches NEW_PASSWORD_REQUIRED through SRP too", async () => {
    const email = freshEmail();
    emulator.createUser({ username: email, temporaryPassword, attributes: { given_name: "Bo" } });
    const srp = await startSrp(emulator, email);
    const challenge = await srp.respond(await srp.prove(temporaryPassword));
    expect(challenge.body).toMatchObject({ ChallengeName: "NEW_PASSWORD_REQUIRED", ChallengeParameters: { requiredAttributes: "[]" } });
    const done = await api.respond("NEW_PASSWORD_REQUIRED", challenge.body.Session, { USERNAME: email, NEW_PASSWORD: newPassword });
    expect(done.body.AuthenticationResult).toBeDefined();
  });

  it("lets a session live three minutes of emulator time and refuses a wrong USERNAME or a missing Session", async () => {
    const email = freshEmail();
    emulator.createUser({ username: email, temporaryPassword, attributes: { given_name: "Cy" } });
    const session = (await api.passwordSignIn(email, temporaryPassword)).body.Session as string;
    expect(errorOf(await api.respond("NEW_PASSWORD_REQUIRED", undefined, { USERNAME: email, NEW_PASSWORD: newPassword })).type).toBe("InvalidParameterException");
    expect(errorOf(await api.respond("NEW_PASSWORD_REQUIRED", session, { USERNAME: freshEmail(), NEW_PASSWORD: newPassword })).type).toBe("NotAuthorizedException");
    expect(errorOf(await api.respond("SMS_MFA", session, { USERNAME: email, SMS_MFA_CODE: "123456" })).type).toBe("NotAuthorizedException");
    emulator.advanceTime(3 * minute);
    expect(errorOf(await api.respond("NEW_PASSWORD_REQUIRED", session, { USERNAME: email, NEW_PASSWORD: newPassword }))).toMatchObject(expired);
  });

  it("lets a temporary password work for seven days", async () => {
    const email = freshEmail();
    emulator.createUser({ username: email, temporaryPassword, attributes: { given_name: "Di" } });
    emulator.advanceTime(7 * 24 * 60 * minute - 1000);
    expect((await api.passwordSignIn(email, temporaryPassword)).body.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    emulator.advanceTime(1000);
    expect(errorOf(await api.passwordSignIn(email, temporaryPassword))).toMatchObject({
      type: "NotAuthorizedException",
      message: "Temporary password has expired and must be reset by an administrator.",
    });
  });

  it("createUser throws a TypeError for what Cognito would refuse", () => {
    expect(() => emulator.createUser({ username: freshEmail(), temporaryPassword: "weak" })).toThrow(TypeError);
    expect(() => emulator.createUser({ username: "not-an-email", temporaryPassword })).toThrow(TypeError);
  });

  it("refuses MFA preferences and authenticators in a pool without MFA", async () => {
    const { email } = await createConfirmedUser(emulator, freshEmail(), { UserAttributes: [{ Name: "given_name", Value: "Ed" }] });
    const { AccessToken } = (await api.passwordSignIn(email, password)).body.AuthenticationResult;
    expect(errorOf(await api.withToken("SetUserMFAPreference", AccessToken, { EmailMfaSettings: { Enabled: true } })).type).toBe("InvalidParameterException");
    expect(errorOf(await api.withToken("AssociateSoftwareToken", AccessToken)).type).toBe("SoftwareTokenMFANotFoundException");
    expect(errorOf(await api.withToken("VerifySoftwareToken", AccessToken, { UserCode: "123456" })).type).toBe("SoftwareTokenMFANotFoundException");
  });

  it("refuses ForgotPassword to a user who still has a temporary password", async () => {
    const email = freshEmail();
    emulator.createUser({ username: email, temporaryPassword, attributes: { email_verified: "true", given_name: "Fa" } });
    expect(errorOf(await call(emulator, "ForgotPassword", { ClientId: emulator.config.userPoolClientId, Username: email }))).toMatchObject({
      type: "NotAuthorizedException",
      message: "User password cannot be reset in the current state.",
    });
  });
});

describe("NEW_PASSWORD_REQUIRED with a client secret", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, clientSecret: true });
  });
  afterAll(() => emulator.stop());
  const api = client(() => emulator);

  it("wants SECRET_HASH in the answer", async () => {
    const email = freshEmail();
    emulator.createUser({ username: email, temporaryPassword });
    const hash = computeSecretHash({ username: email, clientId: emulator.config.userPoolClientId, clientSecret: emulator.config.clientSecret! });
    const session = (await api.passwordSignIn(email, temporaryPassword, { SECRET_HASH: hash })).body.Session as string;
    expect(errorOf(await api.respond("NEW_PASSWORD_REQUIRED", session, { USERNAME: email, NEW_PASSWORD: newPassword })).type).toBe("NotAuthorizedException");
    const done = await api.respond("NEW_PASSWORD_REQUIRED", session, { USERNAME: email, NEW_PASSWORD: newPassword, SECRET_HASH: hash });
    expect(done.body.AuthenticationResult).toBeDefined();
  });
});

describe("optional MFA", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "OPTIONAL", sms: true, totp: true, email: true } }) });
  });
  afterAll(() => emulator.stop());
  const api = client(() => emulator);
  const phone = "+15555550123";

  async function signedInUser(withPhone = true) {
    const { email } = await createConfirmedUser(emulator, freshEmail(), withPhone ? { UserAttributes: [{ Name: "phone_number", Value: phone }] } : {});
    const first = await api.passwordSignIn(email, password);
    return { email, accessToken: first.body.AuthenticationResult.AccessToken as string };
  }

  async function turnOnTotp(accessToken: string) {
    const { SecretCode } = (await api.withToken("AssociateSoftwareToken", accessToken)).body;
    expect((await api.withToken("VerifySoftwareToken", accessToken, { UserCode: emulator.totp(SecretCode) })).body).toEqual({ Status: "SUCCESS" });
    return SecretCode as string;
  }

  it("sets up an authenticator with an access token and lists it in GetUser once turned on", async () => {
    const { accessToken } = await signedInUser();
    expect((await api.withToken("GetUser", accessToken)).body).not.toHaveProperty("UserMFASettingList");
    expect(errorOf(await api.withToken("SetUserMFAPreference", accessToken, { SoftwareTokenMfaSettings: { Enabled: true } })).message).toBe(
      "User has not verified software token mfa",
    );
    const associated = await api.withToken("AssociateSoftwareToken", accessToken);
    expect(associated.body.SecretCode).toMatch(/^[A-Z2-7]{32}$/);
    const code = generateTotp(associated.body.SecretCode, emulator.now());
    expect(errorOf(await api.withToken("VerifySoftwareToken", accessToken, { UserCode: wrong(code) }))).toMatchObject({ type: "EnableSoftwareTokenMFAException" });
    expect((await api.withToken("VerifySoftwareToken", accessToken, { UserCode: code })).body).toEqual({ Status: "SUCCESS" });
    expect((await api.withToken("SetUserMFAPreference", accessToken, { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })).body).toEqual({});
    expect((await api.withToken("GetUser", accessToken)).body).toMatchObject({ UserMFASettingList: ["SOFTWARE_TOKEN_MFA"], PreferredMfaSetting: "SOFTWARE_TOKEN_MFA" });
  });

  it("asks SOFTWARE_TOKEN_MFA at sign-in; a wrong code may be retried, and codes one step old still pass", async () => {
    const { email, accessToken } = await signedInUser();
    const secret = await turnOnTotp(accessToken);
    await api.withToken("SetUserMFAPreference", accessToken, { SoftwareTokenMfaSettings: { Enabled: true } });
    const challenge = await api.passwordSignIn(email, password);
    expect(challenge.body).toMatchObject({ ChallengeName: "SOFTWARE_TOKEN_MFA", Session: expect.any(String) });
    expect(challenge.body.AuthenticationResult).toBeUndefined();
    const code = emulator.totp(secret);
    expect(errorOf(await api.respond("SOFTWARE_TOKEN_MFA", challenge.body.Session, { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: wrong(code) })).type).toBe(
      "CodeMismatchException",
    );
    emulator.advanceTime(30_000);
    const done = await api.respond("SOFTWARE_TOKEN_MFA", challenge.body.Session, { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code });
    expect(done.body.AuthenticationResult.AccessToken).toEqual(expect.any(String));
    // Two steps old is too old.
    const again = await api.passwordSignIn(email, password);
    emulator.advanceTime(60_000);
    expect(errorOf(await api.respond("SOFTWARE_TOKEN_MFA", again.body.Session, { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: emulator.totp(secret, emulator.now() - 60_000) })).type).toBe(
      "CodeMismatchException",
    );
  });

  it("texts an SMS_MFA code to the outbox, masked, valid for three minutes", async () => {
    const { email, accessToken } = await signedInUser();
    expect(errorOf(await api.withToken("SetUserMFAPreference", accessToken, { SMSMfaSettings: { Enabled: false, PreferredMfa: true } })).type).toBe("InvalidParameterException");
    await api.withToken("SetUserMFAPreference", accessToken, { SMSMfaSettings: { Enabled: true } });
    expect((await api.withToken("GetUser", accessToken)).body).toMatchObject({ UserMFASettingList: ["SMS_MFA"] });
    const challenge = await api.passwordSignIn(email, password);
    expect(challenge.body).toMatchObject({
      ChallengeName: "SMS_MFA",
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: "SMS", CODE_DELIVERY_DESTINATION: "+*******0123" },
    });
    const message = emulator.outbox.latest(email)!;
    expect(message).toMatchObject({ kind: "mfa", deliveryMedium: "SMS", destination: "+*******0123", attributeName: "phone_number" });
    expect(errorOf(await api.respond("SMS_MFA", challenge.body.Session, { USERNAME: email, SMS_MFA_CODE: wrong(message.code) })).type).toBe("CodeMismatchException");
    const done = await api.respond("SMS_MFA", challenge.body.Session, { USERNAME: email, SMS_MFA_CODE: message.code });
    expect(done.body.AuthenticationResult).toBeDefined();
    expect(errorOf(await api.respond("SMS_MFA", challenge.body.Session, { USERNAME: email, SMS_MFA_CODE: message.code }))).toMatchObject(expired);

    const late = await api.passwordSignIn(email, password);
    emulator.advanceTime(3 * minute);
    expect(errorOf(await api.respond("SMS_MFA", late.body.Session, { USERNAME: email, SMS_MFA_CODE: emulator.outbox.latest(email)!.code }))).toMatchObject(expired);
  });

  it("mails an EMAIL_OTP code", async () => {
    const { email, accessToken } = await signedInUser(false);
    expect(errorOf(await api.withToken("SetUserMFAPreference", accessToken, { SMSMfaSettings: { Enabled: true } })).message).toBe(
      "User does not have delivery config set to turn on SMS_MFA",
    );
    await api.withToken("SetUserMFAPreference", accessToken, { EmailMfaSettings: { Enabled: true } });
    const challenge = await api.passwordSignIn(email, password);
    expect(challenge.body).toMatchObject({ ChallengeName: "EMAIL_OTP", ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL", CODE_DELIVERY_DESTINATION: "u***@e***" } });
    const { code } = emulator.outbox.latest(email)!;
    expect(errorOf(await api.respond("EMAIL_OTP", challenge.body.Session, { USERNAME: email, EMAIL_OTP_CODE: wrong(code) })).type).toBe("CodeMismatchException");
    expect((await api.respond("EMAIL_OTP", challenge.body.Session, { USERNAME: email, EMAIL_OTP_CODE: code })).body.AuthenticationResult).toBeDefined();
  });

  it("asks SELECT_MFA_TYPE when several factors are on and none is preferred, then the chosen one", async () => {
    const { email, accessToken } = await signedInUser();
    await turnOnTotp(accessToken);
    await api.withToken("SetUserMFAPreference", accessToken, { SMSMfaSettings: { Enabled: true }, SoftwareTokenMfaSettings: { Enabled: true } });
    const select = await api.passwordSignIn(email, password);
    expect(select.body).toMatchObject({ ChallengeName: "SELECT_MFA_TYPE" });
    expect(JSON.parse(select.body.ChallengeParameters.MFAS_CAN_CHOOSE)).toEqual(["SMS_MFA", "SOFTWARE_TOKEN_MFA"]);
    expect(errorOf(await api.respond("SELECT_MFA_TYPE", select.body.Session, { USERNAME: email, ANSWER: "EMAIL_OTP" })).type).toBe("InvalidParameterException");
    const sms = await api.respond("SELECT_MFA_TYPE", select.body.Session, { USERNAME: email, ANSWER: "SMS_MFA" });
    expect(sms.body).toMatchObject({ ChallengeName: "SMS_MFA", Session: expect.any(String) });
    const done = await api.respond("SMS_MFA", sms.body.Session, { USERNAME: email, SMS_MFA_CODE: emulator.outbox.latest(email)!.code });
    expect(done.body.AuthenticationResult).toBeDefined();
  });

  it("signs in without a challenge once factors are turned off again", async () => {
    const { email, accessToken } = await signedInUser();
    await api.withToken("SetUserMFAPreference", accessToken, { SMSMfaSettings: { Enabled: true, PreferredMfa: true } });
    await api.withToken("SetUserMFAPreference", accessToken, { SMSMfaSettings: { Enabled: false } });
    expect((await api.withToken("GetUser", accessToken)).body).not.toHaveProperty("PreferredMfaSetting");
    expect((await api.passwordSignIn(email, password)).body.AuthenticationResult).toBeDefined();
  });
});

describe("required MFA", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "REQUIRED", totp: true } }) });
  });
  afterAll(() => emulator.stop());
  const api = client(() => emulator);

  it("asks MFA_SETUP of a user with no factor, finished with AssociateSoftwareToken and VerifySoftwareToken on the Session", async () => {
    const { email } = await createConfirmedUser(emulator);
    const setup = await api.passwordSignIn(email, password);
    expect(setup.body).toMatchObject({ ChallengeName: "MFA_SETUP", ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' } });
    expect(errorOf(await api.respond("MFA_SETUP", setup.body.Session, { USERNAME: email })).type).toBe("InvalidParameterException");

    const associated = await call(emulator, "AssociateSoftwareToken", { Session: setup.body.Session });
    expect(associated.body).toMatchObject({ SecretCode: expect.stringMatching(/^[A-Z2-7]+$/), Session: expect.any(String) });
    expect(errorOf(await call(emulator, "AssociateSoftwareToken", { Session: setup.body.Session }))).toMatchObject(expired);
    const code = emulator.totp(associated.body.SecretCode);
    expect(errorOf(await call(emulator, "VerifySoftwareToken", { Session: associated.body.Session, UserCode: wrong(code) })).type).toBe("EnableSoftwareTokenMFAException");
    const verified = await call(emulator, "VerifySoftwareToken", { Session: associated.body.Session, UserCode: code });
    expect(verified.body).toMatchObject({ Status: "SUCCESS", Session: expect.any(String) });

    const done = await api.respond("MFA_SETUP", verified.body.Session, { USERNAME: email });
    expect(done.body.AuthenticationResult).toBeDefined();
    expect((await api.withToken("GetUser", done.body.AuthenticationResult.AccessToken)).body).toMatchObject({ UserMFASettingList: ["SOFTWARE_TOKEN_MFA"] });
    const next = await api.passwordSignIn(email, password);
    expect(next.body.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    const last = await api.respond("SOFTWARE_TOKEN_MFA", next.body.Session, { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: emulator.totp(associated.body.SecretCode) });
    expect(last.body.AuthenticationResult).toBeDefined();
  });

  it("needs exactly one of AccessToken and Session for AssociateSoftwareToken", async () => {
    expect(errorOf(await call(emulator, "AssociateSoftwareToken", {})).type).toBe("InvalidParameterException");
  });

  it("goes from NEW_PASSWORD_REQUIRED straight to MFA_SETUP", async () => {
    const email = freshEmail();
    emulator.createUser({ username: email, temporaryPassword });
    const first = await api.passwordSignIn(email, temporaryPassword);
    const next = await api.respond("NEW_PASSWORD_REQUIRED", first.body.Session, { USERNAME: email, NEW_PASSWORD: newPassword });
    expect(next.body).toMatchObject({ ChallengeName: "MFA_SETUP", Session: expect.any(String) });
  });
});
