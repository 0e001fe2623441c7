import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type Emulator } from "../src/start-emulator.js";
import type { EmulatorOptions } from "../src/emulator-options.js";

/**
 * A temporary directory for state files, and `restart()`: stops an emulator and starts
 * another on the same port (tokens name the port in `iss`) with the same options.
 *
 * @example
 * const dir = await stateDir();
 * let emulator = await startEmulator({ state: dir.file });
 * emulator = await dir.restart(emulator, { state: dir.file });
 */
export async function stateDir(): Promise<{ dir: string; file: string; restart(emulator: Emulator, options: EmulatorOptions): Promise<Emulator>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "cogkit-emulator-state-"));
  return {
    dir,
    file: join(dir, "emulator-state.json"),
    async restart(emulator, options) {
      const port = Number(new URL(emulator.url).port);
      await emulator.stop();
      return startEmulator({ ...options, port });
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
