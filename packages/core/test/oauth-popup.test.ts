// signInWithPopup with a popup that behaves like a browser's (its location unreadable while
// on the hosted UI's origin), the opener's `message` events, and a test clock for the polling;
// the token endpoint is a stand-in (the emulator's exchange is in oauth-redirect.test.ts).
import { afterEach, describe, expect, it, vi } from "vitest";
import { completeSignIn, signInWithPopup } from "@cogkit/core/hosted-ui";
import { failure } from "./journey-support.js";
import { fakePopup, standInClient, storedRequests } from "./oauth-support.js";
import { settle } from "./test-clock.js";

afterEach(() => vi.unstubAllGlobals());

/** The opener's `message` listeners, as `window.addEventListener` would hold them. */
function openerMessages() {
  const listeners = new Set<(event: unknown) => void>();
  vi.stubGlobal("addEventListener", (type: string, listener: (event: unknown) => void) => type === "message" && listeners.add(listener));
  vi.stubGlobal("removeEventListener", (type: string, listener: (event: unknown) => void) => type === "message" && listeners.delete(listener));
  return {
    listeners,
    post: (event: { data: unknown; origin: string; source: unknown }) => listeners.forEach((listener) => listener(event)),
  };
}

/** Starts a popup sign-in and waits until the popup is on the hosted UI; returns its authorize URL. */
async function started(setup: ReturnType<typeof standInClient>, popup: ReturnType<typeof fakePopup>, options = {}) {
  const outcome = signInWithPopup(setup.client, { open: popup.open, customState: "/popup", ...options });
  // Handled now: the tests look at the outcome after moving the clock.
  outcome.catch(() => undefined);
  // Opened at once, inside the click, on about:blank.
  expect(popup.opened).toEqual([["about:blank", "cogkit-sign-in", expect.stringContaining("popup")]]);
  while (popup.visited.length === 0) await settle();
  const authorize = new URL(popup.visited[0]!);
  return { outcome, authorize, state: authorize.searchParams.get("state")! };
}

const callbackFor = (state: string) => `http://localhost:3000/callback?code=c0de-popup&state=${state}`;

describe("signInWithPopup", () => {
  it("sends the popup to the hosted UI, sees it come back to the redirect URI, closes it and signs in here", async () => {
    const setup = standInClient();
    const popup = fakePopup();
    const { outcome, authorize, state } = await started(setup, popup);
    expect(authorize.origin + authorize.pathname).toBe("https://auth.example.com/oauth2/authorize");
    expect((await storedRequests(setup.storage))[0]).toMatchObject({ state, popup: true });
    // At the hosted UI for a while: the popup's location cannot be read.
    await setup.clock.advance(5_000);
    expect(popup.closed).toBe(false);
    popup.cameBack(callbackFor(state));
    await setup.clock.advance(250);
    expect(await outcome).toEqual({ customState: "/popup" });
    expect(popup.closed).toBe(true);
    expect(setup.calls).toHaveLength(1);
    expect(setup.calls[0]!.form.code).toBe("c0de-popup");
    expect(setup.client.getSnapshot().status).toBe("signedIn");
  });

  it("completes with the URL the callback page posts, from the popup on the redirect URI's origin only", async () => {
    const messages = openerMessages();
    const setup = standInClient();
    const popup = fakePopup();
    const { outcome, state } = await started(setup, popup);
    const data = { type: "cogkit.oauth.callback", url: callbackFor(state) };
    // Ignored: another window, another origin, another state, another shape.
    messages.post({ data, origin: "http://localhost:3000", source: {} });
    messages.post({ data, origin: "https://evil.example", source: popup.window });
    messages.post({ data: { ...data, url: callbackFor("other") }, origin: "http://localhost:3000", source: popup.window });
    messages.post({ data: "hello", origin: "http://localhost:3000", source: popup.window });
    await settle();
    expect(setup.calls).toHaveLength(0);
    messages.post({ data, origin: "http://localhost:3000", source: popup.window });
    expect(await outcome).toEqual({ customState: "/popup" });
    expect(popup.closed).toBe(true);
    expect(messages.listeners.size).toBe(0);
    expect(setup.calls).toHaveLength(1);
  });

  it("rejects with ERR_CANCELED when the user closes the popup, and forgets the request", async () => {
    const setup = standInClient();
    const popup = fakePopup();
    const { outcome } = await started(setup, popup);
    popup.closeByUser();
    await setup.clock.advance(250);
    expect((await failure(outcome)).code).toBe("ERR_CANCELED");
    expect(await storedRequests(setup.storage)).toEqual([]);
    expect(setup.clock.pendingTimers()).toBe(0);
  });

  it("rejects with ERR_TIMEOUT and closes the popup when it is left open for 10 minutes", async () => {
    const setup = standInClient();
    const popup = fakePopup();
    const { outcome } = await started(setup, popup);
    await setup.clock.advance(600_000);
    expect((await failure(outcome)).code).toBe("ERR_TIMEOUT");
    expect(popup.closed).toBe(true);
  });

  it("rejects with ERR_ABORTED and closes the popup when the signal aborts", async () => {
    const setup = standInClient();
    const popup = fakePopup();
    const controller = new AbortController();
    const { outcome } = await started(setup, popup, { signal: controller.signal });
    controller.abort();
    expect((await failure(outcome)).code).toBe("ERR_ABORTED");
    expect(popup.closed).toBe(true);
    expect(setup.clock.pendingTimers()).toBe(0);
  });

  it("rejects with ERR_POPUP_BLOCKED when no popup opens", async () => {
    const setup = standInClient();
    expect((await failure(signInWithPopup(setup.client, { open: () => null }))).code).toBe("ERR_POPUP_BLOCKED");
    expect(await storedRequests(setup.storage)).toEqual([]);
  });

  it("rejects a config without the hosted UI domain before opening any popup", async () => {
    const setup = standInClient({ config: { loginWith: { email: true } } });
    const popup = fakePopup();
    const error = await failure(signInWithPopup(setup.client, { open: popup.open }));
    expect(error.code).toBe("ERR_INVALID_CONFIG");
    expect(error.message).toContain("loginWith.externalProviders.domain");
    expect(popup.opened).toEqual([]);
  });

  it("throws a TypeError naming `open` where there is no window.open", () => {
    const setup = standInClient();
    expect(() => signInWithPopup(setup.client)).toThrow(/`open`/);
    expect(() => signInWithPopup(setup.client, { open: "yes" as never })).toThrow(/`open`/);
    expect(() => signInWithPopup(setup.client, { open: fakePopup().open, signal: {} as never })).toThrow(/`signal`/);
  });

  it("in the popup, completeSignIn hands the callback to the opener on this page's exact origin instead of exchanging the code", async () => {
    const setup = standInClient();
    const popup = fakePopup();
    const { outcome, state } = await started(setup, popup);
    // The callback page, in the popup, shares the storage and runs the app's completeSignIn.
    const posted: Array<[unknown, string]> = [];
    vi.stubGlobal("opener", { closed: false, postMessage: (message: unknown, origin: string) => posted.push([message, origin]) });
    vi.stubGlobal("location", { origin: "http://localhost:3000", href: callbackFor(state) });
    const { createAuthClient } = await import("@cogkit/core");
    const popupPage = createAuthClient(setup.client.config, { platform: { storage: setup.storage, clock: setup.clock, fetch: () => Promise.reject(new Error("no exchange here")) } });
    expect(await completeSignIn(popupPage)).toBeNull();
    expect(posted).toEqual([[{ type: "cogkit.oauth.callback", url: callbackFor(state) }, "http://localhost:3000"]]);
    expect(setup.calls).toHaveLength(0);
    vi.unstubAllGlobals();
    // The opener completes it once.
    popup.cameBack(callbackFor(state));
    await setup.clock.advance(250);
    expect(await outcome).toEqual({ customState: "/popup" });
    expect(setup.calls).toHaveLength(1);
  });
});
