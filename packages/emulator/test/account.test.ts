import {
  CodeMismatchException,
  type CognitoIdentityProviderClient,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InvalidParameterException,
  NotAuthorizedException,
  SetUserSettingsCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, claimsOf, createConfirmedUser, errorOf, freshEmail, identityCall, password, sdkClientFor, signIn } from "./support.js";

const day = 24 * 60 * 60 * 1000;
const auth = defineAuth({
  loginWith: { email: true },
  userAttributes: {
    familyName: { required: true, mutable: true },
    givenName: { mutable: true },
    "custom:tenant": { dataType: "String", mutable: false },
    "custom:plan": { dataType: "String", mutable: true },
  },
  multifactor: { mode: "OPTIONAL", sms: true },
});

describe("account operations (attributes, verification, deletion, settings)", () => {
  let emulator: Emulator;
  let sdk: CognitoIdentityProviderClient;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth });
    sdk = sdkClientFor(emulator);
  });
  afterAll(async () => {
    sdk.destroy();
    await emulator.stop();
  });

  const newUser = async (extra: Array<{ Name: string; Value: string }> = []) => {
    const user = await createConfirmedUser(emulator, freshEmail(), { UserAttributes: [{ Name: "family_name", Value: "Silva" }, ...extra] });
    return { ...user, tokens: await signIn(emulator, user.email) };
  };
  const attributesOf = async (AccessToken: string) => {
    const answer = await call(emulator, "GetUser", { AccessToken });
    return Object.fromEntries((answer.body.UserAttributes as Array<{ Name: string; Value: string }>).map((a) => [a.Name, a.Value]));
  };
  const refresh = (RefreshToken: string) => call(emulator, "GetTokensFromRefreshToken", { ClientId: emulator.config.userPoolClientId, RefreshToken });
  const update = (AccessToken: string, UserAttributes: Array<{ Name: string; Value: string }>) => call(emulator, "UpdateUserAttributes", { AccessToken, UserAttributes });

  it("changes a plain attribute at once: GetUser and refreshed tokens show the new value", async () => {
    const { tokens } = await newUser();
    const answer = await update(tokens.AccessToken, [
      { Name: "given_name", Value: "Ana" },
      { Name: "custom:plan", Value: "pro" },
    ]);
    expect(answer).toMatchObject({ status: 200, body: { CodeDeliveryDetailsList: [] } });
    expect(await attributesOf(tokens.AccessToken)).toMatchObject({ given_name: "Ana", "custom:plan": "pro" });
    const refreshed = await refresh(tokens.RefreshToken);
    expect(claimsOf(refreshed.body.AuthenticationResult.IdToken)).toMatchObject({ given_name: "Ana", "custom:plan": "pro" });
  });

  it("keeps the verified email until the code sent to the new one confirms it", async () => {
    const { email, sub, tokens } = await newUser();
    const next = freshEmail("moved");
    const answer = await update(tokens.AccessToken, [{ Name: "email", Value: next }]);
    expect(answer).toMatchObject({
      status: 200,
      body: { CodeDeliveryDetailsList: [{ Destination: "m***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" }] },
    });
    const message = emulator.outbox.latest(next)!;
    expect(message).toMatchObject({ kind: "verifyAttribute", attributeName: "email", username: sub, deliveryMedium: "EMAIL" });
    // The original value stays active: it signs in, and GetUser and tokens show it verified.
    expect(await attributesOf(tokens.AccessToken)).toMatchObject({ email, email_verified: "true" });
    await signIn(emulator, email);

    const verify = (Code: string) => call(emulator, "VerifyUserAttribute", { AccessToken: tokens.AccessToken, AttributeName: "email", Code });
    expect(errorOf(await verify(message.code === "000000" ? "111111" : "000000"))).toMatchObject({
      type: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
    expect(await verify(message.code)).toMatchObject({ status: 200, body: {} });
    expect(await attributesOf(tokens.AccessToken)).toMatchObject({ email: next, email_verified: "true" });
    expect(claimsOf((await refresh(tokens.RefreshToken)).body.AuthenticationResult.IdToken)).toMatchObject({ email: next, email_verified: true });
    await signIn(emulator, next);
    expect(errorOf(await call(emulator, "InitiateAuth", { ClientId: emulator.config.userPoolClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } })).type).toBe(
      "NotAuthorizedException",
    );
    // A code works once.
    expect(errorOf(await verify(message.code)).type).toBe("CodeMismatchException");
  });

  it("sends a fresh code on request and refuses it after 24 hours of emulator time, never echoing it", async () => {
    const { email, tokens } = await newUser();
    const next = freshEmail("later");
    await update(tokens.AccessToken, [{ Name: "email", Value: next }]);
    const again = await call(emulator, "GetUserAttributeVerificationCode", { AccessToken: tokens.AccessToken, AttributeName: "email" });
    expect(again).toMatchObject({ status: 200, body: { CodeDeliveryDetails: { Destination: "l***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" } } });
    const { code } = emulator.outbox.latest(next)!;
    emulator.advanceTime(day);
    // The day also expired the access token; the original email still signs in.
    const { AccessToken } = await signIn(emulator, email);
    const expired = await call(emulator, "VerifyUserAttribute", { AccessToken, AttributeName: "email", Code: code });
    expect(errorOf(expired)).toMatchObject({ type: "ExpiredCodeException", message: "Invalid code provided, please request a code again." });
    expect(JSON.stringify(expired.body)).not.toContain(code);
  });

  it("refuses attributes the schema lacks, immutable ones and the ones Cognito manages", async () => {
    const { tokens } = await newUser([{ Name: "custom:tenant", Value: "acme" }]);
    expect(errorOf(await update(tokens.AccessToken, [{ Name: "custom:nope", Value: "x" }]))).toMatchObject({
      type: "InvalidParameterException",
      message: "Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined",
    });
    expect(errorOf(await update(tokens.AccessToken, [{ Name: "custom:tenant", Value: "evil" }]))).toMatchObject({
      type: "InvalidParameterException",
      message: "Cannot modify the non-mutable attribute custom:tenant",
    });
    expect(errorOf(await update(tokens.AccessToken, [{ Name: "email_verified", Value: "true" }]))).toMatchObject({
      type: "InvalidParameterException",
      message: "A client attempted to write unauthorized attribute",
    });
    expect(errorOf(await update(tokens.AccessToken, [{ Name: "email", Value: "not-an-email" }])).message).toBe("Invalid email address format.");
    expect(await attributesOf(tokens.AccessToken)).toMatchObject({ "custom:tenant": "acme" });
    expect(errorOf(await call(emulator, "GetUserAttributeVerificationCode", { AccessToken: tokens.AccessToken, AttributeName: "given_name" }))).toMatchObject({
      type: "InvalidParameterException",
    });
  });

  it("deletes optional attributes and refuses required ones", async () => {
    const { tokens } = await newUser([{ Name: "given_name", Value: "Ana" }]);
    expect(await call(emulator, "DeleteUserAttributes", { AccessToken: tokens.AccessToken, UserAttributeNames: ["given_name"] })).toMatchObject({ status: 200, body: {} });
    expect(await attributesOf(tokens.AccessToken)).not.toHaveProperty("given_name");
    expect(errorOf(await call(emulator, "DeleteUserAttributes", { AccessToken: tokens.AccessToken, UserAttributeNames: ["family_name"] }))).toMatchObject({
      type: "InvalidParameterException",
      message: "Attributes did not conform to the schema: family_name: The attribute family_name is required",
    });
    expect(await attributesOf(tokens.AccessToken)).toMatchObject({ family_name: "Silva" });
  });

  it("deletes the user: their tokens, refresh token, sign-in and identity-pool logins stop working", async () => {
    const { email, tokens } = await newUser();
    const getId = (IdToken: string) =>
      identityCall(emulator, "GetId", { IdentityPoolId: emulator.config.identityPoolId, Logins: { [emulator.userPoolLoginKey]: IdToken } });
    expect((await getId(tokens.IdToken)).status).toBe(200);
    expect(await call(emulator, "DeleteUser", { AccessToken: tokens.AccessToken })).toMatchObject({ status: 200, body: {} });
    expect(errorOf(await call(emulator, "GetUser", { AccessToken: tokens.AccessToken })).type).toBe("NotAuthorizedException");
    expect(errorOf(await refresh(tokens.RefreshToken))).toMatchObject({ type: "NotAuthorizedException", message: "Refresh Token has been revoked" });
    expect(
      errorOf(await call(emulator, "InitiateAuth", { ClientId: emulator.config.userPoolClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } })),
    ).toMatchObject({ type: "NotAuthorizedException", message: "Incorrect username or password." });
    expect(errorOf(await getId(tokens.IdToken)).type).toBe("NotAuthorizedException");
    // The email is free again.
    await createConfirmedUser(emulator, email, { UserAttributes: [{ Name: "family_name", Value: "Silva" }] });
  });

  it("turns legacy SMS MFA on and off with SetUserSettings", async () => {
    const { tokens } = await newUser([{ Name: "phone_number", Value: "+15555550123" }]);
    const settings = (MFAOptions: unknown[]) => call(emulator, "SetUserSettings", { AccessToken: tokens.AccessToken, MFAOptions });
    expect(await settings([{ DeliveryMedium: "SMS", AttributeName: "phone_number" }])).toMatchObject({ status: 200, body: {} });
    expect((await call(emulator, "GetUser", { AccessToken: tokens.AccessToken })).body).toMatchObject({
      MFAOptions: [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }],
      UserMFASettingList: ["SMS_MFA"],
    });
    expect((await settings([])).status).toBe(200);
    const after = (await call(emulator, "GetUser", { AccessToken: tokens.AccessToken })).body;
    expect(after).not.toHaveProperty("MFAOptions");
    expect(after).not.toHaveProperty("UserMFASettingList");
    expect(errorOf(await settings([{ DeliveryMedium: "EMAIL", AttributeName: "email" }])).type).toBe("InvalidParameterException");
  });

  it("refuses a missing, forged or expired access token on every account operation", async () => {
    const { tokens } = await newUser();
    const operations: Array<[string, Record<string, unknown>]> = [
      ["UpdateUserAttributes", { UserAttributes: [{ Name: "given_name", Value: "X" }] }],
      ["GetUserAttributeVerificationCode", { AttributeName: "email" }],
      ["VerifyUserAttribute", { AttributeName: "email", Code: "123456" }],
      ["DeleteUserAttributes", { UserAttributeNames: ["given_name"] }],
      ["DeleteUser", {}],
      ["SetUserSettings", { MFAOptions: [] }],
    ];
    for (const [operation, body] of operations) {
      expect(errorOf(await call(emulator, operation, body)).message).toContain("Member must not be null");
      expect(errorOf(await call(emulator, operation, { ...body, AccessToken: "forged.token.here" }))).toMatchObject({ type: "NotAuthorizedException", message: "Invalid Access Token" });
    }
    emulator.advanceTime(60 * 60 * 1000);
    for (const [operation, body] of operations) {
      expect(errorOf(await call(emulator, operation, { ...body, AccessToken: tokens.AccessToken }))).toMatchObject({ type: "NotAuthorizedException", message: "Access Token has expired" });
    }
  });

  it("answers the AWS SDK's commands with the shapes and errors it types", async () => {
    const { tokens } = await newUser([{ Name: "phone_number", Value: "+15555550199" }]);
    const AccessToken = tokens.AccessToken;
    const next = freshEmail("sdk");
    const updated = await sdk.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: next }, { Name: "given_name", Value: "Sam" }] }));
    expect(updated.CodeDeliveryDetailsList).toEqual([{ Destination: "s***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" }]);
    await expect(sdk.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: "not-it" }))).rejects.toBeInstanceOf(CodeMismatchException);
    const sent = await sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: "email" }));
    expect(sent.CodeDeliveryDetails?.AttributeName).toBe("email");
    await sdk.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: emulator.outbox.latest(next)!.code }));
    await sdk.send(new DeleteUserAttributesCommand({ AccessToken, UserAttributeNames: ["given_name"] }));
    await expect(sdk.send(new DeleteUserAttributesCommand({ AccessToken, UserAttributeNames: ["family_name"] }))).rejects.toBeInstanceOf(InvalidParameterException);
    await sdk.send(new SetUserSettingsCommand({ AccessToken, MFAOptions: [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }] }));
    const user = await sdk.send(new GetUserCommand({ AccessToken }));
    expect(Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]))).toMatchObject({ email: next, email_verified: "true" });
    expect(user.UserAttributes!.some((a) => a.Name === "given_name")).toBe(false);
    expect(user.MFAOptions).toEqual([{ DeliveryMedium: "SMS", AttributeName: "phone_number" }]);
    await sdk.send(new DeleteUserCommand({ AccessToken }));
    await expect(sdk.send(new GetUserCommand({ AccessToken }))).rejects.toBeInstanceOf(NotAuthorizedException);
  });
});

describe("attribute updates in a pool that does not keep original values", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, attributesRequireVerificationBeforeUpdate: [] });
  });
  afterAll(() => emulator.stop());

  it("changes an email or phone number at once, unverified, and verifies it with the code", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { AccessToken } = await signIn(emulator, email);
    const next = freshEmail("now");
    const answer = await call(emulator, "UpdateUserAttributes", {
      AccessToken,
      UserAttributes: [
        { Name: "email", Value: next },
        { Name: "phone_number", Value: "+15555550177" },
      ],
    });
    expect(answer.body.CodeDeliveryDetailsList).toEqual([
      { Destination: "n***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" },
      { Destination: "+*******0177", DeliveryMedium: "SMS", AttributeName: "phone_number" },
    ]);
    const user = await call(emulator, "GetUser", { AccessToken });
    const attributes = Object.fromEntries((user.body.UserAttributes as Array<{ Name: string; Value: string }>).map((a) => [a.Name, a.Value]));
    expect(attributes).toMatchObject({ email: next, email_verified: "false", phone_number: "+15555550177", phone_number_verified: "false" });
    // Each attribute waits for its own code.
    const [emailCode, smsCode] = ["email", "phone_number"].map((name) => emulator.outbox.all(next).filter((m) => m.attributeName === name).at(-1)!.code);
    expect(await call(emulator, "VerifyUserAttribute", { AccessToken, AttributeName: "phone_number", Code: smsCode })).toMatchObject({ status: 200 });
    expect(await call(emulator, "VerifyUserAttribute", { AccessToken, AttributeName: "email", Code: emailCode })).toMatchObject({ status: 200 });
    const after = await call(emulator, "GetUser", { AccessToken });
    expect(after.body.UserAttributes).toEqual(expect.arrayContaining([{ Name: "email_verified", Value: "true" }, { Name: "phone_number_verified", Value: "true" }]));
  });

  it("refuses an email another user signs in with", async () => {
    const taken = await createConfirmedUser(emulator);
    const { email } = await createConfirmedUser(emulator);
    const { AccessToken } = await signIn(emulator, email);
    expect(errorOf(await call(emulator, "UpdateUserAttributes", { AccessToken, UserAttributes: [{ Name: "email", Value: taken.email }] }))).toMatchObject({
      type: "AliasExistsException",
      message: "An account with the given email already exists.",
    });
  });
});
