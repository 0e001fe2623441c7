import { defineAuth } from "@cogkit/core";
import type { Emulator } from "../src/index.js";
import { authorizeUrl, createPkcePair, postTokenRequest, signInThroughHostedUi, type AuthorizeParameters, type HostedUiOptions } from "../../../test/hosted-ui-support.js";
import { password } from "./support.js";

/** The app's callback and sign-out URLs in the OAuth tests. */
export const callbackUrl = "http://localhost:3000/callback";
export const logoutUrl = "http://localhost:3000/";

/** A definition with the hosted UI, Google and an OIDC provider configured. */
export const hostedAuth = defineAuth({
  loginWith: {
    email: true,
    externalProviders: {
      google: { clientId: "google-client" },
      oidc: [{ name: "Corp", clientId: "corp-client", issuerUrl: "https://idp.corp.example" }],
      callbackUrls: [callbackUrl, "http://127.0.0.1/cb"],
      logoutUrls: [logoutUrl],
    },
  },
});

/** An authorize URL of the emulator's app client with a fresh PKCE pair (S256). */
export function authorizeFor(emulator: Emulator, parameters: Partial<AuthorizeParameters> = {}) {
  const pkce = createPkcePair();
  const url = authorizeUrl(emulator.url, { clientId: emulator.config.userPoolClientId, redirectUri: callbackUrl, codeChallenge: pkce.challenge, state: "st-1", ...parameters });
  return { url, verifier: pkce.verifier };
}

/** Signs in on the login page and returns the code and its verifier. */
export async function codeFor(emulator: Emulator, email: string, parameters: Partial<AuthorizeParameters> = {}, options: HostedUiOptions = {}) {
  const { url, verifier } = authorizeFor(emulator, parameters);
  const back = new URL(await signInThroughHostedUi(url, { username: email, password, ...options }));
  const code = back.searchParams.get("code");
  if (!code) throw new Error(`no code in ${back.href}`);
  return { back, code, verifier };
}

/** Trades a code at the token endpoint as a public client. */
export const exchangeCode = (emulator: Emulator, code: string, verifier: string, redirectUri = callbackUrl) =>
  postTokenRequest(emulator.url, { grant_type: "authorization_code", client_id: emulator.config.userPoolClientId, code, redirect_uri: redirectUri, code_verifier: verifier });

/** The query of a callback URL as an object. */
export const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);
