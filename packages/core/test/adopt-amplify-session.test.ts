// Switching from amazon-cognito-identity-js / Amplify v6 without signing anyone out: the
// library signs in against the emulator over real HTTP and keeps its session in a storage; a
// cogkit client over that storage adopts it (once per transport). What is not this app
// client's and this pool's, signed by it, and whole, is ignored.
import { AuthenticationDetails, type CognitoUser, type CognitoUserSession } from "amazon-cognito-identity-js";
import { startEmulator } from "@cogkit/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AuthClient, type AuthEvent, createAuthClient, defineAuth, type KeyValueStorage, trackDevices } from "@cogkit/core";
import { adoptAmplifySession } from "@cogkit/core/migrate";
import { cognitoIdentityJs } from "../../emulator/test/cognito-identity-js-support.js";
import { createTestClock } from "./test-clock.js";
import { deviceAuth, newEmail, password, phone, userOptIn } from "./devices-support.js";
import { failure, transports } from "./journey-support.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Browser = ReturnType<typeof cognitoIdentityJs>;

const auth = defineAuth({ loginWith: { email: true } });

/** Signs `email` in with amazon-cognito-identity-js, answering an SMS code from the outbox if asked. */
function libraryDevice(emulator: Emulator, user: CognitoUser, email: string) {
  return new Promise<CognitoUserSession>((resolve, reject) => {
    const callbacks = {
      onSuccess: resolve,
      onFailure: reject,
      mfaRequired: () => user.sendMFACode(emulator.outbox.latest(email)!.code, callbacks),
      totpRequired: () => reject(new Error("TOTP was not expected")),
      newPasswordRequired: () => reject(new Error("a new password was not expected")),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), callbacks);
  });
}

/** The keys the library keeps for the app client `clientId`. */
const libraryKeys = (browser: Browser, clientId: string) => browser.storage.keys().filter((key) => key.startsWith(`CognitoIdentityServiceProvider.${clientId}.`));

describe.each(transports)("adopting an amazon-cognito-identity-js session over the $name transport", ({ make }) => {
  let emulator: Emulator;
  let other: Emulator;
  const clients: AuthClient<any>[] = [];
  const clientOver = (storage: KeyValueStorage, on: Emulator = emulator) => {
    const config = { ...on.config, ...auth };
    const client = createAuthClient(config, { transport: make(config), platform: { storage } });
    clients.push(client);
    return client;
  };

  /** A confirmed user signed in by the library in a browser of its own. */
  async function signedInWithLibrary(on: Emulator = emulator) {
    const email = newEmail();
    on.createUser({ username: email, password, attributes: { email, email_verified: "true" } });
    const browser = cognitoIdentityJs(on);
    const session = await libraryDevice(on, browser.user(email), email);
    return { email, browser, session };
  }

  beforeAll(async () => {
    [emulator, other] = await Promise.all([startEmulator({ quiet: true, auth }), startEmulator({ quiet: true, auth })]);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.dispose();
  });
  afterAll(() => Promise.all([emulator.stop(), other.stop()]));

  it("signs the same user in, writes cogkit's record whole, tells listeners, refreshes, and removes the library's keys", async () => {
    const { browser, session } = await signedInWithLibrary();
    const clientId = emulator.config.userPoolClientId;
    expect(libraryKeys(browser, clientId).length).toBeGreaterThanOrEqual(5);
    const client = clientOver(browser.storage);
    const events: AuthEvent[] = [];
    client.subscribe((event) => events.push(event));

    const sub = session.getIdToken().payload.sub;
    expect(await adoptAmplifySession(client)).toEqual({ adopted: true, username: session.getAccessToken().payload.username, device: false });
    expect(client.getSnapshot()).toMatchObject({ status: "signedIn", user: { userId: sub } });
    expect(events.filter((event) => event.type === "signedIn")).toHaveLength(1);
    expect(libraryKeys(browser, clientId)).toEqual([]);
    expect(browser.storage.keys()).toEqual([`cogkit.${clientId}.session`]);

    const refreshes = emulator.callCount("GetTokensFromRefreshToken") + emulator.callCount("InitiateAuth");
    const refreshed = await client.getTokens({ forceRefresh: true });
    expect(refreshed.idToken.payload.sub).toBe(sub);
    expect(emulator.callCount("GetTokensFromRefreshToken") + emulator.callCount("InitiateAuth")).toBe(refreshes + 1);

    // A later start finds cogkit's own session, and nothing more to adopt.
    const later = clientOver(browser.storage);
    expect(await adoptAmplifySession(later)).toEqual({ adopted: false, reason: "noSession" });
    expect(later.getSnapshot()).toMatchObject({ status: "signedIn", user: { userId: sub } });
  });

  it("keeps a session cogkit already has, and leaves the library's keys alone", async () => {
    const first = await signedInWithLibrary();
    const client = clientOver(first.browser.storage);
    await adoptAmplifySession(client);
    const second = await signedInWithLibrary();
    const clientId = emulator.config.userPoolClientId;
    for (const key of libraryKeys(second.browser, clientId)) first.browser.storage.setItem(key, second.browser.storage.getItem(key)!);
    const before = libraryKeys(first.browser, clientId);

    const later = clientOver(first.browser.storage);
    expect(await adoptAmplifySession(later)).toEqual({ adopted: false, reason: "alreadySignedIn" });
    expect(later.getSnapshot().user?.userId).toBe(first.session.getIdToken().payload.sub);
    expect(libraryKeys(first.browser, clientId)).toEqual(before);
  });

  describe("ignores, signed out and without throwing,", () => {
    /** Adopts from `browser` as it now is; expects nothing adopted, the client signed out and the library's keys untouched. */
    async function expectIgnored(browser: Browser, reason: string, on: Emulator = emulator) {
      const before = Object.fromEntries(browser.storage.keys().map((key) => [key, browser.storage.getItem(key)]));
      const client = clientOver(browser.storage, on);
      expect(await adoptAmplifySession(client)).toEqual({ adopted: false, reason });
      expect(client.getSnapshot().status).toBe("signedOut");
      expect(Object.fromEntries(browser.storage.keys().map((key) => [key, browser.storage.getItem(key)]))).toEqual(before);
    }
    const userKey = (browser: Browser, name: string, on: Emulator = emulator) =>
      `CognitoIdentityServiceProvider.${on.config.userPoolClientId}.${browser.storage.getItem(`CognitoIdentityServiceProvider.${on.config.userPoolClientId}.LastAuthUser`)}.${name}`;

    it("a session without its refresh token", async () => {
      const { browser } = await signedInWithLibrary();
      browser.storage.removeItem(userKey(browser, "refreshToken"));
      await expectIgnored(browser, "invalid");
    });

    it("a token that is not a JWT", async () => {
      const { browser } = await signedInWithLibrary();
      browser.storage.setItem(userKey(browser, "idToken"), "not-a-jwt");
      await expectIgnored(browser, "invalid");
    });

    it("an id token whose claims were changed after the pool signed it", async () => {
      const { browser } = await signedInWithLibrary();
      const key = userKey(browser, "idToken");
      const [header, payload, signature] = browser.storage.getItem(key)!.split(".");
      const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
      browser.storage.setItem(key, [header, Buffer.from(JSON.stringify({ ...claims, email: "someone.else@example.com" })).toString("base64url"), signature].join("."));
      await expectIgnored(browser, "invalid");
    });

    it("tokens of another pool and app client kept under this app client's keys", async () => {
      const { browser } = await signedInWithLibrary(other);
      // The other pool's session, moved under this app client's names.
      const from = `CognitoIdentityServiceProvider.${other.config.userPoolClientId}.`;
      for (const key of libraryKeys(browser, other.config.userPoolClientId)) {
        browser.storage.setItem(key.replace(from, `CognitoIdentityServiceProvider.${emulator.config.userPoolClientId}.`), browser.storage.getItem(key)!);
        browser.storage.removeItem(key);
      }
      await expectIgnored(browser, "invalid");
    });

    it("nothing at all", async () => {
      await expectIgnored(cognitoIdentityJs(emulator), "noSession");
    });
  });

  it("adopts a pair that expired while the app was closed, and refreshes it before handing out tokens", async () => {
    const { browser, session } = await signedInWithLibrary();
    // The app opens two hours later: both tokens have expired, the refresh token has not.
    const clock = createTestClock(Date.now() + 2 * 3600_000);
    emulator.advanceTime(2 * 3600_000);
    const config = { ...emulator.config, ...auth };
    const client = createAuthClient(config, { transport: make(config), platform: { storage: browser.storage, clock } });
    clients.push(client);
    expect(await adoptAmplifySession(client)).toMatchObject({ adopted: true });
    const tokens = await client.getTokens();
    expect(tokens.accessToken.payload.sub).toBe(session.getAccessToken().payload.sub);
    expect(tokens.accessToken.payload.iat).toBeGreaterThan(session.getAccessToken().payload.iat);
    expect(tokens.expiresAt).toBeGreaterThan(clock.now());
  });

  it("leaves the library's keys in place when cogkit's own storage cannot keep the session", async () => {
    const { browser, session } = await signedInWithLibrary();
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error("storage unavailable");
      },
      setItem: () => {
        throw new Error("storage unavailable");
      },
      removeItem: () => undefined,
    };
    const before = browser.storage.keys();
    const config = { ...emulator.config, ...auth };
    const client = createAuthClient(config, { transport: make(config), platform: { storage: broken } });
    clients.push(client);
    // Signed in for this page's life (in memory), and adopted again at the next start.
    expect(await adoptAmplifySession(client, { storage: browser.storage })).toMatchObject({ adopted: true });
    expect(client.getSnapshot().user?.userId).toBe(session.getIdToken().payload.sub);
    expect(browser.storage.keys()).toEqual(before);
  });

  it("keeps the library's session for a later start when the pool's keys cannot be fetched", async () => {
    const { browser, session } = await signedInWithLibrary();
    const offline: typeof fetch = async (url, init) => {
      if (String(url).endsWith("/.well-known/jwks.json")) throw new TypeError("fetch failed");
      return fetch(url, init);
    };
    const config = { ...emulator.config, ...auth };
    const first = createAuthClient(config, { transport: make(config), platform: { storage: browser.storage, fetch: offline } });
    clients.push(first);
    const before = browser.storage.keys();
    expect(await adoptAmplifySession(first)).toEqual({ adopted: false, reason: "unverified" });
    expect(first.getSnapshot().status).toBe("signedOut");
    expect(browser.storage.keys()).toEqual(before);

    const later = clientOver(browser.storage);
    expect(await adoptAmplifySession(later)).toMatchObject({ adopted: true });
    expect(later.getSnapshot().user?.userId).toBe(session.getIdToken().payload.sub);
  });

  it("rejects a client it did not make with a TypeError, and a disposed one as its own calls do", async () => {
    await expect(adoptAmplifySession({} as AuthClient)).rejects.toThrow(new TypeError("adoptAmplifySession: expected a client made by createAuthClient"));
    const { browser } = await signedInWithLibrary();
    const client = clientOver(browser.storage);
    client.dispose();
    const before = browser.storage.keys();
    expect(await failure(adoptAmplifySession(client))).toMatchObject({ code: "ERR_ABORTED" });
    expect(browser.storage.keys()).toEqual(before);
  });

  describe("in a pool that remembers devices", () => {
    let devices: Emulator;
    beforeAll(async () => {
      devices = await startEmulator({ quiet: true, auth: deviceAuth, deviceTracking: userOptIn });
    });
    afterAll(() => devices.stop());

    it("keeps the device the library remembered, so the next sign-in skips MFA", async () => {
      const email = newEmail();
      devices.createUser({ username: email, password, attributes: { email, email_verified: "true", phone_number: phone } });
      const browser = cognitoIdentityJs(devices);
      const user = browser.user(email);
      const session = await libraryDevice(devices, user, email);
      await new Promise((resolve, reject) => user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));

      const config = { ...devices.config, ...deviceAuth };
      const client = createAuthClient(config, { transport: make(config), platform: { storage: browser.storage } });
      clients.push(client);
      trackDevices(client);
      expect(await adoptAmplifySession(client)).toEqual({ adopted: true, username: session.getAccessToken().payload.username, device: true });
      expect(libraryKeys(browser, config.userPoolClientId)).toEqual([]);
      // Refreshes name the adopted device, which the pool requires of tokens bound to one.
      expect((await client.getTokens({ forceRefresh: true })).accessToken.payload.device_key).toBe(session.getAccessToken().payload.device_key);

      // The pool requires an SMS code of every sign-in but on a remembered device: "done" at once is the device at work.
      await client.signOut();
      const { nextStep } = await client.signIn({ username: email, password });
      expect(nextStep).toEqual({ type: "done" });
      expect((await client.getTokens()).accessToken.payload.device_key).toBe(session.getAccessToken().payload.device_key);
    });
  });
});
