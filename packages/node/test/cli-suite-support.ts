// Test support: the hooks every suite that runs the `cogkit` bundle as a process against an
// emulator needs, written once.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, type EmulatorOptions, startEmulator } from "@cogkit/emulator";
import { afterAll, afterEach, beforeAll } from "vitest";
import { bundleCli } from "./cli-bundle.js";
import { emulatorEnv } from "./support.js";

/** What {@link useCliSuite} makes; its fields are there once the suite's `beforeAll` has run. */
export interface CliSuite {
  emulator: Emulator;
  bundle: { dir: string; cli: string };
  /** The HOME and XDG_CONFIG_HOME of every profile of the suite. */
  home: string;
  /** The `COGKIT_*` settings of a profile of its own (`<tag><n>`), plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
}

/**
 * Registers a suite's hooks: before it, a quiet emulator (with `options`), the CLI bundle and
 * a home directory; after each test, no fault left pending; after it, all stopped and removed.
 *
 * @example
 * const suite = useCliSuite("exit");
 * it("…", async () => { const result = await runNode(suite.bundle.cli, ["credentials"], suite.env()); });
 */
export function useCliSuite(tag: string, options: EmulatorOptions = {}): CliSuite {
  let profiles = 0;
  const suite = { env: (extra = {}) => emulatorEnv(suite.emulator, suite.home, `${tag}${++profiles}`, extra) } as CliSuite;
  beforeAll(async () => {
    [suite.emulator, suite.bundle, suite.home] = await Promise.all([startEmulator({ quiet: true, ...options }), bundleCli(), mkdtemp(join(tmpdir(), `cogkit-${tag}-`))]);
  });
  afterEach(() => suite.emulator.clearFaults());
  afterAll(async () => {
    await suite.emulator.stop();
    await rm(suite.bundle.dir, { recursive: true, force: true });
    await rm(suite.home, { recursive: true, force: true });
  });
  return suite;
}
