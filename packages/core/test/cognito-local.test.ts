// cogkit against cognito-local, a Cognito emulator nobody here wrote, over real HTTP. It
// lacks SRP, GetTokensFromRefreshToken and GlobalSignOut, and says so with a 500
// `CognitoLocal#Unsupported`: cogkit must call that ERR_UNSUPPORTED_OPERATION (never a
// retryable service failure), refresh with InitiateAuth REFRESH_TOKEN_AUTH instead, and
// still run the password journey end to end.
import { CreateUserPoolClientCommand, DescribeUserPoolCommand, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthConfig, createAuthClient, createMemoryStorage } from "@cogkit/core";
import { type CognitoLocal, guardProbeHost, startCognitoLocal } from "./cognito-local-support.js";
import { failure, transports } from "./journey-support.js";

const password = "Corr3ct-Horse!";
let local: CognitoLocal;
let config: AuthConfig;
let users = 0;

beforeAll(async () => {
  local = await startCognitoLocal();
  const pool = await local.admin.send(new DescribeUserPoolCommand({ UserPoolId: local.userPoolId }));
  expect(pool.UserPool?.Id).toBe(local.userPoolId);
  const { UserPoolClient } = await local.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: local.userPoolId,
      ClientName: "cogkit",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  config = {
    region: "eu-west-1",
    userPoolId: local.userPoolId,
    userPoolClientId: UserPoolClient!.ClientId!,
    userPoolEndpoint: local.url,
  } as AuthConfig;
}, 60_000);

afterAll(() => local?.stop(), 60_000);

// How often cognito-local has refused GetTokensFromRefreshToken so far.
const refusedRefreshes = () => local.output().split('Unsupported x-amz-target header "GetTokensFromRefreshToken"').length - 1;

describe.each(transports)("cogkit against cognito-local over the $name transport", ({ make }) => {
  const clientFor = () => createAuthClient(config, { transport: make(config), platform: { storage: createMemoryStorage() } });

  async function signedUp(client = clientFor()): Promise<string> {
    const email = `user${++users}@example.com`;
    const result = await client.signUp({ username: email, password });
    expect(result.userConfirmed).toBe(false);
    expect(await client.confirmSignUp({ username: email, code: local.code })).toEqual({ nextStep: { type: "done" } });
    return email;
  }

  it("signs up, confirms with the code it sent, and signs in with the password flow", async () => {
    const client = clientFor();
    const email = await signedUp(client);
    expect(await client.signIn({ username: email, password, flow: "password" })).toEqual({ nextStep: { type: "done" } });
    const tokens = await client.getTokens();
    expect(tokens.idToken.payload).toMatchObject({ email, token_use: "id", aud: config.userPoolClientId });
    expect(tokens.accessToken.payload.token_use).toBe("access");
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(client.getSnapshot()).toMatchObject({ status: "signedIn", user: { attributes: { email } } });
    client.dispose();
  });

  it("answers an SRP sign-in, which cognito-local lacks, with ERR_UNSUPPORTED_OPERATION that no retry can fix", async () => {
    const client = clientFor();
    const email = await signedUp(client);
    const error = await failure(client.signIn({ username: email, password }));
    expect(error).toMatchObject({ code: "ERR_UNSUPPORTED_OPERATION", retryable: false, serviceCode: "Unsupported", status: 500 });
    expect(error.message).toMatch(/USER_SRP_AUTH/);
    expect(client.getSnapshot().status).toBe("signedOut");
    client.dispose();
  });

  it("refreshes on demand by falling back to REFRESH_TOKEN_AUTH, and asks for GetTokensFromRefreshToken only once", async () => {
    const client = clientFor();
    const email = await signedUp(client);
    await client.signIn({ username: email, password, flow: "password" });
    const signedIn = await client.getTokens();
    const refused = refusedRefreshes();

    const first = await client.getTokens({ forceRefresh: true });
    expect(refusedRefreshes()).toBe(refused + 1);
    expect(first.accessToken.jwt).not.toBe(signedIn.accessToken.jwt);
    expect(first.accessToken.payload.jti).not.toBe(signedIn.accessToken.payload.jti);
    // cognito-local does not rotate: the refresh token the session had stays.
    expect(first.refreshToken).toBe(signedIn.refreshToken);
    expect(client.getSnapshot()).toMatchObject({ status: "signedIn", user: { attributes: { email } } });
    expect(client.getSnapshot()).not.toHaveProperty("error");

    const second = await client.getTokens({ forceRefresh: true });
    expect(second.accessToken.payload.jti).not.toBe(first.accessToken.payload.jti);
    expect(refusedRefreshes()).toBe(refused + 1);
    client.dispose();
  });

  it("signs out, and the refresh token it revoked no longer refreshes", async () => {
    const client = clientFor();
    const email = await signedUp(client);
    await client.signIn({ username: email, password, flow: "password" });
    const { refreshToken } = await client.getTokens();

    await client.signOut();
    expect(client.getSnapshot()).toEqual({ status: "signedOut", user: null });
    expect((await failure(client.getTokens())).code).toBe("ERR_NOT_SIGNED_IN");
    const refresh = new InitiateAuthCommand({ AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: config.userPoolClientId, AuthParameters: { REFRESH_TOKEN: refreshToken! } });
    await expect(local.admin.send(refresh)).rejects.toMatchObject({ name: "NotAuthorizedException" });
    client.dispose();
  });

  it("refuses a global sign-out, which cognito-local lacks, with ERR_UNSUPPORTED_OPERATION and keeps the session", async () => {
    const client = clientFor();
    const email = await signedUp(client);
    await client.signIn({ username: email, password, flow: "password" });
    const error = await failure(client.signOut({ global: true }));
    expect(error).toMatchObject({ code: "ERR_UNSUPPORTED_OPERATION", retryable: false });
    expect(client.getSnapshot().status).toBe("signedIn");
    client.dispose();
  });
});

// Last, once every call above has been made.
it("keeps cognito-local on loopback: its one attempt to go further (the migration Lambda) is refused", async () => {
  expect(local.blockedConnections()).toEqual([]);
  // A sign-in of an unknown user makes cognito-local call its UserMigration Lambda.
  const client = createAuthClient(config, { platform: { storage: createMemoryStorage() } });
  await failure(client.signIn({ username: "nobody@example.com", password, flow: "password" }));
  expect(local.blockedConnections()).toEqual([guardProbeHost]);
  client.dispose();
});
