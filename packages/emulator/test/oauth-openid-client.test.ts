import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { consentAtFakeProvider, signInThroughHostedUi } from "../../../test/hosted-ui-support.js";
import { callbackUrl, hostedAuth } from "./oauth-support.js";
import { createConfirmedUser, password } from "./support.js";

// openid-client (a certified OpenID Connect relying party nobody here wrote) against the
// emulator: if its discovery, PKCE, code exchange, ID token checks and userinfo pass, the
// emulator's OAuth domain speaks the protocol as written.
let emulator: Emulator;
let config: oidc.Configuration;
beforeAll(async () => {
  emulator = await startEmulator({ auth: hostedAuth, quiet: true, resourceServers: [{ identifier: "https://api.example.com", scopes: ["read"] }] });
  config = await oidc.discovery(new URL(`${emulator.url}/${emulator.config.userPoolId}`), emulator.config.userPoolClientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
});
afterAll(() => emulator.stop());

async function authorize(extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl,
    scope: "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    nonce,
    state,
    ...extra,
  });
  return { url, verifier, nonce, state };
}

describe("openid-client against the emulator", () => {
  it("discovers the issuer and its endpoints", () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(`${emulator.url}/${emulator.config.userPoolId}`);
    expect(metadata.authorization_endpoint).toBe(`${emulator.url}/oauth2/authorize`);
    expect(metadata.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("signs in with PKCE, validates the ID token (iss, aud, nonce) and reads userinfo", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { url, verifier, nonce, state } = await authorize();
    const callback = await signInThroughHostedUi(url.href, { username: email, password });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: `${emulator.url}/${emulator.config.userPoolId}`, aud: emulator.config.userPoolClientId, nonce, email });
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: claims.sub, email });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.claims()?.sub).toBe(claims.sub);
  });

  it("refuses a callback whose ID token carries another nonce", async () => {
    const { email } = await createConfirmedUser(emulator);
    const { url, verifier, state } = await authorize();
    const callback = await signInThroughHostedUi(url.href, { username: email, password });
    const refused = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedNonce: "another-nonce", expectedState: state }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "OAUTH_JWT_CLAIM_COMPARISON_FAILED", cause: { message: expect.stringContaining("nonce") } });
  });

  it("signs a federated user in through the fake Google page", async () => {
    const { url, verifier, nonce, state } = await authorize({ identity_provider: "Google" });
    const callback = await consentAtFakeProvider(url.href, { sub: "oc-1", email: "oc@gmail.com" });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state });
    expect(tokens.claims()).toMatchObject({ "cognito:username": "Google_oc-1", email: "oc@gmail.com" });
  });

  it("gets a client-credentials token for the machine client", async () => {
    const machine = emulator.machineClient!;
    const machineConfig = await oidc.discovery(new URL(`${emulator.url}/${emulator.config.userPoolId}`), machine.clientId, undefined, oidc.ClientSecretBasic(machine.clientSecret), {
      execute: [oidc.allowInsecureRequests],
    });
    const tokens = await oidc.clientCredentialsGrant(machineConfig, { scope: "https://api.example.com/read" });
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.expires_in).toBe(3600);
  });
});
