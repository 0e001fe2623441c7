// The session when the network itself fails (no HTTP answer at all), faked at the HTTP
// boundary with msw in front of an in-process emulator.
import { createEmulator, type EmulatorCore } from "@cogkit/emulator";
import { emulatorHandlers } from "@cogkit/emulator/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthClient, createMemoryStorage } from "@cogkit/core";
import { createTestClock } from "./test-clock.js";
import { nextEvent, password, rejection } from "./session-support.js";

const url = "http://session-network-faults.test";
let emulator: EmulatorCore;
let users = 0;
/** While true, GetTokensFromRefreshToken gets no answer: the connection drops. */
let offline = false;
const server = setupServer();

beforeAll(async () => {
  emulator = await createEmulator({ url, quiet: true });
  server.use(
    http.post(`${url}/`, ({ request }) =>
      offline && request.headers.get("x-amz-target")?.endsWith(".GetTokensFromRefreshToken") ? HttpResponse.error() : undefined,
    ),
    ...emulatorHandlers(emulator),
  );
  server.listen({ onUnhandledRequest: "error" });
});
afterAll(() => server.close());

describe("a forced refresh when the network drops", () => {
  it("rejects with the retryable network error instead of the old tokens, keeps the session and retries it", async () => {
    const clock = createTestClock(emulator.now());
    const storage = createMemoryStorage();
    const client = createAuthClient(emulator.config, { platform: { clock, storage } });
    const username = `offline.${++users}@example.com`;
    await client.signUp({ username, password });
    await client.confirmSignUp({ username, code: emulator.outbox.latest(username)!.code });
    await client.signIn({ username, password, flow: "password" });
    const before = await client.getTokens();
    const record = await storage.getItem(`cogkit.${emulator.config.userPoolClientId}.session`);

    offline = true;
    const failed = nextEvent(client, "tokenRefreshFailed");
    expect(await rejection(client.getTokens({ forceRefresh: true }))).toMatchObject({ code: "ERR_NETWORK", retryable: true });
    const { retryAt } = await failed;
    expect(client.getSnapshot().status).toBe("signedIn");
    expect(await storage.getItem(`cogkit.${emulator.config.userPoolClientId}.session`)).toBe(record);
    expect(clock.nextTimerAt()).toBe(retryAt);
    expect(await client.getTokens()).toBe(before);

    offline = false;
    const refreshed = nextEvent(client, "tokenRefreshed");
    await clock.advanceTo(retryAt);
    await refreshed;
    expect((await client.getTokens()).accessToken.jwt).not.toBe(before.accessToken.jwt);
    client.dispose();
  });
});
