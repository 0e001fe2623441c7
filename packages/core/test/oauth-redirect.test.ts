// The hosted-UI sign-in against the emulator over real HTTP: signInWithRedirect's URL is
// followed through the emulator's login page (or a fake provider's consent page) the way a
// browser would, and the callback it ends on is completed with completeSignIn. Then the
// refusals the issue lists, each with the error the app sees.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "@cogkit/emulator";
import {
  type AuthClient,
  type AuthEvent,
  type CognitoTransport,
  createAuthClient,
  createMemoryStorage,
  defineAuth,
  getCredentials,
  type KeyValueStorage,
} from "@cogkit/core";
import { completeSignIn, signInWithPopup, signInWithRedirect, signOut } from "@cogkit/core/hosted-ui";
import { consentAtFakeProvider, createCookieJar, openHostedUi, signInThroughHostedUi } from "../../../test/hosted-ui-support.js";
import { createAwsSdkTransport } from "@cogkit/core/aws-sdk";
import { createTestClock } from "./test-clock.js";
import { oauthRequestsKey } from "../src/oauth/pending-requests.js";
import { confirmedUser, failure } from "./journey-support.js";
import { fakePopup } from "./oauth-support.js";
import { nextEvent, realBroadcast } from "./session-support.js";

const password = "Corr3ct-Horse!";
const callbackUrl = "http://localhost:3000/callback";
let emulator: Emulator;
let users = 0;

beforeAll(async () => {
  emulator = await startEmulator({
    quiet: true,
    auth: defineAuth({
      loginWith: {
        email: true,
        externalProviders: {
          callbackUrls: [callbackUrl],
          logoutUrls: ["http://localhost:3000/"],
          google: { clientId: "google-client" },
          signInWithApple: { clientId: "apple-client" },
        },
      },
    }),
  });
});
afterAll(() => emulator?.stop());

/** A client of the emulator's app client whose calls to the token endpoint are counted. */
function makeClient(storage: KeyValueStorage = createMemoryStorage(), platform = {}, transport?: CognitoTransport) {
  const tokenCalls: string[] = [];
  const client = createAuthClient(emulator.config, {
    transport,
    platform: {
      storage,
      fetch: (input, init) => {
        if (String(input).endsWith("/oauth2/token")) tokenCalls.push(String(input));
        return fetch(input, init);
      },
      ...platform,
    },
  });
  const visited: string[] = [];
  const navigate = (url: string) => void visited.push(url);
  return { client, storage, tokenCalls, visited, navigate, authorizeUrl: () => visited.at(-1)! };
}

async function newUser(client: AuthClient) {
  return confirmedUser(client, emulator, `hosted-${++users}@example.com`, password);
}

/** The stored record of the client, changed by `change` (a tab's storage edited by hand). */
async function tamper(storage: KeyValueStorage, change: (request: Record<string, unknown>) => void) {
  const key = oauthRequestsKey(emulator.config.userPoolClientId);
  const record = JSON.parse((await storage.getItem(key))!);
  record.requests.forEach(change);
  await storage.setItem(key, JSON.stringify(record));
}

/** Where the authorize endpoint sends the browser at once (an error redirect), or its status when it does not. */
async function firstHop(url: string) {
  const response = await fetch(url, { redirect: "manual" });
  return { status: response.status, location: response.headers.get("location"), body: await response.text() };
}

describe("signInWithRedirect + completeSignIn against the emulator", () => {
  it.each([
    ["fetch", () => undefined],
    ["aws-sdk", () => createAwsSdkTransport(emulator.config)],
  ])("signs a pool user in through the hosted login page: tokens, refresh, credentials, signedIn, custom state (%s transport)", async (_, transport) => {
    const { client, navigate, authorizeUrl } = makeClient(createMemoryStorage(), {}, transport());
    const email = await newUser(client);
    const events: AuthEvent[] = [];
    client.subscribe((event) => events.push(event));
    await signInWithRedirect(client, { navigate, customState: "/after" });
    const callback = await signInThroughHostedUi(authorizeUrl(), { username: email, password });
    expect(callback.startsWith(`${callbackUrl}?`)).toBe(true);
    expect(await completeSignIn(client, { url: callback })).toEqual({ customState: "/after" });
    const tokens = await client.getTokens();
    expect(tokens.idToken.payload).toMatchObject({ email, aud: emulator.config.userPoolClientId });
    expect(events.filter((event) => event.type === "signedIn")).toHaveLength(1);
    const refreshed = await client.getTokens({ forceRefresh: true });
    expect(refreshed.accessToken.jwt).not.toBe(tokens.accessToken.jwt);
    const credentials = await getCredentials(client);
    expect(credentials.authenticated).toBe(true);
    client.dispose();
  });

  it("shares one exchange between two calls at once with the same URL (React Strict Mode), and answers a later call the same", async () => {
    const { client, navigate, authorizeUrl, tokenCalls } = makeClient();
    const email = await newUser(client);
    await signInWithRedirect(client, { navigate, customState: "strict" });
    const callback = await signInThroughHostedUi(authorizeUrl(), { username: email, password });
    const [first, second] = await Promise.all([completeSignIn(client, { url: callback }), completeSignIn(client, { url: callback })]);
    expect(first).toEqual({ customState: "strict" });
    expect(second).toBe(first);
    expect(await completeSignIn(client, { url: callback })).toBe(first);
    expect(tokenCalls).toHaveLength(1);
    client.dispose();
  });

  it("signs in with Google through the fake provider's consent page as a federated user", async () => {
    const { client, navigate, authorizeUrl } = makeClient();
    await signInWithRedirect(client, { navigate, provider: "Google" });
    expect(new URL(authorizeUrl()).searchParams.get("identity_provider")).toBe("Google");
    const callback = await consentAtFakeProvider(authorizeUrl(), { sub: "g-4242", email: "gina@example.com", name: "Gina" });
    expect(await completeSignIn(client, { url: callback })).toEqual({ customState: undefined });
    const { idToken } = await client.getTokens();
    expect(idToken.payload["cognito:username"]).toBe("Google_g-4242");
    expect(idToken.payload.email).toBe("gina@example.com");
    expect((await getCredentials(client)).authenticated).toBe(true);
    client.dispose();
  });

  it("tells another tab sharing the storage: it hears signedIn from the other tab", async () => {
    const storage = createMemoryStorage();
    const tab = makeClient(storage, { broadcast: realBroadcast });
    const other = makeClient(storage, { broadcast: realBroadcast });
    await other.client.start();
    const email = await newUser(tab.client);
    await signInWithRedirect(tab.client, { navigate: tab.navigate });
    const heard = nextEvent(other.client, "signedIn");
    await completeSignIn(tab.client, { url: await signInThroughHostedUi(tab.authorizeUrl(), { username: email, password }) });
    expect(await heard).toMatchObject({ type: "signedIn", source: "otherTab", user: { attributes: { email } } });
    tab.client.dispose();
    other.client.dispose();
  });

  it("signs in with Apple, named SignInWithApple on the wire as Cognito names it", async () => {
    const { client, navigate, authorizeUrl } = makeClient();
    await signInWithRedirect(client, { navigate, provider: "Apple" });
    expect(new URL(authorizeUrl()).searchParams.get("identity_provider")).toBe("SignInWithApple");
    await completeSignIn(client, { url: await consentAtFakeProvider(authorizeUrl(), { sub: "a-77", email: "abe@privaterelay.appleid.com" }) });
    expect((await client.getTokens()).idToken.payload["cognito:username"]).toBe("SignInWithApple_a-77");
    client.dispose();
  });
});

describe("refusals", () => {
  it("a wrong PKCE verifier: the emulator refuses the code (ERR_NOT_AUTHORIZED, invalid_grant)", async () => {
    const { client, navigate, authorizeUrl, storage } = makeClient();
    const email = await newUser(client);
    await signInWithRedirect(client, { navigate });
    const callback = await signInThroughHostedUi(authorizeUrl(), { username: email, password });
    await tamper(storage, (request) => (request.verifier = "x".repeat(64)));
    const error = await failure(completeSignIn(client, { url: callback }));
    expect(error).toMatchObject({ code: "ERR_NOT_AUTHORIZED", serviceCode: "invalid_grant" });
    expect(client.getSnapshot().status).toBe("signedOut");
  });

  it("a code used once: a second tab holding a copy of the request is refused (invalid_grant)", async () => {
    const first = makeClient();
    const email = await newUser(first.client);
    await signInWithRedirect(first.client, { navigate: first.navigate });
    const callback = await signInThroughHostedUi(first.authorizeUrl(), { username: email, password });
    const copy = createMemoryStorage();
    const key = oauthRequestsKey(emulator.config.userPoolClientId);
    await copy.setItem(key, (await first.storage.getItem(key))!);
    await completeSignIn(first.client, { url: callback });
    const second = makeClient(copy);
    expect(await failure(completeSignIn(second.client, { url: callback }))).toMatchObject({ code: "ERR_NOT_AUTHORIZED", serviceCode: "invalid_grant" });
    first.client.dispose();
  });

  it("an expired code (5 minutes at the emulator): invalid_grant", async () => {
    const { client, navigate, authorizeUrl } = makeClient();
    const email = await newUser(client);
    await signInWithRedirect(client, { navigate });
    const callback = await signInThroughHostedUi(authorizeUrl(), { username: email, password });
    emulator.advanceTime(5 * 60_000 + 1_000);
    expect(await failure(completeSignIn(client, { url: callback }))).toMatchObject({ code: "ERR_NOT_AUTHORIZED", serviceCode: "invalid_grant" });
  });

  it("a callback with another state is refused (ERR_INVALID_STATE) and the real one still completes", async () => {
    const { client, navigate, authorizeUrl } = makeClient();
    const email = await newUser(client);
    await signInWithRedirect(client, { navigate });
    const callback = await signInThroughHostedUi(authorizeUrl(), { username: email, password });
    const forged = new URL(callback);
    forged.searchParams.set("state", "forged-state");
    expect((await failure(completeSignIn(client, { url: forged }))).code).toBe("ERR_INVALID_STATE");
    expect(await completeSignIn(client, { url: callback })).toEqual({ customState: undefined });
    client.dispose();
  });

  it("an id token whose nonce is not the stored one: ERR_TOKEN_INVALID, nobody signed in", async () => {
    const { client, navigate, authorizeUrl, storage } = makeClient();
    const email = await newUser(client);
    await signInWithRedirect(client, { navigate });
    const callback = await signInThroughHostedUi(authorizeUrl(), { username: email, password });
    await tamper(storage, (request) => (request.nonce = "another-sign-in"));
    expect((await failure(completeSignIn(client, { url: callback }))).code).toBe("ERR_TOKEN_INVALID");
    expect(client.getSnapshot().status).toBe("signedOut");
  });

  it("a scope the app client does not allow: the error callback becomes ERR_INVALID_PARAMETER (invalid_scope)", async () => {
    const { client, navigate, authorizeUrl } = makeClient();
    await signInWithRedirect(client, { navigate, scopes: ["openid", "not.allowed"] });
    const hop = await firstHop(authorizeUrl());
    expect(hop.location).toMatch(/^http:\/\/localhost:3000\/callback\?/);
    const error = await failure(completeSignIn(client, { url: hop.location! }));
    expect(error).toMatchObject({ code: "ERR_INVALID_PARAMETER", serviceCode: "invalid_scope" });
  });

  it("an access_denied callback (the user refused): ERR_NOT_AUTHORIZED keeping the OAuth code, with the description", async () => {
    const { client, navigate, authorizeUrl } = makeClient();
    await signInWithRedirect(client, { navigate, provider: "Google" });
    const state = new URL(authorizeUrl()).searchParams.get("state");
    const url = `${callbackUrl}?error=access_denied&error_description=The+user+denied+access&state=${state}`;
    const error = await failure(completeSignIn(client, { url }));
    expect(error).toMatchObject({ code: "ERR_NOT_AUTHORIZED", serviceCode: "access_denied" });
    expect(error.message).toContain("The user denied access");
  });

  it("prompt none without a hosted session: ERR_NOT_SIGNED_IN (login_required)", async () => {
    const { client, navigate, authorizeUrl } = makeClient();
    await signInWithRedirect(client, { navigate, prompt: "none" });
    const hop = await firstHop(authorizeUrl());
    expect(hop.location).toMatch(/^http:\/\/localhost:3000\/callback\?/);
    expect(await failure(completeSignIn(client, { url: hop.location! }))).toMatchObject({ code: "ERR_NOT_SIGNED_IN", serviceCode: "login_required" });
  });

  it("an unregistered redirect URI: the emulator shows an error page and never comes back; the request expires unused", async () => {
    const clock = createTestClock(Date.now());
    const { client, navigate, authorizeUrl, storage } = makeClient(createMemoryStorage(), { clock });
    await signInWithRedirect(client, { navigate, redirectUri: "http://localhost:3000/not-registered" });
    const hop = await firstHop(authorizeUrl());
    expect(hop.status).toBe(400);
    expect(hop.location).toBeNull();
    expect(hop.body).toContain("redirect_mismatch");
    // Nothing to complete; the stored request is dropped once it expires.
    await clock.advance(600_001);
    const state = new URL(authorizeUrl()).searchParams.get("state");
    expect((await failure(completeSignIn(client, { url: `http://localhost:3000/not-registered?code=x&state=${state}` }))).code).toBe("ERR_INVALID_STATE");
    expect(await storage.getItem(oauthRequestsKey(emulator.config.userPoolClientId))).toBeNull();
    client.dispose();
  });
});

describe("signInWithPopup against the emulator", () => {
  it("signs in through the hosted login page in a popup and completes in the opener", async () => {
    const clock = createTestClock(Date.now());
    const { client, tokenCalls } = makeClient(createMemoryStorage(), { clock });
    const email = await newUser(client);
    const popup = fakePopup();
    const outcome = signInWithPopup(client, { open: popup.open, customState: "popup" });
    outcome.catch(() => undefined);
    while (popup.visited.length === 0) await clock.advance(0);
    popup.cameBack(await signInThroughHostedUi(popup.visited[0]!, { username: email, password }));
    await clock.advance(250);
    expect(await outcome).toEqual({ customState: "popup" });
    expect(popup.closed).toBe(true);
    expect(tokenCalls).toHaveLength(1);
    expect(client.getSnapshot().status).toBe("signedIn");
    client.dispose();
  });
});

describe("signOut with redirect against the emulator", () => {
  it("ends the session here, then goes to the emulator's /logout, which sends the user back to the logout URL", async () => {
    const { client, navigate, authorizeUrl, visited } = makeClient();
    const email = await newUser(client);
    await signInWithRedirect(client, { navigate });
    await completeSignIn(client, { url: await signInThroughHostedUi(authorizeUrl(), { username: email, password }) });
    await signOut(client, { redirect: true, navigate });
    expect(client.getSnapshot().status).toBe("signedOut");
    const logout = visited.at(-1)!;
    expect(logout).toBe(`${emulator.url.replace(/\/$/, "")}/logout?client_id=${emulator.config.userPoolClientId}&logout_uri=http%3A%2F%2Flocalhost%3A3000%2F`);
    const hop = await firstHop(logout);
    expect(hop.location).toBe("http://localhost:3000/");
    client.dispose();
  });

  it("ends the hosted UI's own session: the next hosted sign-in asks for the password again", async () => {
    const { client, navigate, authorizeUrl, visited } = makeClient();
    const email = await newUser(client);
    const jar = createCookieJar();
    await signInWithRedirect(client, { navigate });
    await completeSignIn(client, { url: await signInThroughHostedUi(authorizeUrl(), { username: email, password, jar }) });
    // While the hosted session lives, a new sign-in comes straight back.
    await signInWithRedirect(client, { navigate });
    expect(await signInThroughHostedUi(authorizeUrl(), { jar })).toMatch(/[?&]code=/);
    await signOut(client, { redirect: true, navigate });
    expect(await openHostedUi(visited.at(-1)!, { jar })).toEqual({ kind: "callback", url: "http://localhost:3000/" });
    await signInWithRedirect(client, { navigate });
    await expect(signInThroughHostedUi(authorizeUrl(), { jar })).rejects.toThrow(/username and password/);
    client.dispose();
  });
});
