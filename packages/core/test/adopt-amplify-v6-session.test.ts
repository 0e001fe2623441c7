// Switching from Amplify v6 (aws-amplify/auth) itself: Amplify signs in against the emulator
// over real HTTP, keeping its session in a storage of its own (async, as Amplify's storages
// are), and a cogkit client adopts it from there into its own storage. Amplify is a module
// singleton, so it has this file to itself.
import { startEmulator } from "@cogkit/emulator";
import { Amplify } from "aws-amplify";
import { fetchAuthSession, signIn } from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { ConsoleLogger } from "aws-amplify/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthClient, defineAuth } from "@cogkit/core";
import { adoptAmplifySession } from "@cogkit/core/migrate";
import { listableStorage, newEmail, password } from "./devices-support.js";
import { transports } from "./journey-support.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const auth = defineAuth({ loginWith: { email: true } });

/** Amplify's key-value storage, async like its own, over a map a test can list. */
function amplifyStorage() {
  const items = new Map<string, string>();
  return {
    setItem: async (key: string, value: string) => void items.set(key, value),
    getItem: async (key: string) => items.get(key) ?? null,
    removeItem: async (key: string) => void items.delete(key),
    clear: async () => items.clear(),
    keys: () => [...items.keys()],
  };
}

describe.each(transports)("adopting an Amplify v6 session over the $name transport", ({ make }) => {
  let emulator: Emulator;
  beforeAll(async () => {
    // Amplify warns on stderr about any custom endpoint; the emulator is one on purpose.
    ConsoleLogger.LOG_LEVEL = "ERROR";
    emulator = await startEmulator({ quiet: true, auth });
    const { userPoolId, userPoolClientId } = emulator.config;
    Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: emulator.url } } });
  });
  afterAll(() => emulator.stop());

  it("signs the same user in from Amplify's storage into cogkit's, refreshes, and signs Amplify out", async () => {
    const amplify = amplifyStorage();
    cognitoUserPoolsTokenProvider.setKeyValueStorage(amplify);
    const email = newEmail();
    emulator.createUser({ username: email, password, attributes: { email, email_verified: "true" } });
    expect(await signIn({ username: email, password })).toMatchObject({ isSignedIn: true });
    const { tokens } = await fetchAuthSession();
    const sub = tokens!.idToken!.payload.sub;
    expect(amplify.keys().length).toBeGreaterThanOrEqual(5);

    const storage = listableStorage();
    const config = { ...emulator.config, ...auth };
    const client = createAuthClient(config, { transport: make(config), platform: { storage } });
    try {
      expect(await adoptAmplifySession(client, { storage: amplify })).toEqual({ adopted: true, username: tokens!.accessToken.payload.username, device: false });
      expect(client.getSnapshot()).toMatchObject({ status: "signedIn", user: { userId: sub } });
      expect(storage.keys()).toEqual([`cogkit.${config.userPoolClientId}.session`]);
      expect(amplify.keys()).toEqual([]);
      expect((await client.getTokens({ forceRefresh: true })).idToken.payload.sub).toBe(sub);
      // Amplify, reading the same storage, now finds nobody signed in.
      expect((await fetchAuthSession()).tokens).toBeUndefined();
    } finally {
      client.dispose();
    }
  });
});
