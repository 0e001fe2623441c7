import { afterEach, describe, expect, it, vi } from "vitest";
import { createAuthClient } from "./client.js";
import { type AuthConfig, validateConfig } from "./config.js";
import { isAuthError } from "./errors.js";
import { createMemoryStorage } from "./platform/memory-storage.js";
import { snapshotOf } from "./auth-snapshot.js";
import type { KeyValueStorage } from "./platform/types.js";

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

  it("says a well-formed user pool id of another region is in another region, not malformed", () => {
    expect(configError((c) => createAuthClient(c), { ...config, userPoolId: "us-east-1_AbC123" })).toBe(
      "Invalid auth config: `userPoolId` is not in `region`.",
    );
    expect(configError((c) => createAuthClient(c), { ...config, userPoolId: "AbC123" })).toContain("`userPoolId` must be a user pool id <region>_<id>");
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
    const events: string[] = [];
    client.subscribe((event) => events.push(event.type === "storageWarning" ? `storageWarning:${event.problem}` : event.type));
    await client.getTokens().catch(() => undefined);
    expect(client.getSnapshot().status).toBe("signedOut");
    expect(await storage.getItem(key)).toBeNull();
    expect(events).toEqual(["storageWarning:corrupt"]);
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

describe("the snapshot", () => {
  const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
  const tokens = (claims: object, accessToken = "a") => ({ idToken: jwt(claims), accessToken, refreshToken: "r", expiresAt: 1, issuedAt: 0, clockDrift: 0 });
  const signedIn = (claims: object, accessToken?: string, lastError?: unknown) =>
    ({ status: "signedIn", seq: 1, tokens: tokens(claims, accessToken), refreshAt: 0, failures: 0, lastError }) as const;

  it("keeps its identity while the content is the same", () => {
    const first = snapshotOf(signedIn({ sub: "s", email: "a@b.c" }), { status: "initializing", user: null });
    expect(first).toEqual({ status: "signedIn", user: { username: "", userId: "s", groups: [], attributes: { sub: "s", email: "a@b.c" } } });
    expect(snapshotOf(signedIn({ sub: "s", email: "a@b.c" }, "a2"), first)).toBe(first);
    expect(snapshotOf(signedIn({ sub: "s", email: "new@b.c" }), first)).not.toBe(first);
  });

  it("carries the last refresh error while signed in, and why the session expired once signed out", () => {
    const error = new Error("offline");
    const first = snapshotOf(signedIn({ sub: "s" }), { status: "initializing", user: null });
    const failing = snapshotOf(signedIn({ sub: "s" }, "a", error), first);
    expect(failing).not.toBe(first);
    expect(failing.error).toBe(error);
    expect(snapshotOf({ status: "signedOut", seq: 2, error }, failing)).toEqual({ status: "signedOut", user: null, error });
  });
});

describe("tabs in a page", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("open a BroadcastChannel only over storage that tabs share", async () => {
    const opened: string[] = [];
    vi.stubGlobal("document", {});
    vi.stubGlobal(
      "BroadcastChannel",
      class extends BroadcastChannel {
        constructor(name: string) {
          super(name);
          opened.push(name);
        }
      },
    );
    const own = createMemoryStorage();
    const shared: KeyValueStorage = { ...createMemoryStorage(), shared: true };
    const perTab = createAuthClient(config, { platform: { storage: own } });
    await perTab.start();
    expect(opened).toEqual([]);
    const sharing = createAuthClient(config, { platform: { storage: shared } });
    await sharing.start();
    expect(opened).toEqual([`cogkit.${config.userPoolClientId}.session`]);
    perTab.dispose();
    sharing.dispose();
  });
});
