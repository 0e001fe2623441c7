// The README's shell blocks, run in the order written on a fresh `git clone` of HEAD (no
// node_modules, no dist/), so a README edit is tested like code once committed. HEAD rather
// than the working tree: edits in progress are not what a user clones.
//
// What it costs on a 2-core machine: the install reuses pnpm's store (prefer-offline: no
// download when the store has the lockfile's packages) and takes seconds; `pnpm demo`
// builds the four packages (about 25 s on an idle machine, most of it type declarations),
// the rest takes a second or two. Three stand-ins keep the run on this machine and
// finite, each said where it acts:
// - `npm i -g pnpm@<version>` does not touch the machine's global packages: it checks the
//   pnpm on PATH is that version (and the one package.json's packageManager names);
// - `apt-get` is refused (installing system packages is not a test's to do; the README's
//   block calls it only when chromium is missing, which the browser tests need anyway);
// - `pnpm test` is not run, only checked to be reached with the rest of its block passed:
//   it runs this very test, so running it here would never end.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./packaging/packed-project.js";

interface BlockRun {
  block: string;
  code: number | null;
  output: string;
}

/** The fenced `sh` blocks of a Markdown text, in order. */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```$/gm)].map((match) => match[1]!.trim());
}

/** The environment a user's shell would have: no npm/pnpm script variables, no test runner's. */
function userEnv(standIns: string): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !/^(npm_|pnpm_config_|VITEST|NODE_OPTIONS$|NODE_ENV$)/i.test(entry[0]),
    ),
  );
  // The store already holds the lockfile's packages: take them from there, not the registry.
  return { ...env, PATH: `${standIns}:${env.PATH}`, npm_config_prefer_offline: "true" };
}

/** Runs one block with bash (-e, -o pipefail) in `cwd`; stdout and stderr interleaved, as a user sees them. */
function runBlock(block: string, cwd: string, env: Record<string, string>): Promise<BlockRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-eo", "pipefail", "-c", block], { cwd, env, stdio: ["ignore", "pipe", "pipe"], timeout: 400_000, killSignal: "SIGKILL" });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ block, code, output }));
  });
}

async function writeStandIns(dir: string, pnpm: string, pnpmVersion: string, reached: string) {
  const scripts: Record<string, string> = {
    npm: `#!/bin/sh
# Stand-in: the README's "npm i -g pnpm@<version>" is checked, not run.
if [ "$*" = "i -g pnpm@${pnpmVersion}" ]; then
  [ "$("${pnpm}" --version)" = "${pnpmVersion}" ] && exit 0
  echo "npm stand-in: the pnpm on PATH is not ${pnpmVersion}" >&2; exit 1
fi
echo "npm stand-in: the README test runs only 'npm i -g pnpm@${pnpmVersion}' (the version package.json names), not: npm $*" >&2
exit 1
`,
    "apt-get": `#!/bin/sh
echo "apt-get stand-in: the README test installs no system packages (apt-get $*)" >&2
exit 1
`,
    pnpm: `#!/bin/sh
# Stand-in: "pnpm test" would run this test again; it is only marked as reached.
if [ "$#" = 1 ] && [ "$1" = test ]; then echo reached >> "${reached}"; exit 0; fi
exec "${pnpm}" "$@"
`,
  };
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(scripts)) {
    await writeFile(join(dir, name), text);
    await chmod(join(dir, name), 0o755);
  }
}

describe("the README's commands on a fresh clone", () => {
  let root: string;
  let clone: string;
  const runs: BlockRun[] = [];
  let reached: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "cogkit-readme-"));
    clone = join(root, "cogkit");
    const standIns = join(root, "stand-ins");
    reached = join(root, "pnpm-test-reached");
    execFileSync("git", ["clone", "--quiet", repoRoot, clone], { stdio: "pipe" });
    const manifest = JSON.parse(await readFile(join(clone, "package.json"), "utf8")) as { packageManager: string };
    const pnpm = execFileSync("bash", ["-c", "command -v pnpm"], { encoding: "utf8" }).trim();
    await writeStandIns(standIns, pnpm, manifest.packageManager.replace(/^pnpm@/, ""), reached);
    const env = userEnv(standIns);
    const blocks = shellBlocks(await readFile(join(clone, "README.md"), "utf8"));
    for (const block of blocks) {
      const result = await runBlock(block, clone, env);
      runs.push(result);
      if (result.code !== 0) break;
    }
  }, 900_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("runs every block, in order, to exit 0", () => {
    const failed = runs.find((run) => run.code !== 0);
    expect(failed && `${failed.block}\nexit ${failed.code}\n${failed.output}`).toBeUndefined();
    expect(runs.length).toBeGreaterThanOrEqual(3);
  });

  it("installs with nothing a user must worry about: no warnings, no ignored build scripts, no bins that failed to link", () => {
    const install = runs[0]!;
    expect(install.block).toMatch(/pnpm install --frozen-lockfile/);
    for (const alarm of [/\bWARN\b/, /Ignored build scripts/i, /Failed to create bin/i, /approve-builds/]) expect(install.output).not.toMatch(alarm);
  });

  it("runs the demo to its end (it stops its emulator and exits)", () => {
    expect(runs[0]!.block).toMatch(/pnpm demo/);
    expect(runs[0]!.output).toContain("after sign-out: guest again");
  });

  it("finds cogkit-emulator and cogkit with pnpm exec once the demo has built them", () => {
    const bins = runs.find((run) => run.block.includes("pnpm exec cogkit-emulator"));
    expect(bins?.output).toContain("Usage: cogkit-emulator");
    expect(bins?.output).toContain("Usage: cogkit <command>");
  });

  it("starts the emulator from the clone's linked cogkit-emulator bin, which answers and stops on SIGTERM", async () => {
    // The bin pnpm linked (a shell script that execs node), so the signal reaches the emulator.
    const child = spawn(join(clone, "node_modules", ".bin", "cogkit-emulator"), ["--port", "0"], { cwd: clone, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    let output = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    try {
      // The URL and the config JSON after it may come in separate chunks: wait for both.
      const [url, userPoolId] = await new Promise<[string, string]>((resolve, reject) => {
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          output += chunk;
          const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
          const userPoolId = /"userPoolId": "([^"]+)"/.exec(output)?.[1];
          if (url && userPoolId) resolve([url, userPoolId]);
        });
        void exited.then((code) => reject(new Error(`cogkit-emulator exited (${code}) before listening:\n${output}`)));
      });
      expect((await fetch(`${url}/${userPoolId}/.well-known/jwks.json`)).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited, output).toBe(0);
  });

  it("gets to `pnpm test` with the rest of its block passed (not run: it includes this test)", async () => {
    expect(runs.some((run) => /&& pnpm test$/.test(run.block))).toBe(true);
    expect(existsSync(reached) && (await readFile(reached, "utf8"))).toBe("reached\n");
  });

  it("prints no Node warning (such as the AWS SDK's Node-version notice) from any command", () => {
    for (const run of runs) expect(run.output).not.toMatch(/NodeVersionSupportWarning|\(node:\d+\) \w*Warning/);
  });
});

describe("the bins before a build", () => {
  it.each([
    ["packages/node/bin/cogkit.js", "cogkit: @cogkit/node is not built yet: run pnpm build in the cogkit repository\n"],
    ["packages/emulator/bin/cogkit-emulator.js", "cogkit-emulator: @cogkit/emulator is not built yet: run pnpm build in the cogkit repository\n"],
  ])("%s says to run pnpm build (exit 1) where dist/ is missing", async (shim, message) => {
    const dir = await mkdtemp(join(tmpdir(), "cogkit-shim-"));
    try {
      await mkdir(join(dir, "bin"));
      const copy = join(dir, "bin", "shim.mjs");
      await writeFile(copy, await readFile(join(repoRoot, shim), "utf8"));
      const result = await runBlock(`node ${copy} --help`, dir, userEnv(dir));
      expect(result).toMatchObject({ code: 1, output: message });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
