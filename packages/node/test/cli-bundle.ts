// Builds the `cogkit` CLI from the sources into a directory inside the package (so its
// external packages resolve from packages/node/node_modules): tests run it as a process
// without depending on a stale build.
import { mkdir, mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Bundles the CLI and the test scripts; `scripts` adds more (output name → source path). */
export async function bundleCli(scripts: Record<string, string> = {}): Promise<{ dir: string; cli: string }> {
  const parent = source("../node_modules/.cache");
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, "cogkit-cli-"));
  await build({
    entryPoints: {
      cli: source("../src/cli.ts"),
      "get-credentials-script": source("./get-credentials-script.ts"),
      "await-credentials-script": source("./await-credentials-script.ts"),
      ...scripts,
    },
    outdir: dir,
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    alias: {
      "@cogkit/core/aws-sdk": source("../../core/src/aws-sdk.ts"),
      "@cogkit/core/hosted-ui": source("../../core/src/hosted-ui.ts"),
      "@cogkit/core": source("../../core/src/index.ts"),
      "@cogkit/node": source("../src/index.ts"),
    },
    logLevel: "silent",
  });
  return { dir, cli: join(dir, "cli.js") };
}
