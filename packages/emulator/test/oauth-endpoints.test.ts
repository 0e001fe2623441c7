import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { postTokenRequest } from "../../../test/hosted-ui-support.js";
import { codeFor, exchangeCode, hostedAuth } from "./oauth-support.js";
import { call, claimsOf, createConfirmedUser } from "./support.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    auth: hostedAuth,
    quiet: true,
    refreshTokenRotation: { enabled: true },
    resourceServers: [{ identifier: "https://api.example.com", scopes: ["read", "write"] }],
  });
});
afterAll(() => emulator.stop());

async function hostedTokens(scopes?: string[]) {
  const { email } = await createConfirmedUser(emulator, undefined, { UserAttributes: [{ Name: "name", Value: "Ana" }] });
  const { code, verifier } = await codeFor(emulator, email, scopes ? { scopes } : {});
  const { body } = await exchangeCode(emulator, code, verifier);
  const tokens: Record<string, any> = { ...body, email };
  return tokens;
}

const userInfo = (token?: string, method = "GET") =>
  fetch(`${emulator.url}/oauth2/userInfo`, { method, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

describe("/oauth2/token with refresh_token", () => {
  it("refreshes with rotation like GetTokensFromRefreshToken, keeping the scopes and leaving the nonce out", async () => {
    const first = await hostedTokens(["openid", "email"]);
    const client_id = emulator.config.userPoolClientId;
    const refreshed = await postTokenRequest(emulator.url, { grant_type: "refresh_token", client_id, refresh_token: first.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ token_type: "Bearer", expires_in: 3600, refresh_token: expect.any(String) });
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    expect(claimsOf(refreshed.body.access_token).scope).toBe("openid email");
    expect(claimsOf(refreshed.body.id_token).nonce).toBeUndefined();
    // The rotated-out token stops working (no grace period here).
    expect((await postTokenRequest(emulator.url, { grant_type: "refresh_token", client_id, refresh_token: first.refresh_token })).body).toEqual({ error: "invalid_grant" });
    const viaApi = await call(emulator, "GetTokensFromRefreshToken", { ClientId: client_id, RefreshToken: refreshed.body.refresh_token });
    expect(viaApi.status).toBe(200);
  });
});

describe("/oauth2/userInfo", () => {
  it("answers sub, username and the attributes the scopes allow", async () => {
    const tokens = await hostedTokens(["openid", "email"]);
    const response = await userInfo(tokens.access_token);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ sub: claimsOf(tokens.id_token).sub, email: tokens.email, email_verified: "true", username: claimsOf(tokens.access_token).username });
    expect(body.name).toBeUndefined();
    const withProfile = await hostedTokens(["openid", "profile"]);
    const profile = await (await userInfo(withProfile.access_token, "POST")).json();
    expect(profile.name).toBe("Ana");
    expect(profile.email).toBeUndefined();
  });

  it("answers 401 with WWW-Authenticate without a token, with a bad one, or without the openid scope", async () => {
    const none = await userInfo();
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const bad = await userInfo("not.a.token");
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toMatch(/invalid_token/);
    const noOpenId = await hostedTokens(["email", "aws.cognito.signin.user.admin"]);
    expect((await userInfo(noOpenId.access_token)).status).toBe(401);
  });
});

describe("/oauth2/revoke", () => {
  it("revokes the refresh token's family, its access tokens with it", async () => {
    const tokens = await hostedTokens();
    const response = await fetch(`${emulator.url}/oauth2/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: tokens.refresh_token, client_id: emulator.config.userPoolClientId }).toString(),
    });
    expect(response.status).toBe(200);
    expect((await userInfo(tokens.access_token)).status).toBe(401);
    const refresh = await postTokenRequest(emulator.url, { grant_type: "refresh_token", client_id: emulator.config.userPoolClientId, refresh_token: tokens.refresh_token });
    expect(refresh.body).toEqual({ error: "invalid_grant" });
  });

  it("is reached by global sign-out like any sign-in's tokens", async () => {
    const tokens = await hostedTokens();
    expect((await call(emulator, "GlobalSignOut", { AccessToken: tokens.access_token })).status).toBe(200);
    const refresh = await postTokenRequest(emulator.url, { grant_type: "refresh_token", client_id: emulator.config.userPoolClientId, refresh_token: tokens.refresh_token });
    expect(refresh.body).toEqual({ error: "invalid_grant" });
  });
});

describe("CORS on the endpoints a browser app calls", () => {
  it("answers preflights and responses of token, userInfo and revoke for another origin", async () => {
    for (const path of ["/oauth2/token", "/oauth2/userInfo", "/oauth2/revoke"]) {
      const preflight = await fetch(`${emulator.url}${path}`, {
        method: "OPTIONS",
        headers: { origin: "http://localhost:5173", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    }
    const answer = await fetch(`${emulator.url}/oauth2/token`, { method: "POST", headers: { origin: "http://localhost:5173", "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=x" });
    expect(answer.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
  });
});

describe("client_credentials for the machine client of resourceServers", () => {
  const machine = () => emulator.machineClient!;

  it("describes the machine client, and none without resource servers", async () => {
    expect(machine()).toMatchObject({ clientId: expect.stringMatching(/^[a-z0-9]{26}$/), clientSecret: expect.any(String), scopes: ["https://api.example.com/read", "https://api.example.com/write"] });
    const plain = await startEmulator({ auth: hostedAuth, quiet: true });
    try {
      expect(plain.machineClient).toBeUndefined();
    } finally {
      await plain.stop();
    }
  });

  it("issues an access token only, with every allowed scope when none is asked, or those asked", async () => {
    const { clientId, clientSecret } = machine();
    const all = await postTokenRequest(emulator.url, { grant_type: "client_credentials" }, { basic: { clientId, clientSecret } });
    expect(all.status).toBe(200);
    expect(Object.keys(all.body).sort()).toEqual(["access_token", "expires_in", "token_type"]);
    expect(claimsOf(all.body.access_token)).toMatchObject({
      client_id: clientId,
      sub: clientId,
      token_use: "access",
      scope: "https://api.example.com/read https://api.example.com/write",
      iss: `${emulator.url}/${emulator.config.userPoolId}`,
    });
    const some = await postTokenRequest(emulator.url, { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope: "https://api.example.com/read" });
    expect(claimsOf(some.body.access_token).scope).toBe("https://api.example.com/read");
    // Not a user's token: the user pool API and userInfo refuse it.
    expect((await userInfo(some.body.access_token)).status).toBe(401);
  });

  it("refuses unknown scopes, wrong secrets, the app client and other grants", async () => {
    const { clientId, clientSecret } = machine();
    const basic = { basic: { clientId, clientSecret } };
    expect((await postTokenRequest(emulator.url, { grant_type: "client_credentials", scope: "https://api.example.com/delete" }, basic)).body).toEqual({ error: "invalid_scope" });
    expect((await postTokenRequest(emulator.url, { grant_type: "client_credentials", scope: "openid" }, basic)).body).toEqual({ error: "invalid_scope" });
    const wrong = await postTokenRequest(emulator.url, { grant_type: "client_credentials" }, { basic: { clientId, clientSecret: "nope" } });
    expect(wrong).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const app = await postTokenRequest(emulator.url, { grant_type: "client_credentials", client_id: emulator.config.userPoolClientId });
    expect(app.body).toEqual({ error: "unauthorized_client" });
    const code = await postTokenRequest(emulator.url, { grant_type: "authorization_code", code: "x", redirect_uri: "http://localhost:3000/callback" }, basic);
    expect(code.body).toEqual({ error: "unauthorized_client" });
  });

  it("gives its tokens the access-token lifetime it announces", async () => {
    const { clientId, clientSecret } = machine();
    const { body } = await postTokenRequest(emulator.url, { grant_type: "client_credentials" }, { basic: { clientId, clientSecret } });
    const claims = claimsOf(body.access_token);
    expect(claims.exp - claims.iat).toBe(body.expires_in);
  });
});
