import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeSecretHash, startEmulator, type Emulator } from "../src/index.js";
import { authorizeUrl, createPkcePair, openHostedUi, postTokenRequest } from "../../../test/hosted-ui-support.js";
import { authorizeFor, callbackUrl, codeFor, exchangeCode, hostedAuth, queryOf } from "./oauth-support.js";
import { call, createConfirmedUser, freshEmail, password } from "./support.js";
import { signInThroughHostedUi } from "../../../test/hosted-ui-support.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ auth: hostedAuth, quiet: true, oauthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"] });
});
afterAll(() => emulator.stop());

/** Opens an authorize URL and expects to be sent back to the app; returns the callback's query. */
async function backAt(url: string) {
  const stop = await openHostedUi(url);
  if (stop.kind !== "callback") throw new Error(`expected a redirect to the app, got page ${stop.page.page}: ${stop.page.error}`);
  expect(stop.url.startsWith(callbackUrl)).toBe(true);
  return queryOf(stop.url);
}

describe("/oauth2/authorize refuses", () => {
  it("an unregistered redirect URI with an error page, never a redirect", async () => {
    const response = await fetch(authorizeFor(emulator, { redirectUri: "https://evil.example/cb" }).url, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain('data-error="redirect_mismatch"');
  });

  it("a loopback redirect URI on another path or scheme (only the port may differ)", async () => {
    for (const redirectUri of ["http://127.0.0.1:5000/other", "https://127.0.0.1:5000/cb", "http://localhost:3000/callback/more"]) {
      const response = await fetch(authorizeFor(emulator, { redirectUri }).url, { redirect: "manual" });
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
    }
  });

  it("an unknown client with an error page", async () => {
    const response = await fetch(authorizeFor(emulator, { clientId: "nosuchclient" }).url, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });

  it("a scope the client is not allowed, back to the app with invalid_scope and the state", async () => {
    expect(await backAt(authorizeFor(emulator, { scopes: ["openid", "phone"] }).url)).toMatchObject({ error: "invalid_scope", state: "st-1" });
  });

  it("plain PKCE", async () => {
    const { url } = authorizeFor(emulator, { extra: { code_challenge_method: "plain" } });
    expect(await backAt(url)).toMatchObject({ error: "invalid_request", state: "st-1" });
  });

  it("a public client without PKCE", async () => {
    const url = authorizeUrl(emulator.url, { clientId: emulator.config.userPoolClientId, redirectUri: callbackUrl, state: "st-2" });
    expect(await backAt(url)).toMatchObject({ error: "invalid_request", state: "st-2" });
  });

  it("response types other than code", async () => {
    expect(await backAt(authorizeFor(emulator, { extra: { response_type: "token" } }).url)).toMatchObject({ error: "unauthorized_client" });
    expect(await backAt(authorizeFor(emulator, { extra: { response_type: "id_token" } }).url)).toMatchObject({ error: "unsupported_response_type" });
  });

  it("a provider the pool does not have", async () => {
    expect(await backAt(authorizeFor(emulator, { provider: "Facebook" }).url)).toMatchObject({ error: "invalid_request", state: "st-1" });
    expect(await backAt(authorizeFor(emulator, { extra: { idp_identifier: "nobody" } }).url)).toMatchObject({ error: "invalid_request" });
  });

  it("prompt=none without a hosted session, with login_required", async () => {
    expect(await backAt(authorizeFor(emulator, { prompt: "none" }).url)).toMatchObject({ error: "login_required", state: "st-1" });
  });
});

describe("/oauth2/token refuses", () => {
  it("a wrong code verifier", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { code } = await codeFor(emulator, email);
    const answer = await exchangeCode(emulator, code, createPkcePair().verifier);
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("a missing code verifier", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { code } = await codeFor(emulator, email);
    const answer = await postTokenRequest(emulator.url, { grant_type: "authorization_code", client_id: emulator.config.userPoolClientId, code, redirect_uri: callbackUrl });
    expect(answer.body).toEqual({ error: "invalid_grant" });
  });

  it("a code used twice, and revokes what its first use issued", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { code, verifier } = await codeFor(emulator, email);
    const first = await exchangeCode(emulator, code, verifier);
    expect(first.status).toBe(200);
    expect((await exchangeCode(emulator, code, verifier)).body).toEqual({ error: "invalid_grant" });
    const refresh = await call(emulator, "GetTokensFromRefreshToken", { ClientId: emulator.config.userPoolClientId, RefreshToken: first.body.refresh_token });
    expect(refresh.body.__type).toBe("NotAuthorizedException");
    expect((await call(emulator, "GetUser", { AccessToken: first.body.access_token })).body.message).toBe("Access Token has been revoked");
  });

  it("a code older than five minutes of emulator time", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { code, verifier } = await codeFor(emulator, email);
    emulator.advanceTime(5 * 60 * 1000);
    expect((await exchangeCode(emulator, code, verifier)).body).toEqual({ error: "invalid_grant" });
  });

  it("a code with another redirect URI than the authorize request's", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { code, verifier } = await codeFor(emulator, email);
    expect((await exchangeCode(emulator, code, verifier, "http://127.0.0.1/cb")).body).toEqual({ error: "invalid_grant" });
  });

  it("an unknown client with 401 invalid_client", async () => {
    const answer = await postTokenRequest(emulator.url, { grant_type: "authorization_code", client_id: "nosuchclient", code: "x", redirect_uri: callbackUrl, code_verifier: "y" });
    expect(answer).toMatchObject({ status: 401, body: { error: "invalid_client" } });
  });

  it("unknown and missing grant types and bodies that are not forms", async () => {
    const client_id = emulator.config.userPoolClientId;
    expect((await postTokenRequest(emulator.url, { grant_type: "password", client_id })).body).toEqual({ error: "unsupported_grant_type" });
    expect((await postTokenRequest(emulator.url, { client_id })).body).toEqual({ error: "invalid_request" });
    const json = await fetch(`${emulator.url}/oauth2/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ grant_type: "refresh_token", client_id }) });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ error: "invalid_request" });
  });

  it("a refresh token that is not one", async () => {
    const answer = await postTokenRequest(emulator.url, { grant_type: "refresh_token", client_id: emulator.config.userPoolClientId, refresh_token: "nope" });
    expect(answer.body).toEqual({ error: "invalid_grant" });
  });
});

describe("a confidential app client", () => {
  let confidential: Emulator;
  beforeAll(async () => {
    confidential = await startEmulator({ auth: hostedAuth, quiet: true, clientSecret: true });
  });
  afterAll(() => confidential.stop());

  it("may leave PKCE out and authenticates with Basic or client_secret_post, never a wrong secret", async () => {
    const clientId = confidential.config.userPoolClientId;
    const clientSecret = confidential.config.clientSecret!;
    const email = freshEmail();
    await createConfirmedUser(confidential, email, { SecretHash: computeSecretHash({ clientSecret, clientId, username: email }) });
    const code = async () =>
      queryOf(await signInThroughHostedUi(authorizeUrl(confidential.url, { clientId, redirectUri: callbackUrl }), { username: email, password })).code!;
    const form = (c: string) => ({ grant_type: "authorization_code", code: c, redirect_uri: callbackUrl });

    const wrong = await postTokenRequest(confidential.url, form(await code()), { basic: { clientId, clientSecret: "wrong" } });
    expect(wrong).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic/);
    const missing = await postTokenRequest(confidential.url, { ...form(await code()), client_id: clientId });
    expect(missing).toMatchObject({ status: 401, body: { error: "invalid_client" } });

    expect((await postTokenRequest(confidential.url, form(await code()), { basic: { clientId, clientSecret } })).status).toBe(200);
    expect((await postTokenRequest(confidential.url, { ...form(await code()), client_id: clientId, client_secret: clientSecret })).status).toBe(200);
  });
});
