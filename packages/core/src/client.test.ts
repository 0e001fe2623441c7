import { describe, expect, it } from "vitest";
import { createAuthClient } from "./client.js";
import { type AuthConfig, validateConfig } from "./config.js";
import { isAuthError } from "./errors.js";
import { createMemoryStorage } from "./platform/memory-storage.js";
import { createSessionStore } from "./store.js";

const config: AuthConfig = { region: "eu-west-1", userPoolId: "eu-west-1_AbC123", userPoolClientId: "1example23456789" };

function configError(check: (config: AuthConfig) => unknown, bad: unknown): string {
  try {
    check(bad as AuthConfig);
  } catch (error) {
    if (isAuthError(error, "ERR_INVALID_CONFIG")) return error.message;
    throw error;
  }
  throw new Error("no error");
}

describe("createAuthClient", () => {
  it.each([
    ["region", { ...config, region: "Europe" }],
    ["userPoolId", { ...config, userPoolId: "us-east-1_AbC123" }],
    ["userPoolClientId", { ...config, userPoolClientId: "not a client id" }],
    ["clientSecret", { ...config, clientSecret: "" }],
    ["identityPoolId", { ...config, identityPoolId: "nope" }],
    ["allowGuestAccess", { ...config, allowGuestAccess: "yes" }],
    ["userPoolEndpoint", { ...config, userPoolEndpoint: "ftp://example.com" }],
    ["identityPoolEndpoint", { ...config, identityPoolEndpoint: "not a url" }],
  ])("names `%s` when it is wrong", (field, bad) => {
    expect(configError((c) => createAuthClient(c), bad)).toContain(`\`${field}\``);
  });

  // The definition is defineAuth's to check; validateConfig checks it with the pool settings.
  it.each([
    ["loginWith.email", { ...config, loginWith: { email: "yes" } }],
    ["groups[1]", { ...config, groups: ["ADMINS", ""] }],
    ['userAttributes["custom:plan"].dataType', { ...config, userAttributes: { "custom:plan": { dataType: "Text" } } }],
    ["passwordPolicy.minLength", { ...config, passwordPolicy: { minLength: 3 } }],
  ])("leaves `%s` of the definition to validateConfig, which names it", (field, bad) => {
    expect(configError(validateConfig, bad)).toContain(`\`${field}\``);
    expect(() => createAuthClient(bad as AuthConfig)).not.toThrow();
  });

  it("refuses a config that is not an object", () => {
    expect(configError((c) => createAuthClient(c), null)).toContain("(root)");
  });

  it("makes independent clients, without touching the network at creation", () => {
    const fetch = () => Promise.reject(new Error("no network in this test"));
    const a = createAuthClient(config, { platform: { fetch } });
    const b = createAuthClient(config, { platform: { fetch } });
    expect(a).not.toBe(b);
    expect(a.getSnapshot()).not.toBe(b.getSnapshot());
  });
});

describe("a new client", () => {
  it("starts initializing, then reads as signed out when storage is empty", async () => {
    const client = createAuthClient(config, { platform: { storage: createMemoryStorage() } });
    expect(client.getSnapshot().status).toBe("initializing");
    const error = await client.getTokens().catch((e: unknown) => e);
    expect(isAuthError(error, "ERR_NOT_SIGNED_IN")).toBe(true);
    expect(client.getSnapshot()).toEqual({ status: "signedOut", user: null });
  });

  it("reads a corrupt stored session as signed out and removes it", async () => {
    const storage = createMemoryStorage();
    const key = `cogkit.${config.userPoolClientId}.session`;
    await storage.setItem(key, "{not json");
    const client = createAuthClient(config, { platform: { storage } });
    await client.getTokens().catch(() => undefined);
    expect(client.getSnapshot().status).toBe("signedOut");
    expect(await storage.getItem(key)).toBeNull();
  });

  it("reads a storage that throws as signed out", async () => {
    const storage = { getItem: () => Promise.reject(new Error("disk gone")), setItem() {}, removeItem() {} };
    const client = createAuthClient(config, { platform: { storage } });
    await client.getTokens().catch(() => undefined);
    expect(client.getSnapshot().status).toBe("signedOut");
  });

  it("throws TypeError for options that are not an object", () => {
    expect(() => createAuthClient(config, 5 as never)).toThrow(TypeError);
    expect(() => createAuthClient(config, { transport: {} as never })).toThrow(TypeError);
  });
});

describe("the session store", () => {
  const user = { username: "u", userId: "s", groups: [], attributes: { email: "a@b.c" } };
  const tokens = { idToken: "i", accessToken: "a", refreshToken: "r", expiresAt: 1, issuedAt: 0, clockDrift: 0 };

  it("keeps its snapshot while the content is the same, and tells listeners only of changes", () => {
    const store = createSessionStore();
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    const signedOut = store.getSnapshot();
    store.clear();
    expect(store.getSnapshot()).toBe(signedOut);
    store.setSession({ tokens, user });
    const signedIn = store.getSnapshot();
    store.setSession({ tokens: { ...tokens, accessToken: "a2" }, user: { ...user } });
    expect(store.getSnapshot()).toBe(signedIn);
    expect(store.getSession()?.tokens.accessToken).toBe("a2");
    expect(calls).toBe(1);
    unsubscribe();
    store.clear();
    expect(calls).toBe(1);
    expect(store.getSnapshot()).toEqual({ status: "signedOut", user: null });
  });

  it("throws TypeError for a listener that is not a function", () => {
    expect(() => createSessionStore().subscribe("nope" as never)).toThrow(TypeError);
  });
});
