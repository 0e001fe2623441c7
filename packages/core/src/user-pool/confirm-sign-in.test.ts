import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAwsSdkTransport } from "../aws-sdk.js";
import { createAuthClient } from "../client.js";
import { isAuthError } from "../errors.js";
import { createMemoryStorage } from "../platform/memory-storage.js";
import { fakeJwt } from "../../test/test-tokens.js";
import type { CognitoTransport } from "../transport/types.js";
import { setUpTotp, verifyTotpSetup } from "./totp.js";
import { updateMfaPreference } from "./update-mfa-preference.js";

const endpoints = { region: "eu-west-1", userPoolEndpoint: "https://idp.cognito.test/" };
const config = { ...endpoints, userPoolId: "eu-west-1_test", userPoolClientId: "client" };
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

type Call = { operation: string; body: Record<string, any> };
const now = Math.floor(Date.now() / 1000);
const tokens = {
  AuthenticationResult: {
    IdToken: fakeJwt({ token_use: "id", iat: now, exp: now + 3600, sub: "sub-1" }),
    AccessToken: fakeJwt({ token_use: "access", iat: now, exp: now + 3600, username: "uid-1" }),
    RefreshToken: "rt",
    ExpiresIn: 3600,
  },
};

/** Cognito answering each request with the next of `answers`; returns the requests it got. */
function cognito(...answers: object[]): Call[] {
  const calls: Call[] = [];
  server.use(
    http.post("https://idp.cognito.test/", async ({ request }) => {
      calls.push({ operation: request.headers.get("x-amz-target")!.split(".")[1]!, body: (await request.json()) as Record<string, any> });
      const answer = answers.shift();
      if (!answer) throw new Error("unexpected request");
      return "__type" in answer ? HttpResponse.json(answer, { status: 400 }) : HttpResponse.json(answer);
    }),
  );
  return calls;
}

const challenge = (ChallengeName: string, ChallengeParameters: Record<string, string> = {}, Session = `session-${ChallengeName}`) => ({
  ChallengeName,
  ChallengeParameters: { USER_ID_FOR_SRP: "uid-1", ...ChallengeParameters },
  Session,
});

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

describe.each([
  { name: "fetch", make: (): CognitoTransport | undefined => undefined },
  { name: "aws-sdk", make: (): CognitoTransport | undefined => createAwsSdkTransport(endpoints) },
])("sign-in steps over the $name transport", ({ make }) => {
  const clientFor = (overrides: object = {}) => createAuthClient({ ...config, ...overrides }, { transport: make(), platform: { storage: createMemoryStorage() } });
  const signIn = (client: ReturnType<typeof clientFor>) => client.signIn({ username: "ana@example.com", password: "Passw0rd!", flow: "password" });

  it.each([
    [
      "NEW_PASSWORD_REQUIRED",
      { requiredAttributes: '["userAttributes.name","userAttributes.custom:team"]', userAttributes: "{}" },
      { type: "newPasswordRequired", requiredAttributes: ["name", "custom:team"] },
    ],
    [
      "SMS_MFA",
      { CODE_DELIVERY_DELIVERY_MEDIUM: "SMS", CODE_DELIVERY_DESTINATION: "+*******1234" },
      { type: "smsMfa", codeDelivery: { destination: "+*******1234", medium: "SMS", attribute: undefined } },
    ],
    [
      "EMAIL_OTP",
      { CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL", CODE_DELIVERY_DESTINATION: "a***@e***" },
      { type: "emailMfa", codeDelivery: { destination: "a***@e***", medium: "EMAIL", attribute: undefined } },
    ],
    ["SOFTWARE_TOKEN_MFA", {}, { type: "totpMfa" }],
    ["SELECT_MFA_TYPE", { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP"]' }, { type: "selectMfaType", allowedMfaTypes: ["SMS", "EMAIL", "TOTP"] }],
    ["MFA_SETUP", { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }, { type: "mfaSetup", allowedMfaTypes: ["TOTP"] }],
    ["CUSTOM_CHALLENGE", { question: "colour?" }, { type: "customChallenge", parameters: { USER_ID_FOR_SRP: "uid-1", question: "colour?" } }],
  ])("maps %s to its next step, keeping the session out of the result", async (name, parameters, nextStep) => {
    cognito(challenge(name, parameters));
    const result = await signIn(clientFor());
    expect(result).toEqual({ nextStep });
    expect(JSON.stringify(result)).not.toContain("session-");
  });

  it.each([
    ["SMS_MFA", { challengeResponse: "123456" }, { SMS_MFA_CODE: "123456" }],
    ["EMAIL_OTP", { challengeResponse: "654321" }, { EMAIL_OTP_CODE: "654321" }],
    ["SOFTWARE_TOKEN_MFA", { challengeResponse: "111222" }, { SOFTWARE_TOKEN_MFA_CODE: "111222" }],
    ["SELECT_MFA_TYPE", { challengeResponse: "totp" }, { ANSWER: "SOFTWARE_TOKEN_MFA" }],
    ["SELECT_MFA_TYPE", { challengeResponse: "SMS" }, { ANSWER: "SMS_MFA" }],
    ["SELECT_MFA_TYPE", { challengeResponse: "email" }, { ANSWER: "EMAIL_OTP" }],
    ["CUSTOM_CHALLENGE", { challengeResponse: "blue" }, { ANSWER: "blue" }],
    ["MFA_SETUP", { challengeResponse: "ana@example.com" }, { EMAIL: "ana@example.com" }],
    [
      "NEW_PASSWORD_REQUIRED",
      { challengeResponse: "N3w-Passw0rd!", userAttributes: { name: "Ana" } },
      { NEW_PASSWORD: "N3w-Passw0rd!", "userAttributes.name": "Ana" },
    ],
  ])("answers %s with %j as Cognito expects, then is signed in", async (name, input, responses) => {
    const calls = cognito(challenge(name), tokens);
    const client = clientFor();
    await signIn(client);
    expect(await client.confirmSignIn({ ...input, clientMetadata: { app: "web" } })).toEqual({ nextStep: { type: "done" } });
    expect(calls[1]).toEqual({
      operation: "RespondToAuthChallenge",
      body: {
        ClientId: "client",
        ChallengeName: name,
        Session: `session-${name}`,
        ClientMetadata: { app: "web" },
        ChallengeResponses: { ...responses, USERNAME: "uid-1" },
      },
    });
    expect(client.getSnapshot().status).toBe("signedIn");
    expect((await failure(client.confirmSignIn({ challengeResponse: "123456" }))).code).toBe("ERR_NO_PENDING_SIGN_IN");
  });

  it("adds SECRET_HASH over the challenge's user id when the client has a secret", async () => {
    const calls = cognito(challenge("SMS_MFA"), tokens);
    const client = clientFor({ clientSecret: "s3cret" });
    await signIn(client);
    await client.confirmSignIn({ challengeResponse: "123456" });
    const hash = calls[1]!.body.ChallengeResponses.SECRET_HASH;
    expect(hash).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(hash).not.toBe(calls[0]!.body.AuthParameters.SECRET_HASH);
  });

  it("returns the next step of a chain (select, then the code) and keeps the step after a wrong code", async () => {
    const calls = cognito(
      challenge("SELECT_MFA_TYPE", { MFAS_CAN_CHOOSE: '["SMS_MFA","EMAIL_OTP"]' }),
      { ChallengeName: "EMAIL_OTP", ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL", CODE_DELIVERY_DESTINATION: "a***" }, Session: "s2" },
      { __type: "CodeMismatchException", message: "Invalid code received for user" },
      tokens,
    );
    const client = clientFor();
    await signIn(client);
    expect((await client.confirmSignIn({ challengeResponse: "EMAIL" })).nextStep).toMatchObject({ type: "emailMfa" });
    expect(await failure(client.confirmSignIn({ challengeResponse: "000000" }))).toMatchObject({ code: "ERR_CODE_MISMATCH" });
    expect(await client.confirmSignIn({ challengeResponse: "123456" })).toEqual({ nextStep: { type: "done" } });
    expect(calls.slice(2).map((call) => [call.body.Session, call.body.ChallengeResponses])).toEqual([
      ["s2", { EMAIL_OTP_CODE: "000000", USERNAME: "uid-1" }],
      ["s2", { EMAIL_OTP_CODE: "123456", USERNAME: "uid-1" }],
    ]);
  });

  it("sets up TOTP during sign-in: associate with the step's session, verify, then answer MFA_SETUP", async () => {
    const calls = cognito(
      challenge("MFA_SETUP", { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }),
      { SecretCode: "JBSWY3DPEHPK3PXP", Session: "s-assoc" },
      { Status: "SUCCESS", Session: "s-verified" },
      tokens,
    );
    const client = clientFor();
    await signIn(client);
    const totp = await setUpTotp(client);
    expect(totp.sharedSecret).toBe("JBSWY3DPEHPK3PXP");
    expect(totp.setupUri("My App")).toBe("otpauth://totp/My%20App:uid-1?secret=JBSWY3DPEHPK3PXP&issuer=My%20App");
    expect(await client.confirmSignIn({ challengeResponse: "123456" })).toEqual({ nextStep: { type: "done" } });
    expect(calls.slice(1).map(({ operation, body }) => [operation, body])).toEqual([
      ["AssociateSoftwareToken", { Session: "session-MFA_SETUP" }],
      ["VerifySoftwareToken", { Session: "s-assoc", UserCode: "123456" }],
      ["RespondToAuthChallenge", { ClientId: "client", ChallengeName: "MFA_SETUP", Session: "s-verified", ChallengeResponses: { USERNAME: "uid-1" } }],
    ]);
  });

  it("sets up TOTP and MFA preferences for a signed-in user with the access token", async () => {
    const calls = cognito(tokens, { SecretCode: "SECRET234", Session: "ignored" }, { Status: "SUCCESS" }, {});
    const client = clientFor();
    await signIn(client);
    const totp = await setUpTotp(client);
    expect(totp.setupUri("App", "ana")).toBe("otpauth://totp/App:ana?secret=SECRET234&issuer=App");
    expect(totp.setupUri("App")).toContain("App:uid-1?");
    await verifyTotpSetup(client, { code: "123456", deviceName: "phone" });
    await updateMfaPreference(client, { totp: "preferred", sms: "disabled" });
    const accessToken = tokens.AuthenticationResult.AccessToken;
    expect(calls.slice(1).map(({ operation, body }) => [operation, body])).toEqual([
      ["AssociateSoftwareToken", { AccessToken: accessToken }],
      ["VerifySoftwareToken", { AccessToken: accessToken, UserCode: "123456", FriendlyDeviceName: "phone" }],
      [
        "SetUserMFAPreference",
        { AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true }, SMSMfaSettings: { Enabled: false, PreferredMfa: false } },
      ],
    ]);
  });

  it("reports an expired step as Cognito does, and a wrong first TOTP code as a mismatch", async () => {
    cognito(challenge("SOFTWARE_TOKEN_MFA"), { __type: "NotAuthorizedException", message: "Invalid session for the user, session is expired." });
    const client = clientFor();
    await signIn(client);
    expect(await failure(client.confirmSignIn({ challengeResponse: "123456" }))).toMatchObject({ code: "ERR_NOT_AUTHORIZED", serviceCode: "NotAuthorizedException" });

    cognito(challenge("MFA_SETUP"), { SecretCode: "S", Session: "a" }, { __type: "EnableSoftwareTokenMFAException", message: "Code mismatch" });
    await signIn(client);
    await setUpTotp(client);
    expect(await failure(client.confirmSignIn({ challengeResponse: "000000" }))).toMatchObject({ code: "ERR_CODE_MISMATCH" });
  });

  it("refuses a challenge it does not know, naming it", async () => {
    cognito(challenge("DEVICE_SRP_AUTH"));
    expect(await failure(signIn(clientFor()))).toMatchObject({ code: "ERR_UNEXPECTED_CHALLENGE", serviceCode: "DEVICE_SRP_AUTH" });
  });

  it("checks input before any request, and drops the pending step on a new sign-in", async () => {
    const client = clientFor();
    expect((await failure(client.confirmSignIn({ challengeResponse: "123456" }))).code).toBe("ERR_NO_PENDING_SIGN_IN");
    cognito(challenge("SELECT_MFA_TYPE"), { __type: "NotAuthorizedException", message: "Incorrect username or password." });
    await signIn(client);
    await expect(client.confirmSignIn({ challengeResponse: 42 as never })).rejects.toThrow(TypeError);
    await expect(client.confirmSignIn({ challengeResponse: "1", userAttributes: { n: 1 } as never })).rejects.toThrow(TypeError);
    expect((await failure(client.confirmSignIn({ challengeResponse: "" }))).code).toBe("ERR_INVALID_PARAMETER");
    expect((await failure(client.confirmSignIn({ challengeResponse: "voice" }))).code).toBe("ERR_INVALID_PARAMETER");
    await failure(signIn(client));
    expect((await failure(client.confirmSignIn({ challengeResponse: "sms" }))).code).toBe("ERR_NO_PENDING_SIGN_IN");
    expect(() => updateMfaPreference(client, { totp: "on" as never })).toThrow(TypeError);
    await expect(updateMfaPreference(client, { totp: "preferred", email: "preferred" })).rejects.toMatchObject({ code: "ERR_INVALID_PARAMETER" });
    expect(() => verifyTotpSetup(client, { code: 1 as never })).toThrow(TypeError);
    expect(() => setUpTotp({} as never)).toThrow(TypeError);
    await expect(setUpTotp(client)).rejects.toMatchObject({ code: "ERR_NOT_SIGNED_IN" });
  });
});
