import { createEmulator, type EmulatorCore } from "./create-emulator.js";
import type { EmulatorHandler } from "./create-emulator-handler.js";
import type { EmulatorOptions } from "./emulator-options.js";
import { serveFetchHandler } from "./serve-fetch-handler.js";
import { checkEmulatorOptions } from "./check-options.js";

/**
 * A running emulator: the core plus the server's `stop()`.
 *
 * @example
 * let emulator: Emulator;
 * beforeAll(async () => { emulator = await startEmulator(); });
 * afterAll(() => emulator.stop());
 */
export interface Emulator extends EmulatorCore {
  /** Closes the server and its open connections, then writes the `state` file (if any) a last time. */
  stop(): Promise<void>;
}

/**
 * Starts a strict Cognito emulator on 127.0.0.1 (a free port unless `port` is given)
 * booted from an app's auth definition: a User Pool, an Identity Pool beside it (unless
 * `identityPool: false`) and STS `GetCallerIdentity` for the credentials it issues. It is
 * safe to leave running: only loopback `Host` names (and `allowedHosts`), CORS and the
 * control routes only for `allowedOrigins` (loopback pages by default), and `limits` on
 * body size, request time and connections.
 *
 * @example
 * const emulator = await startEmulator({ auth: defineAuth({ loginWith: { email: true } }) });
 * const client = createAuthClient(emulator.config);
 * // ... sign up, then: emulator.outbox.latest("ana@example.com")?.code
 * // identity pool: emulator.config.identityPoolId, Logins key emulator.userPoolLoginKey
 * await emulator.stop();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  checkEmulatorOptions(options);
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)) {
    throw new TypeError("port must be a whole number from 0 to 65535");
  }
  let handle: EmulatorHandler | undefined;
  const server = await serveFetchHandler((request) => (handle ? handle(request) : Promise.resolve(new Response("starting", { status: 503 }))), {
    ...(options.port === undefined ? {} : { port: options.port }),
    allowedHosts: options.allowedHosts,
    limits: options.limits,
  });
  try {
    const core = await createEmulator({ ...options, url: server.url });
    handle = core.handle;
    return {
      ...core,
      async stop() {
        try {
          await server.close();
        } finally {
          await core.saveState();
        }
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
