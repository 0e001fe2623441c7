import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, createConfirmedUser, errorOf, freshEmail, password, signIn } from "./support.js";

describe("tokens", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      auth: defineAuth({
        loginWith: { email: true },
        groups: ["ADMINS", "EDITORS"],
        userAttributes: { givenName: { mutable: true }, "custom:tier": { dataType: "Number", mutable: true } },
      }),
      tokenValidity: { accessSeconds: 600, idSeconds: 900, refreshSeconds: 7200 },
    });
  });
  afterAll(() => emulator.stop());
  const ClientId = () => emulator.config.userPoolClientId;
  const issuer = () => `${emulator.url}/${emulator.config.userPoolId}`;

  it("signs ID and access tokens with two keys of the JWKS that the OpenID configuration points to", async () => {
    const { email, sub } = await createConfirmedUser(emulator, freshEmail(), {
      UserAttributes: [{ Name: "given_name", Value: "Ana" }, { Name: "custom:tier", Value: "3" }],
    });
    emulator.addUserToGroup(email, "EDITORS");
    const tokens = await signIn(emulator, email);
    const discovery = (await (await fetch(`${issuer()}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(issuer());
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri!));
    const now = new Date(emulator.now());
    const id = await jwtVerify(tokens.IdToken, jwks, { issuer: issuer(), audience: ClientId(), currentDate: now });
    const access = await jwtVerify(tokens.AccessToken, jwks, { issuer: issuer(), currentDate: now });
    expect(decodeProtectedHeader(tokens.IdToken).kid).not.toBe(decodeProtectedHeader(tokens.AccessToken).kid);

    expect(id.protectedHeader.alg).toBe("RS256");
    expect(id.payload).toMatchObject({
      sub,
      "cognito:username": sub,
      "cognito:groups": ["EDITORS"],
      email,
      email_verified: true,
      given_name: "Ana",
      "custom:tier": "3",
      aud: ClientId(),
      token_use: "id",
    });
    expect(id.payload.exp! - id.payload.iat!).toBe(900);
    for (const claim of ["auth_time", "jti", "origin_jti", "event_id"]) expect(id.payload).toHaveProperty(claim);
    expect(Object.keys(access.payload).sort()).toEqual(
      ["auth_time", "client_id", "cognito:groups", "event_id", "exp", "iat", "iss", "jti", "origin_jti", "scope", "sub", "token_use", "username", "version"].sort(),
    );
    expect(access.payload).toMatchObject({ sub, username: sub, client_id: ClientId(), scope: "aws.cognito.signin.user.admin", token_use: "access", version: 2 });
    expect(access.payload.exp! - access.payload.iat!).toBe(600);
    expect(access.payload.origin_jti).toBe(id.payload.origin_jti);
    expect(access.payload.event_id).toBe(id.payload.event_id);
    expect(access.payload.jti).not.toBe(id.payload.jti);
  });

  it("leaves cognito:groups out for a user in no group", async () => {
    const { email } = await createConfirmedUser(emulator);
    const tokens = await signIn(emulator, email);
    const claims = JSON.parse(Buffer.from(tokens.AccessToken.split(".")[1]!, "base64url").toString());
    expect(claims).not.toHaveProperty("cognito:groups");
  });

  it("answers GetUser with a verified access token only", async () => {
    const { email, sub } = await createConfirmedUser(emulator);
    const tokens = await signIn(emulator, email);
    const user = await call(emulator, "GetUser", { AccessToken: tokens.AccessToken });
    expect(user.body.Username).toBe(sub);
    expect(user.body.UserAttributes).toEqual(
      expect.arrayContaining([{ Name: "sub", Value: sub }, { Name: "email", Value: email }, { Name: "email_verified", Value: "true" }]),
    );

    const [header, payload, signature] = tokens.AccessToken.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), username: "someone-else" })).toString("base64url");
    const forged = await call(emulator, "GetUser", { AccessToken: `${header}.${forgedPayload}.${signature}` });
    expect(errorOf(forged)).toMatchObject({ type: "NotAuthorizedException", message: "Invalid Access Token" });
    const idToken = await call(emulator, "GetUser", { AccessToken: tokens.IdToken });
    expect(errorOf(idToken)).toMatchObject({ type: "NotAuthorizedException", message: "Invalid Access Token" });
  });

  it("expires access tokens by the emulator clock", async () => {
    const { email } = await createConfirmedUser(emulator);
    const tokens = await signIn(emulator, email);
    emulator.advanceTime(601 * 1000);
    expect(errorOf(await call(emulator, "GetUser", { AccessToken: tokens.AccessToken }))).toMatchObject({
      type: "NotAuthorizedException",
      message: "Access Token has expired",
    });
  });

  it("refreshes with REFRESH_TOKEN_AUTH: new access and ID tokens, same refresh token, same auth_time", async () => {
    const { email } = await createConfirmedUser(emulator);
    const tokens = await signIn(emulator, email);
    emulator.advanceTime(30_000);
    const answer = await call(emulator, "InitiateAuth", { ClientId: ClientId(), AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } });
    expect(answer.status).toBe(200);
    expect(answer.body.AuthenticationResult).not.toHaveProperty("RefreshToken");
    const before = JSON.parse(Buffer.from(tokens.AccessToken.split(".")[1]!, "base64url").toString());
    const after = JSON.parse(Buffer.from(answer.body.AuthenticationResult.AccessToken.split(".")[1]!, "base64url").toString());
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.iat).toBeGreaterThan(before.iat);
    expect(after.origin_jti).toBe(before.origin_jti);
  });

  it("refuses unknown and expired refresh tokens", async () => {
    const refresh = (token: string) => call(emulator, "GetTokensFromRefreshToken", { ClientId: ClientId(), RefreshToken: token });
    expect(errorOf(await refresh("not-a-token"))).toMatchObject({ type: "NotAuthorizedException", message: "Invalid Refresh Token" });
    const { email } = await createConfirmedUser(emulator);
    const tokens = await signIn(emulator, email);
    expect((await refresh(tokens.RefreshToken)).body.AuthenticationResult).not.toHaveProperty("RefreshToken");
    emulator.advanceTime(7201 * 1000);
    expect(errorOf(await refresh(tokens.RefreshToken))).toMatchObject({ type: "NotAuthorizedException", message: "Refresh Token has expired" });
  });

  it("GlobalSignOut revokes every refresh and access token of the user, and no one else's", async () => {
    const { email } = await createConfirmedUser(emulator);
    const phone = await signIn(emulator, email);
    const laptop = await signIn(emulator, email);
    const other = await signIn(emulator, (await createConfirmedUser(emulator)).email);
    expect((await call(emulator, "GlobalSignOut", { AccessToken: phone.AccessToken })).status).toBe(200);
    for (const session of [phone, laptop]) {
      expect(errorOf(await call(emulator, "GetUser", { AccessToken: session.AccessToken })).message).toBe("Access Token has been revoked");
      const refreshed = await call(emulator, "GetTokensFromRefreshToken", { ClientId: ClientId(), RefreshToken: session.RefreshToken });
      expect(errorOf(refreshed)).toMatchObject({ type: "NotAuthorizedException", message: "Refresh Token has been revoked" });
    }
    expect((await call(emulator, "GetUser", { AccessToken: other.AccessToken })).status).toBe(200);
  });

  it("RevokeToken revokes one refresh token and the access tokens issued from it", async () => {
    const { email } = await createConfirmedUser(emulator);
    const revoked = await signIn(emulator, email);
    const kept = await signIn(emulator, email);
    const answer = await call(emulator, "RevokeToken", { ClientId: ClientId(), Token: revoked.RefreshToken });
    expect(answer).toMatchObject({ status: 200, body: {} });
    expect(errorOf(await call(emulator, "GetUser", { AccessToken: revoked.AccessToken })).message).toBe("Access Token has been revoked");
    const refresh = await call(emulator, "InitiateAuth", { ClientId: ClientId(), AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: revoked.RefreshToken } });
    expect(errorOf(refresh).message).toBe("Refresh Token has been revoked");
    expect((await call(emulator, "GetUser", { AccessToken: kept.AccessToken })).status).toBe(200);
    expect(errorOf(await call(emulator, "RevokeToken", { ClientId: ClientId(), Token: kept.AccessToken })).type).toBe("UnsupportedTokenTypeException");
  });

  it("refuses a missing access token with a validation error", async () => {
    expect(errorOf(await call(emulator, "GetUser", {})).message).toBe(
      "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null",
    );
  });

  it("AdminAddUserToGroup puts a user in a group of the definition only", async () => {
    const { email } = await createConfirmedUser(emulator);
    const add = (GroupName: string) => call(emulator, "AdminAddUserToGroup", { UserPoolId: emulator.config.userPoolId, Username: email, GroupName });
    expect((await add("ADMINS")).status).toBe(200);
    expect(errorOf(await add("NOPE"))).toMatchObject({ type: "ResourceNotFoundException", message: "Group not found." });
    const tokens = await signIn(emulator, email);
    expect(JSON.parse(Buffer.from(tokens.IdToken.split(".")[1]!, "base64url").toString())["cognito:groups"]).toEqual(["ADMINS"]);
    expect(() => emulator.addUserToGroup(freshEmail("ghost"), "ADMINS")).toThrow(TypeError);
  });

  it("never answers with the password, even in an error", async () => {
    const answer = await call(emulator, "SignUp", { ClientId: ClientId(), Username: "not an email", Password: password });
    expect(JSON.stringify(answer.body)).not.toContain(password);
  });
});

describe("refresh token rotation", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ refreshTokenRotation: { enabled: true, gracePeriodSeconds: 10 } });
  });
  afterAll(() => emulator.stop());
  const refresh = (RefreshToken: string) => call(emulator, "GetTokensFromRefreshToken", { ClientId: emulator.config.userPoolClientId, RefreshToken });

  it("answers a new refresh token; the old one works only for the grace period", async () => {
    const { email } = await createConfirmedUser(emulator);
    const first = (await signIn(emulator, email)).RefreshToken;
    const rotated = await refresh(first);
    const second = rotated.body.AuthenticationResult.RefreshToken as string;
    expect(second).toBeTypeOf("string");
    expect(second).not.toBe(first);
    emulator.advanceTime(9_000);
    expect((await refresh(first)).status).toBe(200);
    emulator.advanceTime(2_000);
    expect(errorOf(await refresh(first))).toMatchObject({ type: "NotAuthorizedException" });
    expect((await refresh(second)).status).toBe(200);
  });

  it("refuses REFRESH_TOKEN_AUTH, which Cognito does not allow with rotation", async () => {
    const { email } = await createConfirmedUser(emulator);
    const tokens = await signIn(emulator, email);
    const answer = await call(emulator, "InitiateAuth", {
      ClientId: emulator.config.userPoolClientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
    });
    expect(errorOf(answer)).toMatchObject({ type: "InvalidParameterException", message: "REFRESH_TOKEN_AUTH flow not enabled for this client" });
  });

  it("refuses to start with ALLOW_REFRESH_TOKEN_AUTH and rotation together", async () => {
    await expect(
      startEmulator({ refreshTokenRotation: { enabled: true }, authFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }),
    ).rejects.toThrow(TypeError);
  });
});
