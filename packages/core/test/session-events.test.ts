// What `client.subscribe` listeners hear. A logging or analytics subscriber must never see a
// token: events say what happened, to whom and until when; a listener that needs tokens
// calls getTokens().
import { afterEach, describe, expect, it } from "vitest";
import { type AuthClient, type AuthEvent, createMemoryStorage, type KeyValueStorage } from "@cogkit/core";
import { createLocks, type Harness, nextEvent, password, realBroadcast, startHarness } from "./session-support.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Every event `client` emits from now on, as a listener would serialise it. */
function logEvents(client: AuthClient): { events: AuthEvent[]; lines: string[] } {
  const events: AuthEvent[] = [];
  const lines: string[] = [];
  client.subscribe((event) => {
    events.push(event);
    lines.push(JSON.stringify(event));
  });
  return { events, lines };
}

/** The token strings of the session `storage` holds now. */
async function tokensIn(storage: KeyValueStorage, key: string): Promise<string[]> {
  const record = JSON.parse((await storage.getItem(key)) ?? "{}") as Record<string, unknown>;
  return [record.idToken, record.accessToken, record.refreshToken].filter((token): token is string => typeof token === "string");
}

describe("session events", () => {
  it("carry the user, the expiry and the source of a session, and no token, through sign-in, refreshes, other tabs and sign-out", async () => {
    const h = (harness = await startHarness({ refreshTokenRotation: { enabled: true, gracePeriodSeconds: 0 } }));
    const storage = createMemoryStorage();
    const lock = createLocks();
    const tab = h.client({ storage, lock, broadcast: realBroadcast });
    const other = h.client({ storage, lock, broadcast: realBroadcast });
    await Promise.all([tab.start(), other.start()]);
    const here = logEvents(tab);
    const there = logEvents(other);
    const seen = new Set<string>();
    const collect = async () => (await tokensIn(storage, h.key)).forEach((token) => seen.add(token));

    const username = await h.newUser(tab);
    const adopted = nextEvent(other, "signedIn");
    await tab.signIn({ username, password, flow: "password" });
    await adopted;
    await collect();
    const signedIn = here.events.find((event) => event.type === "signedIn");
    expect(signedIn).toMatchObject({ source: "signIn", user: { username: expect.any(String), attributes: { email: username } } });
    expect(signedIn).toHaveProperty("expiresAt", (await tab.getTokens()).expiresAt);
    expect(there.events.find((event) => event.type === "signedIn")).toMatchObject({ source: "otherTab", user: { attributes: { email: username } } });

    // A proactive refresh, heard in the other tab too.
    const refreshed = nextEvent(tab, "tokenRefreshed");
    const heard = nextEvent(other, "tokenRefreshed");
    await h.runNextTimer();
    expect(await refreshed).toMatchObject({ source: "refresh", user: { attributes: { email: username } }, expiresAt: expect.any(Number) });
    expect((await heard).source).toBe("otherTab");
    await collect();

    // A forced refresh, a failed one, and a client that starts from the stored session.
    await tab.getTokens({ forceRefresh: true });
    await collect();
    h.emulator.injectFault("GetTokensFromRefreshToken", { status: 503 });
    await tab.getTokens({ forceRefresh: true }).catch(() => undefined);
    const later = h.client({ storage });
    const resumed = logEvents(later);
    await later.start();
    expect(resumed.events.find((event) => event.type === "signedIn")).toMatchObject({ source: "storage", user: { attributes: { email: username } } });

    await tab.signOut();
    const lines = [...here.lines, ...there.lines, ...resumed.lines];
    expect(new Set(here.events.map((event) => event.type))).toEqual(
      new Set(["signedIn", "stateChanged", "tokenRefreshed", "tokenRefreshFailed", "signedOut"]),
    );
    expect(seen.size).toBe(9); // three sessions of three tokens each
    for (const line of lines) for (const token of seen) expect(line).not.toContain(token);
    // Nor a piece of one: no JWT-shaped string at all.
    for (const line of lines) expect(line).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });
});

describe("a hostile id token", () => {
  it("cannot change the prototype of user.attributes through a __proto__ claim, in the snapshot or in events", async () => {
    const h = (harness = await startHarness());
    const storage = createMemoryStorage();
    const now = h.clock.now();
    const iat = Math.floor(now / 1000);
    // Hand-made: JSON.parse makes `__proto__` an own claim, as it would for a token from a hostile server.
    const payload = `{"sub":"s-1","cognito:username":"u-1","email":"ana@example.com","iat":${iat},"exp":${iat + 3600},"__proto__":{"isAdmin":true}}`;
    const jwt = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(payload).toString("base64url")}.sig`;
    await storage.setItem(h.key, JSON.stringify({ v: 1, idToken: jwt, accessToken: jwt, expiresAt: now + 3_600_000, issuedAt: now, clockDrift: 0, savedAt: now }));
    const client = h.client({ storage });
    const signedIn = nextEvent(client, "signedIn");
    await client.start();
    for (const user of [client.getSnapshot().user!, (await signedIn).user]) {
      expect(Object.getPrototypeOf(user.attributes)).toBe(Object.prototype);
      expect((user.attributes as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(user.attributes).toEqual({ sub: "s-1", email: "ana@example.com" });
    }
  });
});
