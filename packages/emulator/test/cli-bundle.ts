import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

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
