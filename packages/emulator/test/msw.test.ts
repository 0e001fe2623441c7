import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, type EmulatorCore } from "../src/index.js";
import { emulatorHandlers } from "@cogkit/emulator/msw";
import { call, freshEmail, identityCall, password, signIn } from "./support.js";

describe("the emulator behind msw, without a port", () => {
  let emulator: EmulatorCore;
  const server = setupServer();
  beforeAll(async () => {
    emulator = await createEmulator({ url: "http://cognito.emulator.test" });
    server.use(...emulatorHandlers(emulator));
    server.listen({ onUnhandledRequest: "error" });
  });
  afterAll(() => server.close());

  it("answers Cognito calls and the JWKS through the same handler", async () => {
    const email = freshEmail("msw");
    const ClientId = emulator.config.userPoolClientId;
    expect((await call(emulator, "SignUp", { ClientId, Username: email, Password: password })).status).toBe(200);
    const code = emulator.outbox.latest(email)!.code;
    expect((await call(emulator, "ConfirmSignUp", { ClientId, Username: email, ConfirmationCode: code })).status).toBe(200);
    const tokens = await signIn(emulator, email);
    expect(tokens.TokenType).toBe("Bearer");
    const jwks = (await (await fetch(`${emulator.url}/${emulator.config.userPoolId}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(2);
    expect(emulator.callCount("SignUp")).toBe(1);
  });

  it("answers the identity pool and checks STS signatures through the same handler", async () => {
    const { IdentityId } = (await identityCall(emulator, "GetId", { IdentityPoolId: emulator.config.identityPoolId })).body;
    const { Credentials } = (await identityCall(emulator, "GetCredentialsForIdentity", { IdentityId })).body;
    const credentials = { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretKey, sessionToken: Credentials.SessionToken };
    const sts = new STSClient({ region: "us-east-1", endpoint: emulator.url, credentials, maxAttempts: 1 });
    try {
      expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toMatch(/:assumed-role\/Cognito_EmulatorUnauth_Role\/CognitoIdentityCredentials$/);
    } finally {
      sts.destroy();
    }
  });
});
