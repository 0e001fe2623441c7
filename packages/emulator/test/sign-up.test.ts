import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, createConfirmedUser, errorOf, freshEmail, password } from "./support.js";

describe("SignUp, ConfirmSignUp and ResendConfirmationCode in an email pool", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      auth: defineAuth({
        loginWith: { email: true },
        userAttributes: { "custom:plan": { dataType: "String", mutable: true, maxLen: 10 }, "custom:age": { dataType: "Number", min: 0, max: 150 } },
      }),
    });
  });
  afterAll(() => emulator.stop());
  const clientId = () => emulator.config.userPoolClientId;

  it("signs a user up with a UUID username, sends a masked code and answers UserSub", async () => {
    const email = freshEmail("ana");
    const answer = await call(emulator, "SignUp", { ClientId: clientId(), Username: email, Password: password });
    expect(answer.status).toBe(200);
    expect(answer.body.UserConfirmed).toBe(false);
    expect(answer.body.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.body.CodeDeliveryDetails).toEqual({ Destination: "a***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" });
    const message = emulator.outbox.latest(email.toUpperCase());
    expect(message).toMatchObject({ kind: "signUp", destination: "a***@e***", username: answer.body.UserSub });
    expect(message?.code).toMatch(/^\d{6}$/);
  });

  it("refuses a password that breaks the policy, naming the first broken rule", async () => {
    const cases: Array<[string, string]> = [
      ["Sh0rt!", "Password not long enough"],
      ["ALLUPPER-123", "Password must have lowercase characters"],
      ["alllower-123", "Password must have uppercase characters"],
      ["NoNumbers-here", "Password must have numeric characters"],
      ["NoSymbols123", "Password must have symbol characters"],
    ];
    for (const [weak, reason] of cases) {
      const answer = await call(emulator, "SignUp", { ClientId: clientId(), Username: freshEmail(), Password: weak });
      expect(errorOf(answer)).toEqual({ type: "InvalidPasswordException", message: `Password did not conform with policy: ${reason}`, status: 400, header: "InvalidPasswordException" });
    }
  });

  it("refuses a second account with the same email, in any case", async () => {
    const email = freshEmail();
    await call(emulator, "SignUp", { ClientId: clientId(), Username: email, Password: password });
    const again = await call(emulator, "SignUp", { ClientId: clientId(), Username: email.toUpperCase(), Password: password });
    expect(errorOf(again)).toMatchObject({ type: "UsernameExistsException", message: "An account with the given email already exists." });
  });

  it("answers missing and malformed members with AWS validation messages that never echo sensitive values", async () => {
    const missing = await call(emulator, "SignUp", { ClientId: clientId(), Password: password });
    expect(errorOf(missing)).toMatchObject({
      type: "InvalidParameterException",
      message: "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
    });
    const two = await call(emulator, "SignUp", { ClientId: clientId(), Username: "has space", });
    expect(errorOf(two).message).toBe(
      "2 validation errors detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+; Value null at 'password' failed to satisfy constraint: Member must not be null",
    );
    const notEmail = await call(emulator, "SignUp", { ClientId: clientId(), Username: "plainname", Password: password });
    expect(errorOf(notEmail)).toMatchObject({ type: "InvalidParameterException", message: "Username should be an email." });
  });

  it("checks attributes against the schema: unknown, undeclared custom, read-only and typed values", async () => {
    const attempt = (attributes: Array<{ Name: string; Value: string }>) =>
      call(emulator, "SignUp", { ClientId: clientId(), Username: freshEmail(), Password: password, UserAttributes: attributes });
    expect(errorOf(await attempt([{ Name: "favourite_color", Value: "red" }])).message).toBe(
      "Attributes did not conform to the schema: Type for attribute {favourite_color} could not be determined",
    );
    expect(errorOf(await attempt([{ Name: "custom:undeclared", Value: "x" }])).message).toBe(
      "Attributes did not conform to the schema: Type for attribute {custom:undeclared} could not be determined",
    );
    expect(errorOf(await attempt([{ Name: "email_verified", Value: "true" }])).message).toBe("A client attempted to write unauthorized attribute");
    expect(errorOf(await attempt([{ Name: "custom:age", Value: "old" }])).type).toBe("InvalidParameterException");
    expect(errorOf(await attempt([{ Name: "custom:plan", Value: "much-too-long" }])).type).toBe("InvalidParameterException");
    expect(errorOf(await attempt([{ Name: "phone_number", Value: "555-0100" }])).message).toBe("Invalid phone number format.");
    expect((await attempt([{ Name: "custom:age", Value: "42" }, { Name: "given_name", Value: "Ana" }])).status).toBe(200);
  });

  it("confirms with the right code and verifies the email", async () => {
    const email = freshEmail();
    await call(emulator, "SignUp", { ClientId: clientId(), Username: email, Password: password });
    const wrong = await call(emulator, "ConfirmSignUp", { ClientId: clientId(), Username: email, ConfirmationCode: "000000x" });
    expect(errorOf(wrong)).toMatchObject({ type: "CodeMismatchException", message: "Invalid verification code provided, please try again." });
    const code = emulator.outbox.latest(email)!.code;
    const right = await call(emulator, "ConfirmSignUp", { ClientId: clientId(), Username: email, ConfirmationCode: code });
    expect(right).toMatchObject({ status: 200, body: {} });
    const again = await call(emulator, "ConfirmSignUp", { ClientId: clientId(), Username: email, ConfirmationCode: code });
    expect(errorOf(again)).toMatchObject({ type: "NotAuthorizedException", message: "User cannot be confirmed. Current status is CONFIRMED" });
  });

  it("expires sign-up codes after 24 hours; a resent code works and replaces the old one", async () => {
    const email = freshEmail();
    await call(emulator, "SignUp", { ClientId: clientId(), Username: email, Password: password });
    const first = emulator.outbox.latest(email)!.code;
    emulator.advanceTime(24 * 60 * 60 * 1000 + 1000);
    const late = await call(emulator, "ConfirmSignUp", { ClientId: clientId(), Username: email, ConfirmationCode: first });
    expect(errorOf(late)).toMatchObject({ type: "ExpiredCodeException", message: "Invalid code provided, please request a code again." });
    const resent = await call(emulator, "ResendConfirmationCode", { ClientId: clientId(), Username: email });
    expect(resent.body.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email" });
    const second = emulator.outbox.latest(email)!.code;
    expect(emulator.outbox.all(email)).toHaveLength(2);
    if (second !== first) {
      expect(errorOf(await call(emulator, "ConfirmSignUp", { ClientId: clientId(), Username: email, ConfirmationCode: first })).type).toBe("CodeMismatchException");
    }
    expect((await call(emulator, "ConfirmSignUp", { ClientId: clientId(), Username: email, ConfirmationCode: second })).status).toBe(200);
    const confirmed = await call(emulator, "ResendConfirmationCode", { ClientId: clientId(), Username: email });
    expect(errorOf(confirmed)).toMatchObject({ type: "InvalidParameterException", message: "User is already confirmed." });
  });

  it("hides whether a user exists from ConfirmSignUp and ResendConfirmationCode", async () => {
    const ghost = freshEmail("ghost");
    expect(errorOf(await call(emulator, "ConfirmSignUp", { ClientId: clientId(), Username: ghost, ConfirmationCode: "123456" })).type).toBe("CodeMismatchException");
    const resend = await call(emulator, "ResendConfirmationCode", { ClientId: clientId(), Username: ghost });
    expect(resend.status).toBe(200);
    expect(resend.body.CodeDeliveryDetails.Destination).toBe("g***@e***");
    expect(emulator.outbox.latest(ghost)).toBeUndefined();
  });

  it("names an unknown app client", async () => {
    const answer = await call(emulator, "SignUp", { ClientId: "nosuchclient", Username: freshEmail(), Password: password });
    expect(errorOf(answer)).toMatchObject({ type: "ResourceNotFoundException", message: "User pool client nosuchclient does not exist." });
  });

  it("creates users whose confirmation is complete", async () => {
    const { sub } = await createConfirmedUser(emulator);
    expect(sub).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("username pools", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      auth: defineAuth({ loginWith: { username: true, email: true }, userAttributes: { givenName: { required: true } } }),
      preventUserExistenceErrors: false,
    });
  });
  afterAll(() => emulator.stop());

  it("keeps usernames as given, case-insensitively unique, and requires required attributes", async () => {
    const ClientId = emulator.config.userPoolClientId;
    const missing = await call(emulator, "SignUp", { ClientId, Username: "Ana", Password: password, UserAttributes: [{ Name: "email", Value: freshEmail() }] });
    expect(errorOf(missing).message).toBe("Attributes did not conform to the schema: given_name: The attribute given_name is required");
    const attributes = [{ Name: "email", Value: freshEmail() }, { Name: "given_name", Value: "Ana" }];
    const ok = await call(emulator, "SignUp", { ClientId, Username: "Ana", Password: password, UserAttributes: attributes });
    expect(ok.status).toBe(200);
    expect(emulator.outbox.latest("ana")?.username).toBe("Ana");
    const dup = await call(emulator, "SignUp", { ClientId, Username: "ANA", Password: password, UserAttributes: attributes });
    expect(errorOf(dup)).toMatchObject({ type: "UsernameExistsException", message: "User already exists" });
    const emailShaped = await call(emulator, "SignUp", { ClientId, Username: freshEmail(), Password: password, UserAttributes: attributes });
    expect(errorOf(emailShaped).message).toBe("Username cannot be of email format, since user pool is configured for email alias.");
  });

  it("says a user does not exist when existence errors are not prevented", async () => {
    const answer = await call(emulator, "ConfirmSignUp", { ClientId: emulator.config.userPoolClientId, Username: "nobody", ConfirmationCode: "123456" });
    expect(errorOf(answer)).toMatchObject({ type: "UserNotFoundException", message: "Username/client id combination not found." });
  });
});

describe("phone pools", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ auth: defineAuth({ loginWith: { phone: true } }) });
  });
  afterAll(() => emulator.stop());

  it("signs up with a phone number as username, sends the code by SMS and signs in with the number", async () => {
    const ClientId = emulator.config.userPoolClientId;
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    expect(errorOf(await call(emulator, "SignUp", { ClientId, Username: freshEmail(), Password: password })).message).toBe("Username should be a phone number.");
    const answer = await call(emulator, "SignUp", { ClientId, Username: phone, Password: password });
    expect(answer.body.CodeDeliveryDetails).toEqual({ Destination: `+*******${phone.slice(-4)}`, DeliveryMedium: "SMS", AttributeName: "phone_number" });
    const code = emulator.outbox.latest(phone)!.code;
    expect((await call(emulator, "ConfirmSignUp", { ClientId, Username: phone, ConfirmationCode: code })).status).toBe(200);
    const signIn = await call(emulator, "InitiateAuth", { ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: phone, PASSWORD: password } });
    const claims = JSON.parse(Buffer.from(signIn.body.AuthenticationResult.IdToken.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ phone_number: phone, phone_number_verified: true, "cognito:username": answer.body.UserSub });
  });
});
