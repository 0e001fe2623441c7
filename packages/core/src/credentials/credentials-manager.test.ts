import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAwsSdkTransport } from "../aws-sdk.js";
import { type AuthError, isAuthError } from "../errors.js";
import { createMemoryStorage } from "../platform/memory-storage.js";
import type { LockManager } from "../platform/types.js";
import { createTestClock, settle, type TestClock } from "../../test/test-clock.js";
import { fakeJwt } from "../../test/test-tokens.js";
import { createFetchTransport } from "../transport/fetch-transport.js";
import type { CognitoTransport } from "../transport/types.js";
import { createCredentialsManager, type CredentialsManagerOptions } from "./credentials-manager.js";
import { identityStoreKey } from "./identity-store.js";
import type { Logins } from "./logins.js";
import { createTestIdentityPool, identityPoolEndpoint, identityPoolId } from "../../test/test-identity-pool.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const endpoints = { region: "eu-west-1", identityPoolEndpoint };
const poolKey = "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test";
const hour = 3600_000;
const margin = 5 * 60_000;
const idToken = (sub: string, tag = "1") => fakeJwt({ sub, token_use: "id", tag });

const transports: Array<[string, () => CognitoTransport]> = [
  ["fetch", () => createFetchTransport(endpoints)],
  ["aws-sdk", () => createAwsSdkTransport(endpoints)],
];

describe.each(transports)("credentials over the %s transport", (_, makeTransport) => {
  let clock: TestClock;
  let pool: ReturnType<typeof createTestIdentityPool>;
  let storage: ReturnType<typeof createMemoryStorage>;
  let logins: Logins | undefined;
  let transport: CognitoTransport;

  beforeEach(() => {
    // The pool's clock is whole seconds, as Cognito's Expiration is.
    clock = createTestClock(1_700_000_000_000);
    pool = createTestIdentityPool({ now: () => clock.now() });
    server.use(pool.handler);
    storage = createMemoryStorage();
    logins = undefined;
    transport = makeTransport();
  });

  const manager = (overrides: Partial<CredentialsManagerOptions> = {}) =>
    createCredentialsManager({
      config: { identityPoolId },
      transport,
      platform: { clock, storage },
      getLogins: async () => logins,
      random: () => 0.5,
      ...overrides,
    });

  /** Waits for `promise`, advancing the test clock through any backoff it schedules. */
  async function drive<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    promise.then(
      () => (done = true),
      () => (done = true),
    );
    for (let turns = 0; !done && turns < 10_000; turns++) {
      const at = clock.nextTimerAt();
      if (at !== undefined) await clock.advanceTo(at);
      else await settle();
    }
    return promise;
  }

  async function failure(promise: Promise<unknown>): Promise<AuthError> {
    const error = await drive(promise).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${String(error)}`);
    return error;
  }

  const stored = async () => JSON.parse((await storage.getItem(identityStoreKey(identityPoolId))) ?? "null");

  it("gets guest credentials with GetId then GetCredentialsForIdentity, and stores the guest identity", async () => {
    const credentials = await manager().getCredentials();
    expect(pool.calls.map((c) => c.operation)).toEqual(["GetId", "GetCredentialsForIdentity"]);
    expect(pool.calls[0]!.body).toEqual({ IdentityPoolId: identityPoolId });
    expect(credentials).toEqual({
      accessKeyId: "ASIA1",
      secretAccessKey: "secret-1",
      sessionToken: "session-1",
      expiration: new Date(clock.now() + hour),
      identityId: expect.stringMatching(/^eu-west-1:0+1-/),
      authenticated: false,
    });
    expect(await stored()).toEqual({ v: 1, id: credentials.identityId, subject: null });
  });

  it("needs one round trip when the identity id is already stored", async () => {
    const first = await manager().getCredentials();
    const again = await manager().getCredentials(); // a new page load: same storage, empty cache
    expect(pool.count("GetId")).toBe(1);
    expect(pool.count("GetCredentialsForIdentity")).toBe(2);
    expect(again.identityId).toBe(first.identityId);
  });

  it("makes one GetId and one GetCredentialsForIdentity for 100 concurrent cold callers", async () => {
    const credentials = manager();
    const all = await Promise.all(Array.from({ length: 100 }, () => credentials.getCredentials()));
    expect(pool.count("GetId")).toBe(1);
    expect(pool.count("GetCredentialsForIdentity")).toBe(1);
    expect(new Set(all).size).toBe(1);
  });

  it("answers 10,000 calls from the cache, and asks again once past expiry minus the margin", async () => {
    const credentials = manager();
    const first = await credentials.getCredentials();
    for (let i = 0; i < 10_000; i++) expect(await credentials.getCredentials()).toBe(first);
    expect(pool.calls).toHaveLength(2);

    await clock.advanceTo(first.expiration.getTime() - margin - 1);
    expect(await credentials.getCredentials()).toBe(first);
    expect(pool.calls).toHaveLength(2);

    await clock.advanceTo(first.expiration.getTime() - margin);
    const renewed = await Promise.all([credentials.getCredentials(), credentials.getCredentials()]);
    expect(pool.calls.map((c) => c.operation)).toEqual(["GetId", "GetCredentialsForIdentity", "GetCredentialsForIdentity"]);
    expect(renewed[0]).toBe(renewed[1]);
    expect(renewed[0]).not.toBe(first);
    expect(renewed[0]!.identityId).toBe(first.identityId);
  });

  it("keeps short-lived credentials for half their life rather than refetching at once", async () => {
    pool.fault("GetId", { status: 200, body: { IdentityId: "eu-west-1:short" } });
    pool.fault("GetCredentialsForIdentity", {
      status: 200,
      body: { IdentityId: "eu-west-1:short", Credentials: { AccessKeyId: "A", SecretKey: "S", SessionToken: "T", Expiration: clock.now() / 1000 + 240 } },
    });
    const credentials = manager();
    const first = await credentials.getCredentials();
    await clock.advance(119_000);
    expect(await credentials.getCredentials()).toBe(first);
    expect(pool.calls).toHaveLength(2);
  });

  it("asks Cognito again on forceRefresh", async () => {
    const credentials = manager();
    const first = await credentials.getCredentials();
    const second = await credentials.getCredentials({ forceRefresh: true });
    expect(second).not.toBe(first);
    expect(pool.calls.map((c) => c.operation)).toEqual(["GetId", "GetCredentialsForIdentity", "GetCredentialsForIdentity"]);
  });

  it("carries the guest identity into the sign-in, keeps the identity Cognito answers, and renews with the refreshed token", async () => {
    const credentials = manager();
    const guest = await credentials.getCredentials();

    logins = { [poolKey]: idToken("alice") };
    const alice = await credentials.getCredentials();
    expect(pool.calls.slice(2)).toEqual([
      { operation: "GetCredentialsForIdentity", body: { IdentityId: guest.identityId, Logins: logins } },
    ]);
    expect(alice).toMatchObject({ identityId: guest.identityId, authenticated: true });
    expect(await stored()).toEqual({ v: 1, id: guest.identityId, subject: `${poolKey}#alice` });

    // Alice's refreshed id token keeps her credentials until they are due...
    logins = { [poolKey]: idToken("alice", "refreshed") };
    expect(await credentials.getCredentials()).toBe(alice);
    expect(pool.calls).toHaveLength(3);
    // ...and renewing them presents the refreshed token.
    await clock.advanceTo(alice.expiration.getTime() - margin);
    const renewed = await credentials.getCredentials();
    expect(pool.calls.slice(3)).toEqual([
      { operation: "GetCredentialsForIdentity", body: { IdentityId: guest.identityId, Logins: logins } },
    ]);
    expect(renewed.identityId).toBe(alice.identityId);
  });

  it("keys opaque tokens by the token itself, since they name nobody", async () => {
    logins = { "graph.facebook.com": "EAAB-opaque-1" };
    const credentials = manager();
    const first = await credentials.getCredentials();
    expect(await credentials.getCredentials()).toBe(first);
    logins = { "graph.facebook.com": "EAAB-opaque-2" };
    expect(await credentials.getCredentials()).not.toBe(first);
  });

  it("stores the identity Cognito merged the guest into", async () => {
    logins = { [poolKey]: idToken("bob") };
    const bob = await manager().getCredentials();
    const other = createMemoryStorage();
    const onOtherDevice = manager({ platform: { clock, storage: other } });
    logins = undefined;
    const guest = await onOtherDevice.getCredentials();
    expect(guest.identityId).not.toBe(bob.identityId);

    logins = { [poolKey]: idToken("bob") };
    const merged = await onOtherDevice.getCredentials();
    expect(merged).toMatchObject({ identityId: bob.identityId, authenticated: true });
    expect(JSON.parse((await other.getItem(identityStoreKey(identityPoolId)))!)).toEqual({
      v: 1,
      id: bob.identityId,
      subject: `${poolKey}#bob`,
    });
  });

  it("returns to a fresh guest identity after sign-out", async () => {
    const credentials = manager();
    const guest = await credentials.getCredentials();
    logins = { [poolKey]: idToken("carol") };
    const carol = await credentials.getCredentials();
    logins = undefined;
    const after = await credentials.getCredentials();
    expect(after.authenticated).toBe(false);
    expect(after.identityId).not.toBe(carol.identityId);
    expect(after.identityId).not.toBe(guest.identityId);
    expect(pool.calls.slice(3).map((c) => c.operation)).toEqual(["GetId", "GetCredentialsForIdentity"]);
    expect(pool.calls[3]!.body).toEqual({ IdentityPoolId: identityPoolId });
    expect(await stored()).toEqual({ v: 1, id: after.identityId, subject: null });
  });

  it("does not hand one user's stored identity to another user", async () => {
    logins = { [poolKey]: idToken("dave") };
    const dave = await manager().getCredentials();
    logins = { [poolKey]: idToken("erin") };
    const erin = await manager().getCredentials();
    expect(erin.identityId).not.toBe(dave.identityId);
    expect(pool.calls.slice(2).map((c) => c.operation)).toEqual(["GetId", "GetCredentialsForIdentity"]);
  });

  it("asks GetId for opaque tokens, whose user cannot be read", async () => {
    logins = { "graph.facebook.com": "EAAB-opaque-1" };
    const first = await manager().getCredentials();
    logins = { "graph.facebook.com": "EAAB-opaque-2" };
    const second = await manager().getCredentials();
    expect(pool.count("GetId")).toBe(2);
    expect(second.identityId).not.toBe(first.identityId);
  });

  it("obtains a deleted identity again, once", async () => {
    const first = await manager().getCredentials();
    pool.deleteIdentity(first.identityId);
    const again = await manager().getCredentials();
    expect(again.identityId).not.toBe(first.identityId);
    expect(pool.calls.slice(2).map((c) => c.operation)).toEqual(["GetCredentialsForIdentity", "GetId", "GetCredentialsForIdentity"]);
    expect(await stored()).toEqual({ v: 1, id: again.identityId, subject: null });
  });

  it("gives up with ERR_IDENTITY_NOT_FOUND when the new identity is not found either", async () => {
    await manager().getCredentials();
    pool.serviceError("GetCredentialsForIdentity", "ResourceNotFoundException");
    pool.serviceError("GetCredentialsForIdentity", "ResourceNotFoundException");
    const error = await failure(manager().getCredentials());
    expect(error).toMatchObject({ code: "ERR_IDENTITY_NOT_FOUND", serviceCode: "ResourceNotFoundException" });
    expect(pool.calls.slice(2).map((c) => c.operation)).toEqual(["GetCredentialsForIdentity", "GetId", "GetCredentialsForIdentity"]);
  });

  it("replaces a forbidden guest identity with a new guest identity", async () => {
    const first = await manager().getCredentials();
    pool.forbid(first.identityId);
    const again = await manager().getCredentials();
    expect(again).toMatchObject({ authenticated: false });
    expect(again.identityId).not.toBe(first.identityId);
    expect(pool.calls.slice(2).map((c) => c.operation)).toEqual(["GetCredentialsForIdentity", "GetId", "GetCredentialsForIdentity"]);
  });

  it("keeps the guest identity when a sign-in presents a bad token", async () => {
    const guest = await manager().getCredentials();
    logins = { [poolKey]: "bad-token" };
    const error = await failure(manager().getCredentials());
    expect(error.code).toBe("ERR_NOT_AUTHORIZED");
    expect(await stored()).toEqual({ v: 1, id: guest.identityId, subject: null });
  });

  it("keeps the guest identity when a sign-in is refused its role, even after trying a new identity", async () => {
    const guest = await manager().getCredentials();
    logins = { [poolKey]: idToken("ivan") };
    pool.serviceError("GetCredentialsForIdentity", "NotAuthorizedException");
    pool.serviceError("GetCredentialsForIdentity", "NotAuthorizedException");
    const error = await failure(manager({ customRoleArn: "arn:aws:iam::123456789012:role/NotMine" }).getCredentials());
    expect(error.code).toBe("ERR_NOT_AUTHORIZED");
    expect(pool.calls.slice(2).map((c) => c.operation)).toEqual(["GetCredentialsForIdentity", "GetId", "GetCredentialsForIdentity"]);
    expect(await stored()).toEqual({ v: 1, id: guest.identityId, subject: null });
  });

  it("sends no CustomRoleArn for a guest", async () => {
    await manager({ customRoleArn: "arn:aws:iam::123456789012:role/Any" }).getCredentials();
    expect(pool.calls[1]!.body).not.toHaveProperty("CustomRoleArn");
  });

  it("keeps an authenticated identity when Cognito refuses its token", async () => {
    logins = { [poolKey]: idToken("frank") };
    const frank = await manager().getCredentials();
    pool.serviceError("GetCredentialsForIdentity", "NotAuthorizedException", 400, "Token is expired.");
    const error = await failure(manager().getCredentials());
    expect(error).toMatchObject({ code: "ERR_NOT_AUTHORIZED", serviceCode: "NotAuthorizedException" });
    expect(pool.calls.slice(2).map((c) => c.operation)).toEqual(["GetCredentialsForIdentity"]);
    expect(await stored()).toEqual({ v: 1, id: frank.identityId, subject: `${poolKey}#frank` });
  });

  it("retries throttling and 500s with backoff on the injected clock, keeping the identity id", async () => {
    const first = await manager().getCredentials();
    pool.serviceError("GetCredentialsForIdentity", "TooManyRequestsException");
    pool.serviceError("GetCredentialsForIdentity", "InternalErrorException", 500);
    pool.fault("GetCredentialsForIdentity", { status: 503, raw: "<html>Service Unavailable</html>" });
    const started = clock.now();
    const again = await drive(manager().getCredentials());
    expect(again.identityId).toBe(first.identityId);
    expect(pool.count("GetCredentialsForIdentity")).toBe(5);
    expect(pool.count("GetId")).toBe(1);
    // 100 + 200 + 400 ms: half of each capped ceiling, plus half again with random() = 0.5.
    expect(clock.now() - started).toBe(150 + 300 + 600);
  });

  it("gives up after a few retries with the transient error, and never drops the identity id", async () => {
    const first = await manager().getCredentials();
    for (let i = 0; i < 4; i++) pool.serviceError("GetCredentialsForIdentity", "ThrottlingException");
    const error = await failure(manager().getCredentials());
    expect(error).toMatchObject({ code: "ERR_THROTTLED", retryable: true });
    expect(pool.count("GetCredentialsForIdentity")).toBe(5);
    expect(await stored()).toEqual({ v: 1, id: first.identityId, subject: null });
  });

  it.each([
    ["GetId without an IdentityId", "GetId", { status: 200, body: {} }],
    ["credentials without a session token", "GetCredentialsForIdentity", { status: 200, body: { IdentityId: "x", Credentials: { AccessKeyId: "A", SecretKey: "S", Expiration: 1_800_000_000 } } }],
    ["no credentials at all", "GetCredentialsForIdentity", { status: 200, body: { IdentityId: "x" } }],
    ["an expiration that is not a time", "GetCredentialsForIdentity", { status: 200, body: { IdentityId: "x", Credentials: { AccessKeyId: "A", SecretKey: "S", SessionToken: "T", Expiration: "soon" } } }],
    ["an answer that is not JSON", "GetId", { status: 200, raw: "<html>" }],
  ] as const)("rejects %s with ERR_BAD_RESPONSE", async (_name, operation, reply) => {
    pool.fault(operation, reply);
    const error = await failure(manager().getCredentials());
    expect(error.code).toBe("ERR_BAD_RESPONSE");
    expect(error.retryable).toBe(false);
  });

  it("refuses guests with ERR_GUEST_ACCESS_DISABLED when allowGuestAccess is off, without a request", async () => {
    const error = await failure(manager({ config: { identityPoolId, allowGuestAccess: false } }).getCredentials());
    expect(error.code).toBe("ERR_GUEST_ACCESS_DISABLED");
    expect(pool.calls).toHaveLength(0);
    logins = { [poolKey]: idToken("gina") };
    expect((await manager({ config: { identityPoolId, allowGuestAccess: false } }).getCredentials()).authenticated).toBe(true);
  });

  it("says ERR_GUEST_ACCESS_DISABLED when the identity pool takes no guests", async () => {
    server.resetHandlers();
    pool = createTestIdentityPool({ now: () => clock.now(), allowGuests: false });
    server.use(pool.handler);
    const error = await failure(manager().getCredentials());
    expect(error).toMatchObject({ code: "ERR_GUEST_ACCESS_DISABLED", serviceCode: "NotAuthorizedException" });
  });

  it("rejects with ERR_NO_IDENTITY_POOL when no identity pool is configured", async () => {
    const error = await failure(manager({ config: {} }).getCredentials());
    expect(error.code).toBe("ERR_NO_IDENTITY_POOL");
    expect(pool.calls).toHaveLength(0);
  });

  it("sends the custom role and caches per role", async () => {
    logins = { [poolKey]: idToken("hal") };
    const credentials = manager({ customRoleArn: "arn:aws:iam::123456789012:role/Default" });
    await credentials.getCredentials();
    await credentials.getCredentials({ customRoleArn: "arn:aws:iam::123456789012:role/Admin" });
    await credentials.getCredentials({ customRoleArn: "arn:aws:iam::123456789012:role/Admin" });
    expect(pool.calls.filter((c) => c.operation === "GetCredentialsForIdentity").map((c) => c.body.CustomRoleArn)).toEqual([
      "arn:aws:iam::123456789012:role/Default",
      "arn:aws:iam::123456789012:role/Admin",
    ]);
  });

  it("tells the identity id from storage without a request once known", async () => {
    const first = await manager().getCredentials();
    expect(await manager().getIdentityId()).toBe(first.identityId);
    expect(pool.calls).toHaveLength(2);
    await storage.removeItem(identityStoreKey(identityPoolId));
    const fresh = await manager().getIdentityId();
    expect(fresh).not.toBe(first.identityId);
    expect(pool.calls).toHaveLength(4);
  });

  it("forgets cached credentials and, when asked, the identity on clear", async () => {
    const credentials = manager();
    const first = await credentials.getCredentials();
    await credentials.clear();
    expect((await credentials.getCredentials()).identityId).toBe(first.identityId);
    expect(pool.calls).toHaveLength(3);
    await credentials.clear({ identity: true });
    expect(await stored()).toBeNull();
    expect((await credentials.getCredentials()).identityId).not.toBe(first.identityId);
  });

  it("rejects an aborted caller with ERR_ABORTED while others still get the credentials", async () => {
    const credentials = manager();
    const controller = new AbortController();
    const aborted = credentials.getCredentials({ signal: controller.signal });
    const other = credentials.getCredentials();
    controller.abort();
    expect((await failure(aborted)).code).toBe("ERR_ABORTED");
    expect((await other).accessKeyId).toBe("ASIA1");
    expect(pool.calls).toHaveLength(2);
  });

  it("still gets credentials when the storage refuses to write", async () => {
    const refusing = { getItem: () => null, setItem: () => Promise.reject(new Error("QuotaExceededError")), removeItem: () => { throw new Error("denied"); } };
    const credentials = manager({ platform: { clock, storage: refusing } });
    expect((await credentials.getCredentials()).accessKeyId).toBe("ASIA1");
    await credentials.clear({ identity: true });
  });

  it("shares one identity between two cold tabs that take turns under the platform lock", async () => {
    let queue = Promise.resolve();
    const lock: LockManager = (_name, task) => {
      const turn = queue.then(task);
      queue = turn.then(
        () => undefined,
        () => undefined,
      );
      return turn;
    };
    const tab = () => manager({ platform: { clock, storage, lock } });
    const [a, b] = await Promise.all([tab().getCredentials(), tab().getCredentials()]);
    expect(a.identityId).toBe(b.identityId);
    expect(pool.calls.map((c) => c.operation)).toEqual(["GetId", "GetCredentialsForIdentity", "GetCredentialsForIdentity"]);
  });

  it("goes on without the lock when it cannot be had", async () => {
    const lock: LockManager = () => Promise.reject(new Error("lock timeout"));
    expect((await manager({ platform: { clock, storage, lock } }).getCredentials()).accessKeyId).toBe("ASIA1");
  });

  it("treats a corrupt identity record as none", async () => {
    await storage.setItem(identityStoreKey(identityPoolId), "{not json");
    const credentials = await manager().getCredentials();
    expect(pool.count("GetId")).toBe(1);
    expect(await stored()).toEqual({ v: 1, id: credentials.identityId, subject: null });
  });
});
