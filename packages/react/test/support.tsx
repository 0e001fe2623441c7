import { type AuthClient, type AuthConfig, type AuthClientOptions, createAuthClient, createMemoryStorage, defineAuth, type KeyValueStorage } from "@cogkit/core";
import { type Emulator, type EmulatorOptions, startEmulator } from "@cogkit/emulator";

/** The app's definition: a typed custom Boolean attribute and a group. */
export const auth = defineAuth({
  loginWith: { email: true },
  groups: ["admins"],
  userAttributes: {
    email: { required: true },
    "custom:is_beta_user": { dataType: "Boolean", mutable: true },
  },
});

export type Schema = NonNullable<typeof auth.userAttributes>;

export const password = "Corr3ct-Horse!";
let counter = 0;
export const newEmail = () => `react${++counter}.${Date.now()}@example.com`;

export interface Harness {
  emulator: Emulator;
  /** A client of the emulator's pool with its own memory storage unless one is given; disposed after the file. */
  client(options?: { storage?: KeyValueStorage } & AuthClientOptions): AuthClient<Schema>;
  /** Signs up and confirms a user (with the code from the emulator's outbox); returns the email. */
  confirmedUser(): Promise<string>;
  stop(): Promise<void>;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ quiet: true, auth, ...options });
  const clients: AuthClient<any>[] = [];
  const harness: Harness = {
    emulator,
    client({ storage = createMemoryStorage(), ...rest } = {}) {
      // No tab channel unless a test asks: the clients of one file would hear each other.
      const client = createAuthClient<Schema>(
        { ...emulator.config, ...auth } as AuthConfig<Schema>,
        { ...rest, platform: { broadcast: () => undefined, ...rest.platform, storage } },
      );
      clients.push(client);
      return client;
    },
    async confirmedUser() {
      const email = newEmail();
      const client = harness.client();
      await client.signUp({ username: email, password, attributes: { email } });
      await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
      return email;
    },
    async stop() {
      for (const client of clients) client.dispose();
      await emulator.stop();
    },
  };
  return harness;
}
