// A throwaway consumer project whose @cogkit packages are the packed tarballs, extracted —
// so only the files a package really publishes are there — and whose other dependencies
// are symlinks to the copies the workspace already installed: no registry, no network, and
// none of vitest's source aliases, since everything runs in child processes.
import { spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { packTarballs, publishedPackages } from "../../scripts/tarball-check.mjs";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));

/** The workspace packages that are published, by directory name under `packages/`. */
export const packageDirs = ["core", "emulator", "node", "react"] as const;
export type PackageDir = (typeof packageDirs)[number];

/** Installed but not declared by any package: what the consumer apps and the type check need. */
const extraDependencies: Array<[name: string, from: PackageDir | "root"]> = [
  ["react-dom", "react"],
  ["@types/react", "react"],
  ["@types/react-dom", "react"],
  ["@types/node", "root"],
];

export interface Manifest {
  name: string;
  version: string;
  main?: string;
  module?: string;
  types?: string;
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface PackedPackage {
  /** Where the extracted tarball sits: `<project>/node_modules/@cogkit/<name>`. */
  dir: string;
  /** The manifest as published (pnpm rewrites `workspace:` ranges when packing). */
  manifest: Manifest;
  /** Every path in the tarball, relative to the package root. */
  files: string[];
  /** The `.tgz` that `pnpm pack` made, as `pnpm release` would publish it. */
  tarball: string;
}

export interface PackedProject {
  dir: string;
  packages: Record<PackageDir, PackedPackage>;
  /** Copies a fixture file or folder (under `test/packaging/fixtures`) into the project. */
  addFixture(from: string, to?: string): Promise<string>;
  cleanup(): Promise<void>;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (or until `timeoutMs`, then kills it), never throwing on a non-zero exit. */
export function run(command: string, args: string[], options: { cwd: string; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    // A NODE_OPTIONS from the caller (--conditions, --require...) would change what resolves.
    delete env.NODE_OPTIONS;
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A failed run's output, for an assertion message that says what went wrong. */
export function describeRun(result: RunResult): string {
  return `exit ${result.code ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(dir, join(prefix, entry.name)) : [join(prefix, entry.name)])),
  );
  return nested.flat();
}

/** The installed copy of `name` that `from` sees, as a real path (pnpm's store layout keeps its own dependencies beside it). */
function installedPath(name: string, from: PackageDir | "root"): string | undefined {
  const candidates = [
    ...(from === "root" ? [] : [join(repoRoot, "packages", from, "node_modules", name)]),
    join(repoRoot, "node_modules", name),
  ];
  const found = candidates.find((candidate) => existsSync(join(candidate, "package.json")));
  return found && realpathSync(found);
}

async function link(projectDir: string, name: string, target: string): Promise<void> {
  const at = join(projectDir, "node_modules", name);
  if (existsSync(at)) return;
  await mkdir(dirname(at), { recursive: true });
  await symlink(target, at, "dir");
}

/**
 * Packs every published package with `pnpm pack` (which needs a prior `pnpm build`) and lays
 * out a consumer project in a fresh temp directory.
 */
export async function createPackedProject(): Promise<PackedProject> {
  const missing = packageDirs.filter((name) => !existsSync(join(repoRoot, "packages", name, "dist")));
  if (missing.length > 0) {
    throw new Error(`packages/{${missing.join(",")}}/dist is missing: run \`pnpm build\` before the packaging tests`);
  }
  const dir = await mkdtemp(join(tmpdir(), "cogkit-packaging-"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    // Packed as `pnpm release` packs them; the release checks (test/packaging.test.ts) read these very tarballs.
    const tarballs = await packTarballs(join(dir, "tarballs"));

    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "cogkit-packaging-consumer", private: true }, null, 2));
    const packages = {} as Record<PackageDir, PackedPackage>;
    for (const name of packageDirs) {
      const workspaceManifest = JSON.parse(await readFile(join(repoRoot, "packages", name, "package.json"), "utf8")) as Manifest;
      const tarball = tarballs[publishedPackages.indexOf(name)]!;
      const extracted = join(dir, "extract", name);
      await mkdir(extracted, { recursive: true });
      const untar = await run("tar", ["-xzf", tarball, "-C", extracted], { cwd: dir });
      if (untar.code !== 0) throw new Error(`tar failed: ${describeRun(untar)}`);
      const target = join(dir, "node_modules", workspaceManifest.name);
      await mkdir(dirname(target), { recursive: true });
      await rename(join(extracted, "package"), target);
      const manifest = JSON.parse(await readFile(join(target, "package.json"), "utf8")) as Manifest;
      packages[name] = { dir: target, manifest, files: await listFiles(target), tarball };
    }

    // Every dependency and peer the packed manifests declare, from the workspace's install.
    for (const name of packageDirs) {
      const { manifest } = packages[name];
      for (const dependency of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
        if (dependency.startsWith("@cogkit/")) continue;
        const target = installedPath(dependency, name);
        if (!target) throw new Error(`${manifest.name} depends on ${dependency}, which the workspace has not installed`);
        await link(dir, dependency, target);
      }
    }
    for (const [dependency, from] of extraDependencies) {
      const target = installedPath(dependency, from);
      if (!target) throw new Error(`the workspace has not installed ${dependency}`);
      await link(dir, dependency, target);
    }

    return {
      dir,
      packages,
      async addFixture(from, to = from) {
        const destination = join(dir, to);
        await cp(join(fixtures, from), destination, { recursive: true });
        return destination;
      },
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
