// The hosted-UI functions' parts that need no server: the authorize URL and the stored
// request signInWithRedirect makes, the config they read, the callback URLs completeSignIn
// refuses before any request, the id-token checks and the sign-out URL.
import { afterEach, describe, expect, it, vi } from "vitest";
import { type AuthConfig, createAuthClient, createMemoryStorage, defineAuth, isAuthError } from "@cogkit/core";
import { completeSignIn, signInWithRedirect, signOut } from "@cogkit/core/hosted-ui";
import { checkIdToken } from "../src/oauth/check-id-token.js";
import { hostedUiBaseUrl } from "../src/oauth/hosted-ui-settings.js";
import { oauthError } from "../src/oauth/oauth-error.js";
import { oauthRequestsKey } from "../src/oauth/pending-requests.js";
import { pkceChallenge } from "../src/oauth/pkce.js";
import { createTestClock } from "./test-clock.js";
import { fakeJwt } from "./test-tokens.js";
import { failure } from "./journey-support.js";

const config: AuthConfig = {
  region: "eu-west-1",
  userPoolId: "eu-west-1_abc",
  userPoolClientId: "client1",
  loginWith: {
    externalProviders: {
      domain: "auth.example.com",
      callbackUrls: ["https://app.example.com/callback", "http://localhost:3000/callback"],
      logoutUrls: ["https://app.example.com/", "http://localhost:3000/"],
    },
  },
};

function setUp(overrides: Partial<AuthConfig> = {}) {
  const storage = createMemoryStorage();
  const clock = createTestClock();
  const client = createAuthClient({ ...config, ...overrides }, { platform: { storage, clock } });
  const visited: string[] = [];
  const navigate = (url: string) => void visited.push(url);
  const stored = async () => JSON.parse((await storage.getItem(oauthRequestsKey("client1"))) ?? "null");
  return { client, storage, clock, visited, navigate, stored, lastUrl: () => new URL(visited.at(-1)!) };
}

afterEach(() => vi.unstubAllGlobals());

describe("signInWithRedirect", () => {
  it("leaves for the authorize endpoint with PKCE S256, state and nonce, and stores them for the callback", async () => {
    const { client, navigate, lastUrl, stored, clock } = setUp();
    await signInWithRedirect(client, { navigate, customState: "/orders/7" });
    const url = lastUrl();
    expect(url.origin + url.pathname).toBe("https://auth.example.com/oauth2/authorize");
    const p = Object.fromEntries(url.searchParams);
    expect(p).toMatchObject({ response_type: "code", client_id: "client1", redirect_uri: "https://app.example.com/callback", code_challenge_method: "S256" });
    // No scope named: Cognito grants every scope the app client allows.
    expect(p.scope).toBeUndefined();
    expect(p.identity_provider).toBeUndefined();
    expect(p.state).toMatch(/^[\w-]{43}$/);
    expect(p.nonce).toMatch(/^[\w-]{43}$/);
    const record = await stored();
    expect(record).toEqual({
      version: 1,
      requests: [
        {
          state: p.state,
          verifier: expect.stringMatching(/^[\w-]{64}$/),
          nonce: p.nonce,
          redirectUri: "https://app.example.com/callback",
          customState: "/orders/7",
          expiresAt: clock.now() + 600_000,
        },
      ],
    });
    expect(p.code_challenge).toBe(await pkceChallenge(crypto.subtle, record.requests[0].verifier));
    // The custom state stays here.
    expect(url.href).not.toContain("orders");
  });

  it("names Cognito's providers as Cognito does and passes the other options", async () => {
    const { client, navigate, lastUrl } = setUp();
    const providerOf = async (provider?: string) => {
      await signInWithRedirect(client, { navigate, provider });
      return lastUrl().searchParams.get("identity_provider");
    };
    expect(await providerOf("Apple")).toBe("SignInWithApple");
    expect(await providerOf("Amazon")).toBe("LoginWithAmazon");
    expect(await providerOf("Google")).toBe("Google");
    expect(await providerOf("Facebook")).toBe("Facebook");
    expect(await providerOf("MyOkta")).toBe("MyOkta");
    expect(await providerOf("COGNITO")).toBe("COGNITO");
    await signInWithRedirect(client, { navigate, scopes: ["openid", "email"], loginHint: "ana@example.com", lang: "fr", prompt: "login" });
    expect(Object.fromEntries(lastUrl().searchParams)).toMatchObject({ scope: "openid email", login_hint: "ana@example.com", lang: "fr", prompt: "login" });
  });

  it("comes back to the callback URL on the page's origin, else the first, unless told", async () => {
    const { client, navigate, lastUrl } = setUp();
    vi.stubGlobal("location", { origin: "http://localhost:3000" });
    await signInWithRedirect(client, { navigate });
    expect(lastUrl().searchParams.get("redirect_uri")).toBe("http://localhost:3000/callback");
    vi.stubGlobal("location", { origin: "https://elsewhere.example" });
    await signInWithRedirect(client, { navigate });
    expect(lastUrl().searchParams.get("redirect_uri")).toBe("https://app.example.com/callback");
    await signInWithRedirect(client, { navigate, redirectUri: "http://127.0.0.1:5173/cb" });
    expect(lastUrl().searchParams.get("redirect_uri")).toBe("http://127.0.0.1:5173/cb");
  });

  it("navigates with location.assign, read when called", async () => {
    const { client } = setUp();
    const assign = vi.fn();
    vi.stubGlobal("location", { origin: "http://localhost:3000", assign });
    await signInWithRedirect(client);
    expect(assign).toHaveBeenCalledWith(expect.stringMatching(/^https:\/\/auth\.example\.com\/oauth2\/authorize\?/));
  });

  it("keeps the five newest requests", async () => {
    const { client, navigate, stored, lastUrl } = setUp();
    const states: string[] = [];
    for (let i = 0; i < 7; i++) {
      await signInWithRedirect(client, { navigate });
      states.push(lastUrl().searchParams.get("state")!);
    }
    expect((await stored()).requests.map((r: { state: string }) => r.state)).toEqual(states.slice(2));
  });

  it("uses an http domain as it is (the emulator) and refuses a missing one, naming it", async () => {
    const withDomain = (domain?: string) =>
      setUp({ loginWith: { externalProviders: { ...config.loginWith!.externalProviders!, domain } } });
    const emulator = withDomain("http://127.0.0.1:9229/");
    await signInWithRedirect(emulator.client, { navigate: emulator.navigate });
    expect(emulator.visited[0]).toMatch(/^http:\/\/127\.0\.0\.1:9229\/oauth2\/authorize\?/);
    const missing = withDomain(undefined);
    const error = await failure(signInWithRedirect(missing.client, { navigate: missing.navigate }));
    expect(error.code).toBe("ERR_INVALID_CONFIG");
    expect(error.message).toContain("loginWith.externalProviders.domain");
    expect(missing.visited).toEqual([]);
    const none = setUp({ loginWith: { email: true } });
    expect((await failure(signInWithRedirect(none.client, { navigate: none.navigate }))).message).toContain("loginWith.externalProviders.domain");
  });

  it("throws a TypeError naming what is wrong, at once", () => {
    const { client, navigate } = setUp();
    const call = (options: unknown) => () => signInWithRedirect(client, { navigate, ...(options as object) });
    expect(call({ provider: 7 })).toThrow(/`provider`/);
    expect(call({ scopes: "openid" })).toThrow(/`scopes`/);
    expect(call({ scopes: ["email"] })).toThrow(/`scopes` must include "openid"/);
    expect(call({ scopes: ["openid", "two words"] })).toThrow(/`scopes`/);
    expect(call({ customState: {} })).toThrow(/`customState`/);
    expect(call({ prompt: "always" })).toThrow(/`prompt`/);
    expect(call({ redirectUri: "/callback" })).toThrow(/`redirectUri`/);
    expect(call({ navigate: "yes" })).toThrow(/`navigate`/);
    expect(() => signInWithRedirect({} as never, { navigate })).toThrow(TypeError);
    // No location (a server, a CLI) and no navigate.
    expect(() => signInWithRedirect(client)).toThrow(/`navigate`/);
  });
});

describe("completeSignIn before any request", () => {
  it("answers null for a URL that carries no callback", async () => {
    const { client } = setUp();
    expect(await completeSignIn(client, { url: "https://app.example.com/callback" })).toBeNull();
    expect(await completeSignIn(client, { url: "https://app.example.com/invite?code=ABC" })).toBeNull();
    vi.stubGlobal("location", { href: "https://app.example.com/" });
    expect(await completeSignIn(client)).toBeNull();
  });

  it("refuses a state it does not know, an expired one and a used one, with ERR_INVALID_STATE", async () => {
    const { client, navigate, lastUrl, clock } = setUp();
    const unknown = await failure(completeSignIn(client, { url: "https://app.example.com/callback?code=c0de&state=forged" }));
    expect(unknown.code).toBe("ERR_INVALID_STATE");
    expect(unknown.message).not.toContain("c0de");
    await signInWithRedirect(client, { navigate });
    const state = lastUrl().searchParams.get("state")!;
    await clock.advance(600_001);
    expect((await failure(completeSignIn(client, { url: `https://app.example.com/callback?code=c0de&state=${state}` }))).code).toBe("ERR_INVALID_STATE");
  });

  it("turns an error callback into an AuthError that keeps the OAuth code, and uses the request up", async () => {
    const { client, navigate, lastUrl, stored } = setUp();
    await signInWithRedirect(client, { navigate });
    const state = lastUrl().searchParams.get("state")!;
    const url = `https://app.example.com/callback?error=access_denied&error_description=User+cancelled+login&state=${state}`;
    const error = await failure(completeSignIn(client, { url }));
    expect(error).toMatchObject({ code: "ERR_NOT_AUTHORIZED", serviceCode: "access_denied", retryable: false });
    expect(error.message).toContain("User cancelled login");
    expect(await stored()).toBeNull();
    // The same URL again: the same answer.
    expect(await completeSignIn(client, { url }).catch((e: unknown) => e)).toBe(error);
  });

  it("throws a TypeError when there is no URL to read", () => {
    const { client } = setUp();
    expect(() => completeSignIn(client)).toThrow(/`url`/);
    expect(() => completeSignIn(client, { url: "callback?code=1" })).toThrow(/`url` must be an absolute URL/);
    expect(() => completeSignIn(client, { url: 7 as never })).toThrow(/`url`/);
  });
});

describe("OAuth errors", () => {
  it("map to codes, keep the OAuth code and show the description cut to printable text", () => {
    expect(oauthError("invalid_scope", "bad scope", "x")).toMatchObject({ code: "ERR_INVALID_PARAMETER", serviceCode: "invalid_scope" });
    expect(oauthError("invalid_grant", undefined, "x")).toMatchObject({ code: "ERR_NOT_AUTHORIZED", message: "x failed (invalid_grant)" });
    expect(oauthError("server_error", "", "x")).toMatchObject({ code: "ERR_SERVICE", retryable: true });
    const odd = oauthError("<script>", "a\nb".padEnd(500, "c"), "x");
    expect(odd.code).toBe("ERR_UNKNOWN");
    expect(odd.message).not.toContain("<script>");
    expect(odd.message).not.toContain("\n");
    expect(odd.message.length).toBeLessThan(230);
  });
});

describe("the id token checks", () => {
  const claims = { iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc", aud: "client1", nonce: "n1", token_use: "id" };
  const check = (changes: Record<string, unknown>, settings: Partial<AuthConfig> = {}) => () =>
    checkIdToken({ ...config, ...settings }, fakeJwt({ ...claims, ...changes }), "n1");

  it("accept this pool, client and nonce, also under the endpoint's issuer", () => {
    expect(check({})).not.toThrow();
    expect(check({ iss: "http://127.0.0.1:9229/eu-west-1_abc" }, { userPoolEndpoint: "http://127.0.0.1:9229/" })).not.toThrow();
    expect(check({ aud: ["other", "client1"] })).not.toThrow();
  });

  it("refuse another issuer, audience or nonce, naming the claim", () => {
    for (const [claim, value] of [
      ["iss", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other"],
      ["iss", "http://127.0.0.1:9229/eu-west-1_abc"],
      ["aud", "client2"],
      ["nonce", "n2"],
      ["nonce", undefined],
      ["token_use", "access"],
    ] as const) {
      expect(check({ [claim]: value }), claim).toThrow(expect.objectContaining({ code: "ERR_TOKEN_INVALID", message: expect.stringContaining(`\`${claim}\``) }));
    }
    expect(() => checkIdToken(config, "not-a-jwt", "n1")).toThrow(expect.objectContaining({ code: "ERR_TOKEN_INVALID" }));
  });
});

describe("the hosted UI domain", () => {
  it("is an http(s) URL, or a bare host meaning https", () => {
    expect(hostedUiBaseUrl("auth.example.com")).toBe("https://auth.example.com");
    expect(hostedUiBaseUrl("localhost:9229")).toBe("https://localhost:9229");
    expect(hostedUiBaseUrl("http://127.0.0.1:9229/")).toBe("http://127.0.0.1:9229");
    expect(hostedUiBaseUrl("https://example.com/auth/")).toBe("https://example.com/auth");
    for (const bad of ["", "ftp://example.com", "https://example.com/?a=1", "https://u:p@example.com", "http:example.com", "not a host", 7]) {
      expect(hostedUiBaseUrl(bad), String(bad)).toBeUndefined();
    }
  });

  it("is checked by defineAuth, naming the field", () => {
    const define = (domain: string) => () => defineAuth({ loginWith: { externalProviders: { domain, callbackUrls: [], logoutUrls: [] } } });
    expect(define("auth.example.com")).not.toThrow();
    expect(define("http://localhost:9229")).not.toThrow();
    let error: unknown;
    try {
      define("ftp://auth.example.com")();
    } catch (e) {
      error = e;
    }
    expect(isAuthError(error, "ERR_INVALID_CONFIG")).toBe(true);
    expect((error as Error).message).toContain("loginWith.externalProviders.domain");
  });
});

describe("signOut with redirect", () => {
  it("signs out here, then leaves for /logout with the client id and the logout URI on the page's origin", async () => {
    const { client, navigate, visited } = setUp();
    vi.stubGlobal("location", { origin: "http://localhost:3000" });
    await signOut(client, { redirect: true, navigate });
    expect(visited).toEqual(["https://auth.example.com/logout?client_id=client1&logout_uri=http%3A%2F%2Flocalhost%3A3000%2F"]);
    expect(client.getSnapshot().status).toBe("signedOut");
    await signOut(client, { redirect: true, navigate, logoutUri: "https://app.example.com/bye" });
    expect(visited[1]).toBe("https://auth.example.com/logout?client_id=client1&logout_uri=https%3A%2F%2Fapp.example.com%2Fbye");
    await signOut(client, { navigate });
    expect(visited).toHaveLength(2);
  });

  it("checks what the redirect needs before signing anybody out", async () => {
    const { client, navigate } = setUp({ loginWith: { externalProviders: { domain: "auth.example.com", callbackUrls: [], logoutUrls: [] } } });
    expect((await failure(signOut(client, { redirect: true, navigate }))).message).toContain("logoutUrls");
    expect(() => signOut(client, { redirect: true })).toThrow(/`navigate`/);
    expect(() => signOut(client, { redirect: true, navigate, logoutUri: "bye" })).toThrow(/`logoutUri`/);
  });
});
