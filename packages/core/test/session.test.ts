import { afterEach, describe, expect, it } from "vitest";
import { type AuthClient, createMemoryStorage, isAuthError, type KeyValueStorage, type LockManager } from "@cogkit/core";
import {
  createLocks,
  type Harness,
  lifetimeMs,
  marginMs,
  nextEvent,
  password,
  realBroadcast,
  recordEvents,
  rejection,
  seededRandomBytes,
  startHarness,
  transports,
} from "./session-support.js";

let harness: Harness | undefined;
async function start(options?: Parameters<typeof startHarness>[0]) {
  harness = await startHarness(options);
  return harness;
}
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe.each(transports)("the session over the $name transport", ({ name: transport }) => {
  it("refreshes proactively once, at the margin before expiry, and serves the new tokens without another call", async () => {
    const h = await start();
    const client = h.client({ transport });
    const username = await h.newUser(client);
    await client.signIn({ username, password });
    const first = await client.getTokens();
    // Timed on the local clock from the token's iat: expiry is a lifetime after receipt.
    expect(first.expiresAt).toBe(h.clock.now() + lifetimeMs);
    expect(h.clock.nextTimerAt()).toBe(first.expiresAt - marginMs);

    await h.advance(first.expiresAt - marginMs - 1 - h.clock.now());
    expect(h.refreshCalls()).toBe(0);
    const statuses: string[] = [];
    client.subscribe(() => statuses.push(client.getSnapshot().status));
    const refreshed = nextEvent(client, "tokenRefreshed");
    await h.advance(1);
    expect((await refreshed).source).toBe("refresh");
    expect(h.refreshCalls()).toBe(1);
    expect(statuses).toEqual(["refreshing", "signedIn"]);

    const second = await client.getTokens();
    expect(second.accessToken.jwt).not.toBe(first.accessToken.jwt);
    expect(second.refreshToken).toBe(first.refreshToken);
    expect(second.idToken.payload.email).toBe(username);
    expect(await client.getTokens()).toBe(second); // decoded once per session
    expect(h.refreshCalls()).toBe(1);
    expect(h.clock.nextTimerAt()).toBe(second.expiresAt - marginMs);
    expect(client.getSnapshot()).toMatchObject({ status: "signedIn", user: { attributes: { email: username } } });

    // Signing out ends the session here at once and revokes its refresh token at Cognito.
    await client.signOut();
    expect(h.emulator.callCount("RevokeToken")).toBe(1);
    expect(client.getSnapshot()).toEqual({ status: "signedOut", user: null });
    expect(h.clock.pendingTimers()).toBe(0);
    const revoked = h.client({ transport });
    await revoked.start();
    await expect(revoked.getTokens()).rejects.toMatchObject({ code: "ERR_NOT_SIGNED_IN" });
  });

  it("makes exactly one refresh call for 1,000 concurrent getTokens() at expiry", async () => {
    const h = await start();
    const { client } = await h.signedIn({ transport });
    const before = await client.getTokens();
    client.stop(); // no proactive refresh: the callers get there first
    await h.advance(before.expiresAt + 1 - h.clock.now());
    expect(h.refreshCalls()).toBe(0);
    const results = await Promise.all(Array.from({ length: 1000 }, () => client.getTokens()));
    expect(h.refreshCalls()).toBe(1);
    expect(new Set(results.map((tokens) => tokens.accessToken.jwt)).size).toBe(1);
    expect(results[0]!.accessToken.jwt).not.toBe(before.accessToken.jwt);
    expect(results[0]!.expiresAt).toBeGreaterThan(h.clock.now());
  });

  it("refreshes on demand with forceRefresh, inside the margin or not", async () => {
    const h = await start();
    const { client } = await h.signedIn({ transport });
    const before = await client.getTokens();
    const after = await client.getTokens({ forceRefresh: true });
    expect(h.refreshCalls()).toBe(1);
    expect(after.accessToken.jwt).not.toBe(before.accessToken.jwt);
  });

  it.each([10, 1000])("makes one refresh call for %i concurrent forced callers, who all get its tokens", async (callers) => {
    const h = await start();
    const { client } = await h.signedIn({ transport });
    const before = await client.getTokens();
    const results = await Promise.all(Array.from({ length: callers }, () => client.getTokens({ forceRefresh: true })));
    expect(h.refreshCalls()).toBe(1);
    expect(new Set(results.map((tokens) => tokens.accessToken.jwt)).size).toBe(1);
    expect(results[0]!.accessToken.jwt).not.toBe(before.accessToken.jwt);
  });

  it("rejects a forced refresh that fails transiently with the retryable error, keeps the session and retries it", async () => {
    const h = await start();
    const storage = createMemoryStorage();
    const { client } = await h.signedIn({ transport, storage });
    const before = await client.getTokens();
    const record = await storage.getItem(h.key);
    h.emulator.injectFault("GetTokensFromRefreshToken", { status: 503 });
    const failed = nextEvent(client, "tokenRefreshFailed");
    // The caller asked for new tokens: the old ones are no answer.
    expect(await rejection(client.getTokens({ forceRefresh: true }))).toMatchObject({ code: "ERR_SERVICE", retryable: true });
    const { retryAt } = await failed;
    expect(client.getSnapshot().status).toBe("signedIn");
    expect(await storage.getItem(h.key)).toBe(record);
    expect(h.clock.nextTimerAt()).toBe(retryAt);
    // Without force, the valid tokens still serve, as after any transient failure.
    expect(await client.getTokens()).toBe(before);
    const refreshed = nextEvent(client, "tokenRefreshed");
    await h.runNextTimer();
    await refreshed;
    expect((await client.getTokens()).accessToken.jwt).not.toBe(before.accessToken.jwt);
    expect(h.refreshCalls()).toBe(2);
  });
});

describe("forced refresh while a refresh request is on its way", () => {
  it("gives callers who asked after the request left one more refresh, shared by all of them", async () => {
    const h = await start();
    const { client } = await h.signedIn();
    const before = await client.getTokens();
    const hold = h.hold("GetTokensFromRefreshToken");
    const early = Array.from({ length: 5 }, () => client.getTokens({ forceRefresh: true }));
    await hold.sent;
    const late = Array.from({ length: 5 }, () => client.getTokens({ forceRefresh: true }));
    hold.release();
    const [earlyTokens, lateTokens] = await Promise.all([Promise.all(early), Promise.all(late)]);
    expect(h.refreshCalls()).toBe(2);
    expect(new Set(earlyTokens.map((tokens) => tokens.accessToken.jwt)).size).toBe(1);
    expect(new Set(lateTokens.map((tokens) => tokens.accessToken.jwt)).size).toBe(1);
    expect(earlyTokens[0]!.accessToken.jwt).not.toBe(before.accessToken.jwt);
    expect(lateTokens[0]!.accessToken.jwt).not.toBe(earlyTokens[0]!.accessToken.jwt);
  });
});

describe("refresh failures", () => {
  it.each([
    ["a network error", (h: Harness) => h.proxy.setOffline(true), 0],
    ["a 500", (h: Harness) => h.emulator.injectFault("GetTokensFromRefreshToken", { status: 500, times: 2 }), 2],
    ["throttling", (h: Harness) => h.emulator.injectFault("GetTokensFromRefreshToken", { error: "TooManyRequestsException", times: 2 }), 2],
  ] as const)("stays signed in through %s, retries with backoff and recovers", async (_, fail, failedCalls) => {
    const h = await start();
    const { client } = await h.signedIn();
    const tokens = await client.getTokens();
    const events = recordEvents(client);
    fail(h);

    for (let attempt = 1; attempt <= 2; attempt++) {
      const failed = nextEvent(client, "tokenRefreshFailed");
      await h.runNextTimer();
      const event = await failed;
      expect(event.errorClass).toBe("transient");
      expect(event.retryAt - h.clock.now()).toBeGreaterThanOrEqual(500 * attempt);
      const snapshot = client.getSnapshot();
      expect(snapshot.status).toBe("signedIn");
      expect(isAuthError(snapshot.error)).toBe(true);
      // The tokens have not expired: callers keep getting them, without a call per caller.
      expect((await client.getTokens()).accessToken.jwt).toBe(tokens.accessToken.jwt);
    }
    h.proxy.setOffline(false);

    const refreshed = nextEvent(client, "tokenRefreshed");
    await h.runNextTimer();
    await refreshed;
    expect(client.getSnapshot()).toMatchObject({ status: "signedIn" });
    expect(client.getSnapshot().error).toBeUndefined();
    expect((await client.getTokens()).accessToken.jwt).not.toBe(tokens.accessToken.jwt);
    expect(h.refreshCalls()).toBe(failedCalls + 1);
    expect(h.emulator.callCount("InitiateAuth")).toBe(1); // the sign-in only: no fallback, no new sign-in
    expect(events.map((event) => event.type)).not.toContain("sessionExpired");
    expect(events.map((event) => event.type)).not.toContain("signedOut");
  });

  it("signs out with sessionExpired when Cognito refuses the refresh token", async () => {
    const h = await start();
    const storage = createMemoryStorage();
    const { client } = await h.signedIn({ storage });
    h.emulator.injectFault("GetTokensFromRefreshToken", { error: "NotAuthorizedException", message: "Refresh Token has been revoked" });
    const expired = nextEvent(client, "sessionExpired");
    await h.runNextTimer();
    expect(isAuthError((await expired).error, "ERR_NOT_AUTHORIZED")).toBe(true);
    expect(client.getSnapshot()).toMatchObject({ status: "signedOut", user: null });
    expect(isAuthError(client.getSnapshot().error, "ERR_NOT_AUTHORIZED")).toBe(true);
    expect(await storage.getItem(h.key)).toBeNull();
    expect(h.clock.pendingTimers()).toBe(0);
    expect(await rejection(client.getTokens())).toMatchObject({ code: "ERR_NOT_SIGNED_IN" });
  });

  it("ends a session whose refresh token was revoked elsewhere (signed out on another device)", async () => {
    const h = await start();
    const storage = createMemoryStorage();
    const { client: device } = await h.signedIn({ storage });
    const copy = createMemoryStorage();
    await copy.setItem(h.key, (await storage.getItem(h.key))!);
    const other = h.client({ storage: copy });
    await other.start();
    await device.signOut();
    expect(h.emulator.callCount("RevokeToken")).toBe(1);
    const expired = nextEvent(other, "sessionExpired");
    await h.runNextTimer();
    expect(isAuthError((await expired).error, "ERR_NOT_AUTHORIZED")).toBe(true);
    expect(other.getSnapshot().status).toBe("signedOut");
  });

  it("resumes without a sign-in after being offline past expiry", async () => {
    const h = await start();
    const { client } = await h.signedIn();
    const tokens = await client.getTokens();
    h.proxy.setOffline(true);
    while (h.clock.now() <= tokens.expiresAt) {
      const failed = nextEvent(client, "tokenRefreshFailed");
      await h.runNextTimer();
      await failed;
    }
    // Expired and offline: callers get the network error, the session stays.
    expect(await rejection(client.getTokens())).toMatchObject({ code: "ERR_NETWORK" });
    expect(client.getSnapshot().status).toBe("signedIn");

    h.proxy.setOffline(false);
    const fresh = await client.getTokens();
    expect(fresh.expiresAt).toBeGreaterThan(h.clock.now());
    expect(client.getSnapshot().status).toBe("signedIn");
    expect(client.getSnapshot().error).toBeUndefined();
    expect(h.emulator.callCount("InitiateAuth")).toBe(1);
  });
});

describe("sign-out", () => {
  it("keeps the session when a global sign-out fails, so the caller can retry", async () => {
    const h = await start();
    const { client } = await h.signedIn();
    h.emulator.injectFault("GlobalSignOut", { status: 500 });
    expect(await rejection(client.signOut({ global: true }))).toMatchObject({ code: "ERR_SERVICE" });
    expect(client.getSnapshot().status).toBe("signedIn");
    await client.signOut({ global: true });
    expect(h.emulator.callCount("GlobalSignOut")).toBe(2);
    expect(h.emulator.callCount("RevokeToken")).toBe(0);
    expect(client.getSnapshot().status).toBe("signedOut");
  });

  it("signs out locally even offline, where the refresh token cannot be revoked", async () => {
    const h = await start();
    const storage = createMemoryStorage();
    const { client } = await h.signedIn({ storage });
    h.proxy.setOffline(true);
    await client.signOut();
    expect(client.getSnapshot().status).toBe("signedOut");
    expect(await storage.getItem(h.key)).toBeNull();
    expect(h.emulator.callCount("RevokeToken")).toBe(0);
  });
});

describe("storage", () => {
  it("resumes on the next start after a crash between the refresh and the save", async () => {
    // Rotation with a grace period (Cognito's recommended setting): the stored refresh token
    // stays usable for a minute after the rotation that never reached storage.
    const h = await start({ refreshTokenRotation: { enabled: true, gracePeriodSeconds: 60 } });
    const disk = createMemoryStorage();
    let failWrites = 0;
    const flaky: KeyValueStorage = {
      getItem: (key) => disk.getItem(key),
      setItem(key, value) {
        if (failWrites > 0) {
          failWrites--;
          throw new Error("the process died before the write");
        }
        return disk.setItem(key, value);
      },
      removeItem: (key) => disk.removeItem(key),
    };
    const { client: crashing } = await h.signedIn({ storage: flaky });
    const saved = await disk.getItem(h.key);
    failWrites = 1;
    const refreshed = nextEvent(crashing, "tokenRefreshed");
    const warned = nextEvent(crashing, "storageWarning");
    await h.runNextTimer();
    await refreshed;
    expect((await warned).problem).toBe("unavailable");
    expect(crashing.getSnapshot().status).toBe("signedIn"); // kept in memory
    expect(await disk.getItem(h.key)).toBe(saved); // the rotated session never reached the disk
    crashing.dispose();

    const restarted = h.client({ storage: disk });
    const resumed = nextEvent(restarted, "tokenRefreshed");
    await restarted.start();
    await resumed;
    expect(restarted.getSnapshot().status).toBe("signedIn");
    expect(await disk.getItem(h.key)).not.toBe(saved);
    expect(h.refreshCalls()).toBe(2);
    expect(h.emulator.callCount("InitiateAuth")).toBe(1);
  });

  it("opens offline with an expired stored session, keeps it, and resumes once online", async () => {
    const h = await start();
    const storage = createMemoryStorage();
    const { client } = await h.signedIn({ storage });
    const { expiresAt } = await client.getTokens();
    client.dispose();
    await h.advance(expiresAt + 60_000 - h.clock.now());
    h.proxy.setOffline(true);

    const reopened = h.client({ storage });
    const failed = nextEvent(reopened, "tokenRefreshFailed");
    await reopened.start();
    expect((await failed).errorClass).toBe("transient");
    expect(reopened.getSnapshot().status).toBe("signedIn");
    expect(await rejection(reopened.getTokens())).toMatchObject({ code: "ERR_NETWORK" });

    h.proxy.setOffline(false);
    expect((await reopened.getTokens()).expiresAt).toBeGreaterThan(h.clock.now());
    expect(reopened.getSnapshot().error).toBeUndefined();
    expect(h.emulator.callCount("InitiateAuth")).toBe(1);
  });

  it("resumes a stored session in a new client without a sign-in", async () => {
    const h = await start();
    const storage = createMemoryStorage();
    const { client } = await h.signedIn({ storage });
    const tokens = await client.getTokens();
    client.dispose();
    const later = h.client({ storage });
    expect(later.getSnapshot().status).toBe("initializing");
    expect((await later.getTokens()).accessToken.jwt).toBe(tokens.accessToken.jwt);
    expect(later.getSnapshot().status).toBe("signedIn");
  });
});

describe("tabs", () => {
  /** `count` tabs sharing one storage and channel; `lock: null` gives them no Web Locks. */
  async function openTabs(h: Harness, count: number, lock: LockManager | null = createLocks()) {
    const storage = createMemoryStorage();
    const tabs: AuthClient[] = [];
    for (let i = 0; i < count; i++) {
      tabs.push(h.client({ storage, lock: lock ?? undefined, broadcast: realBroadcast, randomBytes: seededRandomBytes(i + 1) }));
    }
    await Promise.all(tabs.map((tab) => tab.start()));
    return { tabs, storage, lock };
  }

  it("shows a sign-in and a sign-out in one tab in the others", async () => {
    const h = await start();
    const { tabs } = await openTabs(h, 3);
    const [first, ...others] = tabs as [AuthClient, ...AuthClient[]];
    const username = await h.newUser(first);
    const seen = others.map((tab) => nextEvent(tab, "signedIn"));
    await first.signIn({ username, password, flow: "password" });
    for (const event of await Promise.all(seen)) expect(event.source).toBe("otherTab");
    for (const tab of others) expect(tab.getSnapshot()).toMatchObject({ status: "signedIn", user: { attributes: { email: username } } });

    const gone = others.map((tab) => nextEvent(tab, "signedOut"));
    await first.signOut();
    await Promise.all(gone);
    for (const tab of tabs) expect(tab.getSnapshot().status).toBe("signedOut");
  });

  it("with rotation (grace period 0), three tabs make one refresh per expiry and nobody is signed out, over 50 expiries", async () => {
    const h = await start({ refreshTokenRotation: { enabled: true, gracePeriodSeconds: 0 } });
    const { tabs, storage } = await openTabs(h, 3);
    const events = tabs.map(recordEvents);
    const username = await h.newUser(tabs[0]);
    const joined = tabs.slice(1).map((tab) => nextEvent(tab, "signedIn"));
    await tabs[0]!.signIn({ username, password, flow: "password" });
    await Promise.all(joined);

    let refreshToken = (await tabs[0]!.getTokens()).refreshToken;
    for (let expiry = 1; expiry <= 50; expiry++) {
      const refreshed = tabs.map((tab) => nextEvent(tab, "tokenRefreshed"));
      await h.runNextTimer();
      await Promise.all(refreshed);
      expect(h.refreshCalls()).toBe(expiry);
      const current = await Promise.all(tabs.map((tab) => tab.getTokens()));
      expect(new Set(current.map((tokens) => tokens.accessToken.jwt)).size).toBe(1);
      expect(current[0]!.refreshToken).not.toBe(refreshToken);
      refreshToken = current[0]!.refreshToken;
      expect(await storage.getItem(h.key)).toContain(refreshToken);
    }
    expect(h.refreshCalls()).toBe(50);
    for (const tab of tabs) expect(tab.getSnapshot().status).toBe("signedIn");
    const types = events.flat().map((event) => event.type);
    expect(types).not.toContain("signedOut");
    expect(types).not.toContain("sessionExpired");
    expect(types).not.toContain("tokenRefreshFailed");
    expect(h.emulator.callCount("InitiateAuth")).toBe(1);
  });

  // Without Web Locks each tab refreshes at its own moment between 75 s and 60 s before expiry
  // (5-minute tokens), drawn from its random bytes: the first tab refreshes, stores and
  // broadcasts, and the others adopt its session before their turn. Time moves in 100 ms steps,
  // each once the network is quiet, so tabs whose moments fall in one step both call; the later
  // call is refused (grace period 0) and that tab adopts the rotated session. The bound asserted
  // over 50 expiries: at most 1.5 refresh calls per expiry, and never a sign-out.
  it.each([{ count: 3 }, { count: 10 }])(
    "without Web Locks, $count tabs make at most 1.5 refresh calls per expiry and nobody is signed out, over 50 expiries",
    async ({ count }) => {
      const h = await start({ refreshTokenRotation: { enabled: true, gracePeriodSeconds: 0 } });
      const { tabs, storage } = await openTabs(h, count, null);
      const events = tabs.map(recordEvents);
      const username = await h.newUser(tabs[0]);
      const joined = tabs.slice(1).map((tab) => nextEvent(tab, "signedIn"));
      await tabs[0]!.signIn({ username, password, flow: "password" });
      await Promise.all(joined);

      let tokens = await tabs[0]!.getTokens();
      for (let expiry = 1; expiry <= 50; expiry++) {
        // Up to the start of the window in one move (no call before it), then through it step by step.
        const before = h.refreshCalls();
        await h.step(tokens.expiresAt - marginMs - 100 - h.clock.now());
        expect(h.refreshCalls()).toBe(before);
        while ((await storage.getItem(h.key))?.includes(tokens.refreshToken!)) {
          await h.step(100);
          // Refreshed (answer included) no later than 60 s before the old tokens expire.
          expect(tokens.expiresAt - h.clock.now()).toBeGreaterThan(60_000 - 200);
        }
        await h.step(3_000); // a refused tab's second look
        const current = await Promise.all(tabs.map((tab) => tab.getTokens()));
        expect(new Set(current.map((each) => each.accessToken.jwt)).size).toBe(1);
        expect(current[0]!.refreshToken).not.toBe(tokens.refreshToken);
        tokens = current[0]!;
      }
      expect(h.refreshCalls()).toBeLessThanOrEqual(75);
      for (const tab of tabs) expect(tab.getSnapshot().status).toBe("signedIn");
      const types = events.flat().map((event) => event.type);
      expect(types).not.toContain("signedOut");
      expect(types).not.toContain("sessionExpired");
      expect(h.emulator.callCount("InitiateAuth")).toBe(1);
    },
  );
});

describe("lifecycle", () => {
  it("leaves no timer after dispose(), and none at all when never used", async () => {
    const h = await start();
    h.client();
    expect(h.clock.pendingTimers()).toBe(0);
    const { client } = await h.signedIn();
    expect(h.clock.pendingTimers()).toBe(1);
    client.dispose();
    expect(h.clock.pendingTimers()).toBe(0);
    expect(await rejection(client.getTokens())).toMatchObject({ code: "ERR_ABORTED" });
  });

  it("pauses the refresh timer on stop() and re-arms it on start()", async () => {
    const h = await start();
    const { client } = await h.signedIn();
    const at = h.clock.nextTimerAt();
    client.stop();
    expect(h.clock.pendingTimers()).toBe(0);
    await client.start();
    expect(h.clock.nextTimerAt()).toBe(at);
  });
});
