import { describe, expect, it } from "vitest";
import { AuthError, type AuthErrorCode } from "../errors.js";
import type { BroadcastLike, Clock, KeyValueStorage, LockManager } from "../platform/types.js";
import { createSessionController, type RefreshTokens, type SessionUpdate } from "./session-controller.js";
import { decodeSessionRecord, encodeSessionRecord, sessionRecordKey } from "./session-record.js";
import { createSessionTokens, type SessionTokens } from "./session-tokens.js";
import { createTestClock, type TestClock } from "../../test/test-clock.js";
import { fakeGrant } from "../../test/test-tokens.js";

const key = sessionRecordKey("app");
const hour = 3600_000;
const margin = 5 * 60_000;

function mapStorage(items = new Map<string, string>()): KeyValueStorage & { items: Map<string, string> } {
  return {
    items,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
  };
}

/** A stand-in for BroadcastChannel: delivers to the other channels of the same name, asynchronously. */
function createBroadcastHub() {
  const channels = new Map<string, Set<BroadcastLike>>();
  return (name: string): BroadcastLike => {
    const listeners = new Set<(event: { data: unknown }) => void>();
    const peers = channels.get(name) ?? new Set<BroadcastLike>();
    channels.set(name, peers);
    const channel: BroadcastLike = {
      postMessage(message) {
        const data = structuredClone(message);
        for (const peer of peers) if (peer !== channel) queueMicrotask(() => (peer as unknown as { deliver(d: unknown): void }).deliver(data));
      },
      addEventListener: (_type, listener) => void listeners.add(listener),
      removeEventListener: (_type, listener) => void listeners.delete(listener),
      close: () => void peers.delete(channel),
    };
    Object.assign(channel, { deliver: (data: unknown) => listeners.forEach((listener) => listener({ data })) });
    peers.add(channel);
    return channel;
  };
}

/** A stand-in for Web Locks: one holder per name at a time, in request order. */
function createLocks(): LockManager {
  const tails = new Map<string, Promise<void>>();
  return async (name, task) => {
    const previous = tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    tails.set(name, previous.then(() => new Promise<void>((resolve) => (release = resolve))));
    await previous;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/**
 * A stand-in for Cognito's refresh endpoint, behind the seam the client fills: it rotates
 * the refresh token on every call (grace period 0), refuses any other token, answers after
 * `latencyMs` on the test clock and can be told to fail.
 */
interface FakeCognitoOptions {
  lifetimeS?: number;
  latencyMs?: number;
  /** How long a refusal takes; as long as an answer by default. */
  refusalLatencyMs?: number;
  /** Whether each refresh returns a new refresh token (grace period 0). */
  rotate?: boolean;
}

function createFakeCognito(clock: Clock, options: FakeCognitoOptions = {}) {
  const { lifetimeS = 3600, latencyMs = 0, rotate = true } = options;
  const refusalLatencyMs = options.refusalLatencyMs ?? latencyMs;
  let generation = 0;
  let current = "";
  const faults: AuthError[] = [];
  const calls: string[] = [];
  const issue = () => {
    generation++;
    if (rotate || current === "") current = `rt-${generation}`;
    return fakeGrant(clock.now(), lifetimeS, `s${generation}`, current);
  };
  const refresh: RefreshTokens = ({ refreshToken, signal }) => {
    calls.push(refreshToken);
    const fault = faults.shift();
    const answer = fault ?? (refreshToken === current ? issue() : notAuthorized());
    const delay = answer instanceof Error ? refusalLatencyMs : latencyMs;
    if (delay === 0) return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clock.clearTimeout(handle);
        reject(new AuthError("ERR_ABORTED", "aborted"));
      };
      const handle = clock.setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        if (answer instanceof Error) reject(answer);
        else resolve(answer);
      }, delay);
      signal.addEventListener("abort", onAbort);
    });
  };
  return {
    refresh,
    calls,
    faults,
    get current() {
      return current;
    },
    signIn: (): SessionTokens => createSessionTokens(issue(), clock.now()),
  };
}

function notAuthorized() {
  return new AuthError("ERR_NOT_AUTHORIZED", "Invalid Refresh Token", { serviceCode: "NotAuthorizedException" });
}
function networkError() {
  return new AuthError("ERR_NETWORK", "fetch failed", { retryable: true });
}

function setUp(options: { latencyMs?: number; lifetimeS?: number; storage?: KeyValueStorage; clock?: TestClock } = {}) {
  const clock = options.clock ?? createTestClock();
  const cognito = createFakeCognito(clock, options);
  const storage = options.storage ?? mapStorage();
  const updates: SessionUpdate[] = [];
  const session = createSessionController({ clientId: "app", platform: { clock, storage }, refresh: cognito.refresh, random: () => 0.5 });
  session.subscribe((update) => updates.push(update));
  return { clock, cognito, storage, session, updates };
}

const types = (updates: SessionUpdate[]) => updates.map((update) => update.type);

describe("session controller: refresh timing", () => {
  it("refreshes proactively once, at the margin before expiry, and again a lifetime later", async () => {
    const { clock, cognito, session, storage } = setUp();
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    const refreshAt = tokens.expiresAt - margin;

    await clock.advanceTo(refreshAt - 1);
    expect(cognito.calls).toEqual([]);
    await clock.advanceTo(refreshAt);
    expect(cognito.calls).toEqual(["rt-1"]);
    expect(session.getState()).toMatchObject({ status: "signedIn", tokens: { refreshToken: "rt-2" } });
    expect(decodeSessionRecord(await storage.getItem(key)).tokens?.refreshToken).toBe("rt-2");

    await clock.advanceTo(refreshAt + hour - margin - 1);
    expect(cognito.calls).toHaveLength(1);
    await clock.advanceTo(refreshAt + hour - margin);
    expect(cognito.calls).toEqual(["rt-1", "rt-2"]);
  });

  it("announces a refresh only after the new record is stored", async () => {
    const items = new Map<string, string>();
    const later = async () => {
      for (let i = 0; i < 3; i++) await Promise.resolve();
    };
    const slowStorage = {
      items,
      getItem: async (k: string) => (await later(), items.get(k) ?? null),
      setItem: async (k: string, v: string) => void (await later(), items.set(k, v)),
      removeItem: async (k: string) => void (await later(), items.delete(k)),
    };
    const { clock, cognito, session, storage } = setUp({ storage: slowStorage });
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    const seen: Array<string | undefined> = [];
    session.subscribe((update) => {
      if (update.type === "tokenRefreshed") seen.push(decodeSessionRecord((storage as ReturnType<typeof mapStorage>).items.get(key)).tokens?.refreshToken);
    });
    await clock.advanceTo(tokens.expiresAt - margin);
    expect(seen).toEqual(["rt-2"]);
  });

  it("serves cached tokens without a call, and refreshes when forced", async () => {
    const { cognito, session } = setUp();
    await session.start();
    await session.acceptSignIn(cognito.signIn());
    expect((await session.getTokens()).refreshToken).toBe("rt-1");
    expect(cognito.calls).toHaveLength(0);
    expect((await session.getTokens({ forceRefresh: true })).refreshToken).toBe("rt-2");
    expect(cognito.calls).toHaveLength(1);
  });

  it("makes exactly one refresh call for 1,000 concurrent getTokens() at expiry", async () => {
    const { clock, cognito, session } = setUp({ latencyMs: 200 });
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    session.stop(); // no proactive refresh: every caller arrives at expiry
    await clock.advanceTo(tokens.expiresAt);
    const all = Promise.all(Array.from({ length: 1000 }, () => session.getTokens()));
    await clock.advance(200);
    const results = await all;
    expect(cognito.calls).toEqual(["rt-1"]);
    expect(new Set(results).size).toBe(1);
    expect(results[0]?.refreshToken).toBe("rt-2");
  });

  it("ignores a late answer to a refresh that a new sign-in overtook", async () => {
    const { clock, cognito, session, storage } = setUp({ latencyMs: 200 });
    await session.start();
    await session.acceptSignIn(cognito.signIn());
    const pending = session.getTokens({ forceRefresh: true }); // answered with rt-2, 200 ms from now
    await clock.advance(50);
    const newer = cognito.signIn(); // rt-3
    await session.acceptSignIn(newer);
    await clock.advance(200);
    expect(cognito.calls).toEqual(["rt-1"]);
    expect(session.getState()).toMatchObject({ status: "signedIn", tokens: newer });
    expect(decodeSessionRecord(await storage.getItem(key)).tokens).toEqual(newer);
    expect(await pending).toEqual(newer);
  });
});

describe("session controller: failures", () => {
  it("shares one call per refresh token, even when a refresh overtaken by another tab's session is asked again", async () => {
    const clock = createTestClock();
    const cognito = createFakeCognito(clock, { latencyMs: 200, rotate: false });
    const broadcast = createBroadcastHub();
    const storage = mapStorage();
    const session = createSessionController({ clientId: "app", platform: { clock, storage, broadcast }, refresh: cognito.refresh });
    await session.start();
    await session.acceptSignIn(cognito.signIn());
    const first = session.getTokens({ forceRefresh: true }); // call 1 with rt-1, in flight
    await clock.advance(10);
    // Another tab of a non-rotating pool refreshed meanwhile: same refresh token, newer tokens.
    const otherTab = createSessionTokens(fakeGrant(clock.now(), 3600, "other", "rt-1"), clock.now());
    broadcast("cogkit.app.session").postMessage({ type: "cogkit.session", record: encodeSessionRecord(otherTab, clock.now()) });
    await clock.advance(0);
    expect(session.getState()).toMatchObject({ status: "signedIn", tokens: otherTab });
    const second = session.getTokens({ forceRefresh: true }); // rt-1 again, while call 1 is in flight
    await clock.advance(200);
    await Promise.all([first, second]);
    expect(cognito.calls).toEqual(["rt-1"]);
  });

  it("stays signed in through transient failures, retrying with backoff until it recovers", async () => {
    const { clock, cognito, session, updates } = setUp();
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    cognito.faults.push(networkError(), new AuthError("ERR_SERVICE", "500", { retryable: true }), new AuthError("ERR_THROTTLED", "slow down", { retryable: true }));
    const refreshAt = tokens.expiresAt - margin;

    await clock.advanceTo(refreshAt);
    expect(session.getState()).toMatchObject({ status: "signedIn", failures: 1, lastError: { code: "ERR_NETWORK" }, retryAt: refreshAt + 750 });
    await clock.advanceTo(refreshAt + 749);
    expect(cognito.calls).toHaveLength(1);
    await clock.advanceTo(refreshAt + 750); // 2nd attempt fails: next in 1.5 s
    await clock.advanceTo(refreshAt + 750 + 1500); // 3rd attempt fails: next in 3 s
    expect(cognito.calls).toHaveLength(3);
    expect(session.getState()).toMatchObject({ status: "signedIn", failures: 3, lastError: { code: "ERR_THROTTLED" } });
    await clock.advanceTo(refreshAt + 750 + 1500 + 3000);
    expect(cognito.calls).toHaveLength(4);
    expect(session.getState()).toMatchObject({ status: "signedIn", failures: 0, tokens: { refreshToken: "rt-2" } });
    expect(session.getState()).not.toHaveProperty("lastError");
    expect(types(updates).filter((t) => t === "tokenRefreshFailed")).toHaveLength(3);
    expect(types(updates)).not.toContain("sessionExpired");
  });

  it("survives being offline past expiry and resumes without a sign-in", async () => {
    const { clock, cognito, session } = setUp();
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    for (let i = 0; i < 100; i++) cognito.faults.push(networkError());
    await clock.advanceTo(tokens.expiresAt + 10 * 60_000);
    expect(session.getState().status).toBe("signedIn");
    await expect(session.getTokens()).rejects.toMatchObject({ code: "ERR_NETWORK", retryable: true });
    expect(session.getState().status).toBe("signedIn");
    const attempts = cognito.calls.length;
    expect(attempts).toBeLessThan(40); // backed off, capped at 60 s: not a hot loop

    cognito.faults.length = 0; // back online
    await clock.advance(60_000);
    expect(session.getState()).toMatchObject({ status: "signedIn", failures: 0, tokens: { refreshToken: "rt-2" } });
    expect((await session.getTokens()).refreshToken).toBe("rt-2");
  });

  it("returns still-valid tokens when a refresh inside the margin fails transiently", async () => {
    const { clock, cognito, session } = setUp();
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    session.stop();
    await clock.advanceTo(tokens.expiresAt - 10_000);
    cognito.faults.push(networkError());
    expect(await session.getTokens()).toEqual(tokens);
    expect(cognito.calls).toHaveLength(1);
  });

  it.each<AuthErrorCode>([
    "ERR_NOT_AUTHORIZED",
    "ERR_TOKEN_REVOKED",
    "ERR_USER_NOT_FOUND",
    "ERR_PASSWORD_RESET_REQUIRED",
    "ERR_USER_NOT_CONFIRMED",
    "ERR_REFRESH_TOKEN_REUSED",
  ])("signs out with sessionExpired when the refresh fails with %s", async (code) => {
    const { clock, cognito, session, storage, updates } = setUp();
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    const error = new AuthError(code, "refused");
    cognito.faults.push(error);
    await clock.advanceTo(tokens.expiresAt - margin);
    expect(session.getState()).toEqual({ status: "signedOut", seq: expect.any(Number), error });
    expect(updates.at(-1)).toEqual({ type: "sessionExpired", error });
    expect(await storage.getItem(key)).toBeNull();
    await expect(session.getTokens()).rejects.toMatchObject({ code: "ERR_NOT_SIGNED_IN", cause: error });
    expect(clock.pendingTimers()).toBe(0);
  });

  it("keeps the session and surfaces an unexpected error", async () => {
    const { clock, cognito, session, updates } = setUp();
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    cognito.faults.push(new AuthError("ERR_BAD_RESPONSE", "garbled"));
    await clock.advanceTo(tokens.expiresAt - margin);
    expect(session.getState()).toMatchObject({ status: "signedIn", lastError: { code: "ERR_BAD_RESPONSE" } });
    expect(updates.at(-1)).toMatchObject({ type: "tokenRefreshFailed", errorClass: "unknown" });
  });
});

describe("session controller: storage", () => {
  it("restores the stored session at start and refreshes it when due", async () => {
    const clock = createTestClock();
    const storage = mapStorage();
    const { cognito: issuer } = setUp({ clock });
    const tokens = issuer.signIn();
    storage.items.set(key, encodeSessionRecord(tokens, clock.now()));
    const { session, updates, cognito } = setUp({ clock, storage });
    cognito.signIn(); // the fake server now knows rt-1 as current
    await session.start();
    expect(session.getState()).toMatchObject({ status: "signedIn", tokens });
    // Listeners hear who and until when, never the tokens.
    expect(updates).toEqual([{ type: "signedIn", source: "storage", user: expect.objectContaining({ groups: [] }), expiresAt: tokens.expiresAt }]);
    await clock.advanceTo(tokens.expiresAt - margin);
    expect(cognito.calls).toEqual(["rt-1"]);
  });

  it.each([
    ["corrupt", "{not json"],
    ["unknownVersion", JSON.stringify({ v: 99 })],
  ])("reads a %s record as signed out, removes it and warns", async (problem, raw) => {
    const storage = mapStorage(new Map([[key, raw]]));
    const { session, updates } = setUp({ storage });
    await session.start();
    expect(session.getState().status).toBe("signedOut");
    expect(storage.items.has(key)).toBe(false);
    expect(updates).toEqual([{ type: "storageWarning", problem }]);
  });

  it("keeps the session in memory, with one warning, when the storage throws", async () => {
    const broken: KeyValueStorage = {
      getItem: () => {
        throw Object.assign(new Error("denied"), { name: "SecurityError" });
      },
      setItem: () => {
        throw Object.assign(new Error("full"), { name: "QuotaExceededError" });
      },
      removeItem: () => undefined,
    };
    const { clock, cognito, session, updates } = setUp({ storage: broken });
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    await clock.advanceTo(tokens.expiresAt - margin);
    expect(session.getState()).toMatchObject({ status: "signedIn", tokens: { refreshToken: "rt-2" } });
    expect(types(updates).filter((t) => t === "storageWarning")).toEqual(["storageWarning"]);
  });

  it("adopts a newer session another runtime stored instead of refreshing", async () => {
    const clock = createTestClock();
    const storage = mapStorage();
    const a = setUp({ clock, storage });
    const tokens = a.cognito.signIn();
    await a.session.start();
    await a.session.acceptSignIn(tokens);
    const b = createSessionController({ clientId: "app", platform: { clock, storage }, refresh: a.cognito.refresh });
    await b.start();
    b.stop(); // b has no timer and hears nothing: only storage tells it
    await clock.advanceTo(tokens.expiresAt - margin);
    expect(a.cognito.calls).toEqual(["rt-1"]);
    expect((await b.getTokens()).refreshToken).toBe("rt-2");
    expect(a.cognito.calls).toEqual(["rt-1"]);
  });
});

/** A seeded generator of numbers in [0, 1) (mulberry32): each tab draws its own, repeatably. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe("session controller: tabs", () => {
  function setUpTabs(count: number, { withLocks, lifetimeS }: { withLocks: boolean; lifetimeS?: number }) {
    const clock = createTestClock();
    // A refusal comes back faster than a rotation, so a tab may hear "invalid token" before
    // the tab that rotated it has stored the new one.
    const cognito = createFakeCognito(clock, { latencyMs: 200, refusalLatencyMs: 50, lifetimeS });
    const storage = mapStorage();
    const broadcast = createBroadcastHub();
    const lock = withLocks ? createLocks() : undefined;
    const tabs = Array.from({ length: count }, (_, index) => {
      const updates: SessionUpdate[] = [];
      const session = createSessionController({
        clientId: "app",
        platform: { clock, storage, broadcast, ...(lock ? { lock } : {}) },
        refresh: cognito.refresh,
        random: withLocks ? () => 0.5 : seededRandom(index + 1),
      });
      session.subscribe((update) => updates.push(update));
      return { session, updates };
    });
    return { clock, cognito, storage, tabs };
  }

  it("shows a sign-in and a sign-out in one tab in the others", async () => {
    const { clock, cognito, tabs } = setUpTabs(3, { withLocks: true });
    await Promise.all(tabs.map((tab) => tab.session.start()));
    const [a, b, c] = tabs as [(typeof tabs)[0], (typeof tabs)[0], (typeof tabs)[0]];
    const tokens = cognito.signIn();
    await a.session.acceptSignIn(tokens);
    await clock.advance(0);
    expect(b.session.getState()).toMatchObject({ status: "signedIn", tokens });
    expect(c.updates.at(-1)).toEqual({ type: "signedIn", source: "otherTab", user: expect.any(Object), expiresAt: tokens.expiresAt });
    await b.session.signOut();
    await clock.advance(0);
    expect(a.session.getState().status).toBe("signedOut");
    expect(c.updates.at(-1)).toEqual({ type: "signedOut", source: "otherTab" });
    expect(clock.pendingTimers()).toBe(0);
  });

  it("keeps three tabs signed in over 50 rotations with Web Locks, making one call per expiry", async () => {
    const { clock, cognito, tabs } = setUpTabs(3, { withLocks: true });
    await Promise.all(tabs.map((tab) => tab.session.start()));
    await tabs[0]!.session.acceptSignIn(cognito.signIn());
    await clock.advance(0);
    for (let cycle = 1; cycle <= 50; cycle++) {
      // Each session lives 1 h and is renewed 5 min early, at that exact moment; the answer takes 200 ms.
      await clock.advance(hour - margin + 200);
      expect(cognito.calls).toHaveLength(cycle);
      for (const { session } of tabs) {
        expect(session.getState()).toMatchObject({ status: "signedIn", tokens: { refreshToken: cognito.current } });
      }
    }
    for (const { updates } of tabs) {
      expect(types(updates)).not.toContain("sessionExpired");
      expect(types(updates)).not.toContain("signedOut");
    }
  });

  // Without a lock each tab refreshes at its own random moment between 5 min and 60 s before
  // expiry (4 min wide for 1 h tokens, 15 s for 5 min ones): the first refreshes, stores and
  // broadcasts, and the others adopt its session before their turn. A second call happens only
  // when two tabs draw moments closer than the answer takes (200 ms here); it is refused, and
  // that tab adopts the rotated session. The bound asserted: at most 1.5 calls per expiry.
  it.each([
    { count: 3, lifetimeS: 3600 },
    { count: 10, lifetimeS: 3600 },
    { count: 10, lifetimeS: 300 },
  ])("keeps $count tabs signed in over 50 rotations without Web Locks ($lifetimeS s tokens), at most 1.5 calls per expiry", async ({ count, lifetimeS }) => {
    const { clock, cognito, tabs } = setUpTabs(count, { withLocks: false, lifetimeS });
    await Promise.all(tabs.map((tab) => tab.session.start()));
    const first = cognito.signIn();
    await tabs[0]!.session.acceptSignIn(first);
    await clock.advance(0);
    let rotations = 0;
    let current = cognito.current;
    let expiresAt = first.expiresAt;
    while (rotations < 50) {
      // Time moves on in 100 ms steps, as it does while answers are on their way.
      await clock.advance(100);
      if (cognito.current === current) continue;
      current = cognito.current;
      rotations++;
      // Refreshed (answer included) no later than 60 s before the old tokens expired.
      expect(expiresAt - clock.now()).toBeGreaterThanOrEqual(60_000 - 300);
      // Every tab holds the new session at once; the next window opens at 3/4 of its life.
      await clock.advance(3_000);
      for (const { session } of tabs) {
        expect(session.getState()).toMatchObject({ status: "signedIn", tokens: { refreshToken: current } });
      }
      const { tokens } = tabs[0]!.session.getState() as { tokens: SessionTokens };
      expiresAt = tokens.expiresAt;
      await clock.advanceTo(tokens.expiresAt - (tokens.expiresAt - tokens.issuedAt) / 4 - 100);
    }
    expect(cognito.calls.length).toBeLessThanOrEqual(rotations * 1.5);
    for (const { updates } of tabs) {
      expect(types(updates)).not.toContain("sessionExpired");
      expect(types(updates)).not.toContain("signedOut");
    }
  });

  it.each([
    { name: "with a lock", withLock: true, withChannel: true },
    { name: "without a channel (no other tab)", withLock: false, withChannel: false },
  ])("keeps the exact refresh moment, 5 min before expiry, $name", async ({ withLock, withChannel }) => {
    const clock = createTestClock();
    const cognito = createFakeCognito(clock);
    const session = createSessionController({
      clientId: "app",
      platform: {
        clock,
        storage: mapStorage(),
        ...(withChannel ? { broadcast: createBroadcastHub() } : {}),
        ...(withLock ? { lock: createLocks() } : {}),
      },
      refresh: cognito.refresh,
      random: () => 0.9,
    });
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    expect(clock.nextTimerAt()).toBe(tokens.expiresAt - margin);
  });

  it("refreshes a lockless tab at its drawn moment, never later than 60 s before expiry", async () => {
    const clock = createTestClock();
    const cognito = createFakeCognito(clock);
    let draw = 0.5;
    const session = createSessionController({
      clientId: "app",
      platform: { clock, storage: mapStorage(), broadcast: createBroadcastHub() },
      refresh: cognito.refresh,
      random: () => draw,
    });
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    // Halfway between 5 min and 60 s before expiry.
    const refreshAt = tokens.expiresAt - 180_000;
    expect(clock.nextTimerAt()).toBe(refreshAt);
    // Inside the 5-minute margin but before its moment, getTokens() serves the tokens it has.
    await clock.advanceTo(tokens.expiresAt - 240_000);
    expect(await session.getTokens()).toBe(tokens);
    expect(cognito.calls).toEqual([]);
    draw = 0.999_999;
    await clock.advanceTo(refreshAt);
    expect(cognito.calls).toEqual(["rt-1"]);
    const next = (session.getState() as { tokens: SessionTokens }).tokens;
    expect(clock.nextTimerAt()).toBe(Math.floor(next.expiresAt - 60_000 - (240_000 * (1 - draw))));
    expect(clock.nextTimerAt()! - next.expiresAt).toBeLessThanOrEqual(-60_000);
  });
});

describe("session controller: lifecycle", () => {
  it("leaves no timer after stop(), and catches up after start()", async () => {
    const { clock, cognito, session } = setUp();
    await session.start();
    const tokens = cognito.signIn();
    await session.acceptSignIn(tokens);
    expect(clock.pendingTimers()).toBe(1);
    session.stop();
    expect(clock.pendingTimers()).toBe(0);
    await clock.advanceTo(tokens.expiresAt - 60_000);
    expect(cognito.calls).toHaveLength(0);
    await session.start();
    await clock.advance(0);
    expect(cognito.calls).toEqual(["rt-1"]);
    expect(clock.pendingTimers()).toBe(1);
  });

  it("keeps a sign-out made while a restart reads the storage", async () => {
    const stored = mapStorage();
    let release!: () => void;
    let held: Promise<void> | undefined;
    // Reads what is stored when asked, and answers when released.
    const storage: KeyValueStorage = {
      ...stored,
      getItem: async (k) => {
        const value = stored.getItem(k);
        await held;
        return value;
      },
    };
    const { cognito, session } = setUp({ storage });
    await session.start();
    await session.acceptSignIn(cognito.signIn());
    session.stop();
    held = new Promise((resolve) => (release = resolve));
    const restarting = session.start();
    await session.signOut();
    release();
    await restarting;
    expect(session.getState().status).toBe("signedOut");
    expect(await storage.getItem(key)).toBeNull();
  });

  it("leaves no timer, wait or caller hanging after dispose(), even mid-refresh", async () => {
    const clock = createTestClock();
    const cognito = createFakeCognito(clock, { latencyMs: 5_000 });
    const session = createSessionController({
      clientId: "app",
      platform: { clock, storage: mapStorage(), broadcast: createBroadcastHub(), lock: createLocks() },
      refresh: cognito.refresh,
    });
    await session.start();
    await session.acceptSignIn(cognito.signIn());
    const pending = session.getTokens({ forceRefresh: true });
    await clock.advance(100);
    expect(clock.pendingTimers()).toBeGreaterThan(0);
    session.dispose();
    await expect(pending).rejects.toMatchObject({ code: "ERR_ABORTED" });
    await clock.advance(0);
    expect(clock.pendingTimers()).toBe(0);
    await expect(session.getTokens()).rejects.toMatchObject({ code: "ERR_ABORTED" });
    await expect(session.start()).rejects.toMatchObject({ code: "ERR_ABORTED" });
  });

  it("waits for the stored session before answering getTokens() on a fresh start", async () => {
    const clock = createTestClock();
    const tokens = createSessionTokens(fakeGrant(clock.now(), 3600, "x"), clock.now());
    const slow: KeyValueStorage = {
      getItem: () => Promise.resolve(encodeSessionRecord(tokens, 0)),
      setItem: async () => undefined,
      removeItem: async () => undefined,
    };
    const { session } = setUp({ clock, storage: slow });
    expect(await session.getTokens()).toEqual(tokens);
  });

  it("rejects getTokens() with ERR_NOT_SIGNED_IN when nobody is signed in", async () => {
    const { session } = setUp();
    await expect(session.getTokens()).rejects.toMatchObject({ code: "ERR_NOT_SIGNED_IN" });
  });
});
