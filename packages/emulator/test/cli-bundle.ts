import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll } from "vitest";

export const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The `cogkit-emulator` command as its own file, bundled fresh from the sources into a
 * temporary directory, so a test never depends on a stale build; `remove()` deletes it.
 *
 * @example
 * const cli = await bundleEmulatorCli();
 * spawn(process.execPath, [cli.bundle, "--quiet"]);
 */
export async function bundleEmulatorCli(): Promise<{ dir: string; bundle: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "cogkit-emulator-cli-"));
  const bundle = join(dir, "cli.mjs");
  await build({
    entryPoints: [source("../src/cli.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    // ESM entries first: the CJS builds of the signer's dependencies require node built-ins dynamically.
    mainFields: ["module", "main"],
    target: "node20",
    alias: { "@cogkit/core": source("../../core/src/index.ts") },
    logLevel: "silent",
  });
  return { dir, bundle, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A suite's bundle of the command: made before its tests, deleted after them.
 *
 * @example
 * const cli = useEmulatorCli();
 * it("starts", async () => { const running = runCli(cli.bundle, ["--quiet"]); ... });
 */
export function useEmulatorCli(): { readonly dir: string; readonly bundle: string } {
  let made: Awaited<ReturnType<typeof bundleEmulatorCli>> | undefined;
  beforeAll(async () => {
    made = await bundleEmulatorCli();
  });
  afterAll(() => made?.remove());
  const ready = () => {
    if (!made) throw new Error("useEmulatorCli(): the bundle is made in beforeAll");
    return made;
  };
  return {
    get dir() {
      return ready().dir;
    },
    get bundle() {
      return ready().bundle;
    },
  };
}

/** A running `cogkit-emulator` child process. */
export interface RunningCli {
  /** Resolves with the first match of `pattern` in stdout (rejects if the process exits first). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Everything printed so far. */
  readonly output: string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Kills it at once (for `finally`). */
  kill(): void;
}

/**
 * Runs the bundled command with arguments and follows its output.
 *
 * @example
 * const cli = runCli(bundle, ["--quiet"]);
 * const [, url] = await cli.waitFor(/listening on (\S+)\n/);
 * expect(await cli.stop()).toBe(0);
 */
export function runCli(bundle: string, args: readonly string[]): RunningCli {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let errors = "";
  const waiting = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of waiting) check();
  });
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    get output() {
      return output;
    },
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            waiting.delete(check);
            resolve(match);
          }
        };
        waiting.add(check);
        void exited.then((code) => reject(new Error(`exited with ${code}: ${output}${errors}`)));
        check();
      }),
    stop() {
      child.kill("SIGTERM");
      return exited;
    },
    kill: () => void child.kill("SIGKILL"),
  };
}
