import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { consentAtFakeProvider, createCookieJar, openHostedUi, signInThroughHostedUi } from "../../../test/hosted-ui-support.js";
import { authorizeFor, exchangeCode, hostedAuth, queryOf } from "./oauth-support.js";
import { call, identityCall } from "./support.js";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ auth: hostedAuth, quiet: true });
});
afterAll(() => emulator.stop());

/** Signs in through a fake provider and exchanges the code. */
async function federatedTokens(provider: string, user: { sub: string; email?: string; name?: string }, nonce = "n-fed") {
  const { url, verifier } = authorizeFor(emulator, { provider, nonce });
  const code = queryOf(await consentAtFakeProvider(url, user)).code!;
  const answer = await exchangeCode(emulator, code, verifier);
  expect(answer.status).toBe(200);
  return answer.body;
}

describe("sign-in through a fake external provider", () => {
  it("shows a clearly fake consent page with sub, email and name prefilled from login_hint and a Continue button", async () => {
    const stop = await openHostedUi(authorizeFor(emulator, { provider: "Google", loginHint: "ana@gmail.com" }).url);
    if (stop.kind !== "page") throw new Error("expected the consent page");
    expect(stop.page.url).toContain("/_fake-idp/Google/authorize");
    expect(stop.page.page).toBe("fake-provider");
    expect(stop.page.html).toContain("fake");
    expect(stop.page.html).toMatch(/<button type="submit">Continue<\/button>/);
    expect(stop.page.form!.fields).toMatchObject({ email: "ana@gmail.com", name: "ana" });
    expect(stop.page.form!.fields.sub).toMatch(/^\d+$/);
    const again = await openHostedUi(authorizeFor(emulator, { provider: "Google", loginHint: "ana@gmail.com" }).url);
    expect(again.kind === "page" && again.page.form!.fields.sub).toBe(stop.page.form!.fields.sub);
  });

  it("creates the federated user Google_<sub> with Cognito's claims, and updates it at the next sign-in", async () => {
    const tokens = await federatedTokens("Google", { sub: "1234", email: "ana@gmail.com", name: "Ana" });
    const jwks = createRemoteJWKSet(new URL(`${emulator.url}/${emulator.config.userPoolId}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(tokens.id_token, jwks, { issuer: `${emulator.url}/${emulator.config.userPoolId}`, audience: emulator.config.userPoolClientId });
    expect(payload).toMatchObject({
      "cognito:username": "Google_1234",
      "cognito:groups": [`${emulator.config.userPoolId}_Google`],
      email: "ana@gmail.com",
      email_verified: true,
      name: "Ana",
      nonce: "n-fed",
      identities: [{ userId: "1234", providerName: "Google", providerType: "Google", issuer: null, primary: "true", dateCreated: expect.stringMatching(/^\d+$/) }],
    });
    const again = await federatedTokens("Google", { sub: "1234", email: "ana.new@gmail.com", name: "Ana B" });
    const second = (await jwtVerify(again.id_token, jwks)).payload;
    expect(second.sub).toBe(payload.sub);
    expect(second).toMatchObject({ email: "ana.new@gmail.com", name: "Ana B" });
    const user = await call(emulator, "GetUser", { AccessToken: again.access_token });
    expect(user.body.Username).toBe("Google_1234");
    expect(user.body.UserAttributes).toContainEqual({ Name: "email", Value: "ana.new@gmail.com" });
  });

  it("signs in through an OIDC provider by its name or by idp_identifier", async () => {
    const tokens = await federatedTokens("Corp", { sub: "emp-7" });
    const claims = JSON.parse(Buffer.from(tokens.id_token.split(".")[1], "base64url").toString());
    expect(claims["cognito:username"]).toBe("Corp_emp-7");
    expect(claims.identities[0]).toMatchObject({ providerName: "Corp", providerType: "OIDC" });
    const { url } = authorizeFor(emulator, { extra: { idp_identifier: "corp" } });
    expect(queryOf(await consentAtFakeProvider(url, { sub: "emp-8" })).code).toBeTruthy();
  });

  it("lets a federated user get identity-pool credentials with its id token", async () => {
    const tokens = await federatedTokens("Google", { sub: "5678", email: "bo@gmail.com" });
    const Logins = { [emulator.userPoolLoginKey]: tokens.id_token };
    const { body: id } = await identityCall(emulator, "GetId", { IdentityPoolId: emulator.config.identityPoolId, Logins });
    const credentials = await identityCall(emulator, "GetCredentialsForIdentity", { IdentityId: id.IdentityId, Logins });
    expect(credentials.status).toBe(200);
    expect(credentials.body.Credentials.AccessKeyId).toBeTruthy();
  });

  it("never lets a federated user sign in with a password", async () => {
    await federatedTokens("Google", { sub: "9999", email: "cy@gmail.com" });
    await expect(signInThroughHostedUi(authorizeFor(emulator).url, { username: "Google_9999", password: "Anything-1" })).rejects.toThrow(/Incorrect username or password/);
  });

  it("lists the configured providers on the login page", async () => {
    const stop = await openHostedUi(authorizeFor(emulator).url);
    if (stop.kind !== "page") throw new Error("expected the login page");
    expect(stop.page.html).toContain('data-provider="Google"');
    expect(stop.page.html).toContain('data-provider="Corp"');
    expect(stop.page.html).not.toContain('data-provider="Facebook"');
    const link = /href="([^"]*)" data-provider="Google"/.exec(stop.page.html)![1]!.replace(/&#38;/g, "&");
    const consent = await openHostedUi(new URL(link, emulator.url).href);
    expect(consent.kind === "page" && consent.page.page).toBe("fake-provider");
  });
});

describe("the hosted session", () => {
  it("sends a signed-in browser straight back, asks again with prompt=login, and ends at /logout", async () => {
    const jar = createCookieJar();
    const first = await consentAtFakeProvider(authorizeFor(emulator, { provider: "Google" }).url, { sub: "s-1", jar });
    expect(queryOf(first).code).toBeTruthy();
    expect(jar.names(emulator.url)).toEqual([`cogkit_hosted_${emulator.config.userPoolId}`]);

    const straight = await openHostedUi(authorizeFor(emulator, { provider: "Google", state: "st-2" }).url, { jar });
    expect(straight.kind === "callback" && queryOf(straight.url)).toMatchObject({ state: "st-2", code: expect.any(String) });
    const none = await openHostedUi(authorizeFor(emulator, { provider: "Google", prompt: "none" }).url, { jar });
    expect(none.kind === "callback" && queryOf(none.url).code).toBeTruthy();

    const asked = await openHostedUi(authorizeFor(emulator, { provider: "Google", prompt: "login" }).url, { jar });
    expect(asked.kind === "page" && asked.page.page).toBe("fake-provider");

    const logout = await fetch(`${emulator.url}/logout?client_id=${emulator.config.userPoolClientId}&logout_uri=${encodeURIComponent("http://localhost:3000/")}`, {
      redirect: "manual",
      headers: { cookie: jar.header(emulator.url)! },
    });
    expect(logout.status).toBe(302);
    expect(logout.headers.get("location")).toBe("http://localhost:3000/");
    // The session is gone on the emulator's side too, whatever the browser keeps.
    const cookie = jar.header(emulator.url)!;
    jar.remember(emulator.url, logout);
    expect(jar.names(emulator.url)).toEqual([]);
    const replayed = await fetch(authorizeFor(emulator, { provider: "Google", prompt: "none" }).url, { redirect: "manual", headers: { cookie } });
    expect(queryOf(replayed.headers.get("location")!)).toMatchObject({ error: "login_required" });
  });

  it("sets the session cookie HttpOnly and SameSite=Lax", async () => {
    const { url } = authorizeFor(emulator, { provider: "Google" });
    const stop = await openHostedUi(url);
    if (stop.kind !== "page") throw new Error("expected the consent page");
    const consent = await fetch(stop.page.form!.action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...stop.page.form!.fields }).toString(),
      redirect: "manual",
    });
    const back = await fetch(consent.headers.get("location")!, { redirect: "manual" });
    const cookie = back.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it("ends the session and shows the login page again in /logout's redirect_uri form", async () => {
    const jar = createCookieJar();
    await consentAtFakeProvider(authorizeFor(emulator, { provider: "Google" }).url, { sub: "s-2", jar });
    const relogin = new URL(authorizeFor(emulator, { state: "st-3" }).url.replace("/oauth2/authorize", "/logout"));
    const stop = await openHostedUi(relogin.href, { jar });
    expect(stop.kind === "page" && stop.page.page).toBe("login");
    expect(jar.names(emulator.url)).toEqual([]);
  });

  it("refuses a logout_uri that is not registered with an error page", async () => {
    const response = await fetch(`${emulator.url}/logout?client_id=${emulator.config.userPoolClientId}&logout_uri=${encodeURIComponent("https://evil.example/")}`, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });
});
