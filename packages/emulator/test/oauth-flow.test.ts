import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/index.js";
import { authorizeUrl, createPkcePair, openHostedUi, postTokenRequest, signInThroughHostedUi, submitHostedUiForm } from "../../../test/hosted-ui-support.js";
import { call, claimsOf, createConfirmedUser, password } from "./support.js";

const callback = "http://localhost:3000/callback";
const auth = defineAuth({
  loginWith: {
    email: true,
    externalProviders: { google: { clientId: "google-client" }, callbackUrls: [callback, "http://127.0.0.1/cb"], logoutUrls: ["http://localhost:3000/"] },
  },
});

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ auth, quiet: true });
});
afterAll(() => emulator.stop());

const clientId = () => emulator.config.userPoolClientId;

/** A full sign-in on the login page: the code and what it was asked with. */
async function codeFor(email: string, extra: Partial<Parameters<typeof authorizeUrl>[1]> = {}) {
  const pkce = createPkcePair();
  const url = authorizeUrl(emulator.url, { clientId: clientId(), redirectUri: callback, codeChallenge: pkce.challenge, state: "st-1", nonce: "n-1", ...extra });
  const back = new URL(await signInThroughHostedUi(url, { username: email, password }));
  return { back, code: back.searchParams.get("code")!, verifier: pkce.verifier };
}

const exchange = (code: string, verifier: string, redirectUri = callback) =>
  postTokenRequest(emulator.url, { grant_type: "authorization_code", client_id: clientId(), code, redirect_uri: redirectUri, code_verifier: verifier });

describe("the hosted UI's authorization code flow", () => {
  it("signs in on the login page, exchanges the code with PKCE and issues tokens that verify and refresh", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { back, code, verifier } = await codeFor(email, { scopes: ["openid", "email", "aws.cognito.signin.user.admin"] });
    expect(`${back.origin}${back.pathname}`).toBe(callback);
    expect(back.searchParams.get("state")).toBe("st-1");
    expect(code).toBeTruthy();

    const { status, body, headers } = await exchange(code, verifier);
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const discovery = await (await fetch(`${emulator.url}/${emulator.config.userPoolId}/.well-known/openid-configuration`)).json();
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const issuer = `${emulator.url}/${emulator.config.userPoolId}`;
    const id = await jwtVerify(body.id_token, jwks, { issuer, audience: clientId() });
    expect(id.payload).toMatchObject({ email, token_use: "id", nonce: "n-1" });
    expect(typeof id.payload.at_hash).toBe("string");
    const access = await jwtVerify(body.access_token, jwks, { issuer });
    expect(access.payload).toMatchObject({ client_id: clientId(), token_use: "access", scope: "openid email aws.cognito.signin.user.admin" });

    // The JSON API treats them as any sign-in's: GetUser takes the access token, refresh keeps the scopes, drops the nonce.
    expect((await call(emulator, "GetUser", { AccessToken: body.access_token })).status).toBe(200);
    const refreshed = await call(emulator, "GetTokensFromRefreshToken", { ClientId: clientId(), RefreshToken: body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(claimsOf(refreshed.body.AuthenticationResult.AccessToken).scope).toBe("openid email aws.cognito.signin.user.admin");
    expect(claimsOf(refreshed.body.AuthenticationResult.IdToken).nonce).toBeUndefined();
    const old = await call(emulator, "InitiateAuth", { ClientId: clientId(), AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: body.refresh_token } });
    expect(old.status).toBe(200);
  });

  it("grants every allowed scope when none is asked, and no id token without openid", async () => {
    const { email } = await createConfirmedUser(emulator);
    const all = await codeFor(email);
    const { body } = await exchange(all.code, all.verifier);
    expect(claimsOf(body.access_token).scope).toBe("openid email phone profile aws.cognito.signin.user.admin");
    const some = await codeFor(email, { scopes: ["email"] });
    const second = await exchange(some.code, some.verifier);
    expect(second.status).toBe(200);
    expect(second.body.id_token).toBeUndefined();
    // Without aws.cognito.signin.user.admin the user pool API refuses the token, as Cognito does.
    const getUser = await call(emulator, "GetUser", { AccessToken: second.body.access_token });
    expect(getUser.body.message).toBe("Access Token does not have required scopes");
  });

  it("accepts a registered loopback callback on any port (RFC 8252)", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { back, code, verifier } = await codeFor(email, { redirectUri: "http://127.0.0.1:49152/cb" });
    expect(back.host).toBe("127.0.0.1:49152");
    expect((await exchange(code, verifier, "http://127.0.0.1:49152/cb")).status).toBe(200);
  });

  it("shows the form again with an error for a wrong password, echoing neither password nor code", async () => {
    const { email } = await createConfirmedUser(emulator);
    const pkce = createPkcePair();
    const stop = await openHostedUi(authorizeUrl(emulator.url, { clientId: clientId(), redirectUri: callback, codeChallenge: pkce.challenge }));
    if (stop.kind !== "page") throw new Error("expected the login page");
    expect(stop.page.page).toBe("login");
    expect(Object.keys(stop.page.form!.fields).sort()).toEqual(["password", "request", "username"]);
    const again = await submitHostedUiForm(stop.page, { username: email, password: "Wrong-horse-9" });
    if (again.kind !== "page") throw new Error("expected the login page again");
    expect(again.page.status).toBe(400);
    expect(again.page.error).toBe("Incorrect username or password.");
    expect(again.page.html).not.toContain("Wrong-horse-9");
    expect(again.page.form!.fields.username).toBe(email);
  });

  it("escapes what the request carries into the page", async () => {
    const pkce = createPkcePair();
    const hint = `"><script>alert(1)</script>`;
    const stop = await openHostedUi(authorizeUrl(emulator.url, { clientId: clientId(), redirectUri: callback, codeChallenge: pkce.challenge, loginHint: hint, state: "<b>x</b>" }));
    if (stop.kind !== "page") throw new Error("expected the login page");
    expect(stop.page.html).not.toContain("<script>");
    expect(stop.page.html).not.toContain("<b>x</b>");
    expect(stop.page.form!.fields.username).toBe(hint);
  });

  it("serves a complete OpenID configuration at the issuer and at the domain root", async () => {
    const atIssuer = await (await fetch(`${emulator.url}/${emulator.config.userPoolId}/.well-known/openid-configuration`)).json();
    const atRoot = await (await fetch(`${emulator.url}/.well-known/openid-configuration`)).json();
    expect(atRoot).toEqual(atIssuer);
    expect(atIssuer).toMatchObject({
      issuer: `${emulator.url}/${emulator.config.userPoolId}`,
      authorization_endpoint: `${emulator.url}/oauth2/authorize`,
      token_endpoint: `${emulator.url}/oauth2/token`,
      userinfo_endpoint: `${emulator.url}/oauth2/userInfo`,
      end_session_endpoint: `${emulator.url}/logout`,
      revocation_endpoint: `${emulator.url}/oauth2/revoke`,
      code_challenge_methods_supported: ["S256"],
    });
  });

  it("puts the emulator's URL into the config as the hosted UI domain", () => {
    expect(emulator.config.loginWith?.externalProviders).toMatchObject({ domain: emulator.url, callbackUrls: [callback, "http://127.0.0.1/cb"] });
  });
});
