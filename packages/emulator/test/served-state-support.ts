import { buildClientConfig } from "../src/control/build-client-config.js";
import type { EmulatorCore } from "../src/create-emulator.js";
import { createEmulatorHandler } from "../src/create-emulator-handler.js";
import type { EmulatorOptions } from "../src/emulator-options.js";
import { createEmulatorState, type EmulatorState } from "../src/emulator-state.js";
import { serveFetchHandler } from "../src/serve-fetch-handler.js";

/**
 * An emulator state of the test's own, served over real HTTP, so a test can look inside
 * (count stored families, sessions, messages) while it talks to the emulator like a client.
 * `emulator` has what `./support.js` helpers need: url, config, outbox, advanceTime.
 */
export async function serveState(options: EmulatorOptions = {}): Promise<{ state: EmulatorState; emulator: EmulatorCore; close(): Promise<void> }> {
  const state = await createEmulatorState({ url: "http://127.0.0.1" }, { quiet: true, ...options });
  const server = await serveFetchHandler(createEmulatorHandler(state));
  const emulator = {
    url: server.url,
    config: buildClientConfig(state),
    outbox: { latest: (login: string) => state.outbox.latest(login), all: (login?: string) => state.outbox.all(login) },
    advanceTime: (ms: number) => state.clock.advance(ms),
  } as unknown as EmulatorCore;
  return { state, emulator, close: () => server.close() };
}
