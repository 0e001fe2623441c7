// What `pnpm release --dry-run` (and `pnpm test`, through test/release.test.ts) checks in each
// packed tarball before it may be published: what a user would install, not the workspace.
//   - publint (strict) and @arethetypeswrong/cli (node16 profile) on the packed files;
//   - the files list: only dist/, the bin shims the manifest names, README, LICENSE, CHANGELOG
//     and package.json — no sources, tests, env files or build leftovers;
//   - source maps: every sourceMappingURL and every map's sources resolve inside the tarball
//     (or the map carries the sources' content), so a debugger never points at nothing;
//   - the unpacked size against the package's budget.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** The published packages, by directory under packages/, in the order they are published (dependencies first). */
export const publishedPackages = ["core", "emulator", "react", "node"];

/**
 * Unpacked size budgets in bytes (what `npm install` writes to disk), about a fifth above the
 * sizes measured when the budgets were set (core 581 KB, emulator 883 KB, node 210 KB,
 * react 41 KB): a bundling mistake (a dependency inlined, maps shipped) trips them, ordinary
 * growth does not. Raise one deliberately, in the change that needs it.
 */
export const sizeBudgets = {
  "@cogkit/core": 700_000,
  "@cogkit/emulator": 1_060_000,
  "@cogkit/node": 255_000,
  "@cogkit/react": 50_000,
};

/**
 * @typedef {{ name: string, version: string, files: Array<{ path: string, size: number }>, unpackedSize: number, problems: string[] }} TarballReport
 */

/** Runs a command, resolving with its exit code and output (never rejecting on a non-zero exit). */
export function exec(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, encoding: "utf8", ...options }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") reject(error);
      else resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

/**
 * Packs every published package with `pnpm pack` into `destination` (which rewrites
 * `workspace:` ranges as publishing does) and returns the tarballs' paths, in publishing order.
 * Needs a prior `pnpm build`.
 * @param {string} destination
 * @returns {Promise<string[]>}
 */
export async function packTarballs(destination) {
  await mkdir(destination, { recursive: true });
  const packed = await exec("pnpm", ["--recursive", "--filter", "./packages/*", "pack", "--pack-destination", destination], { cwd: repoRoot });
  if (packed.code !== 0) throw new Error(`pnpm pack failed (exit ${packed.code}):\n${packed.stdout}${packed.stderr}`);
  const made = await readdir(destination);
  const tarballs = [];
  for (const dir of publishedPackages) {
    const { name, version } = JSON.parse(await readFile(join(repoRoot, "packages", dir, "package.json"), "utf8"));
    const file = `${name.replace("@", "").replace("/", "-")}-${version}.tgz`;
    if (!made.includes(file)) throw new Error(`pnpm pack made no ${file}; it made: ${made.join(", ")}`);
    tarballs.push(join(destination, file));
  }
  return tarballs;
}

async function listFiles(dir, prefix = "") {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(dir, path) : [{ path, size: (await stat(join(dir, path))).size }];
    }),
  );
  return nested.flat();
}

/** The strings of an exports map or bin field. */
const leaves = (value) =>
  typeof value === "string" ? [value] : value && typeof value === "object" ? Object.values(value).flatMap(leaves) : [];

const alwaysAllowed = /^(package\.json|README(\.md)?|LICENSE(\.md|\.txt)?|CHANGELOG\.md)$/i;
const neverAllowed = [
  [/(^|\/)\.env(\.|$)/, "an env file"],
  [/(^|\/)(__tests__|__mocks__|test|tests)\//, "a test directory"],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, "a test file"],
  [/\.tsbuildinfo$/, "a TypeScript build cache"],
  [/(^|\/)\.(DS_Store|npmrc|git)/, "a stray dotfile"],
];

function filesProblems(files, manifest) {
  const problems = [];
  const bins = new Set(leaves(manifest.bin).map((path) => path.replace(/^\.\//, "")));
  for (const { path } of files) {
    const forbidden = neverAllowed.find(([pattern]) => pattern.test(path));
    if (forbidden) problems.push(`files: ${path} is ${forbidden[1]} and must not be published`);
    else if (!path.startsWith("dist/") && !bins.has(path) && !alwaysAllowed.test(path)) {
      problems.push(`files: ${path} is outside dist/, the bin shims, README, LICENSE and package.json`);
    }
  }
  if (!files.some(({ path }) => path.startsWith("dist/"))) problems.push("files: dist/ is missing (was the package built before packing?)");
  for (const required of ["README.md", "LICENSE"]) {
    if (!files.some(({ path }) => path === required)) problems.push(`files: ${required} is missing`);
  }
  return problems;
}

async function sourceMapProblems(root, files) {
  const problems = [];
  const present = new Set(files.map(({ path }) => path));
  for (const { path } of files) {
    if (/\.[cm]?js$/.test(path)) {
      const text = await readFile(join(root, path), "utf8");
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
      if (url && !url.startsWith("data:")) {
        const target = posix.normalize(posix.join(posix.dirname(path), url));
        if (!present.has(target)) problems.push(`source maps: ${path} names ${url}, which is not in the package`);
      }
    } else if (path.endsWith(".map")) {
      let map;
      try {
        map = JSON.parse(await readFile(join(root, path), "utf8"));
      } catch {
        problems.push(`source maps: ${path} is not valid JSON`);
        continue;
      }
      (map.sources ?? []).forEach((source, index) => {
        if (typeof map.sourcesContent?.[index] === "string") return;
        const target = posix.normalize(posix.join(posix.dirname(path), map.sourceRoot ?? "", source));
        if (!present.has(target)) problems.push(`source maps: ${path} points to ${source}, which is neither in the package nor inlined`);
      });
    }
  }
  return problems;
}

async function publintProblems(root) {
  // pack: false lints the extracted tarball as it stands: every file in it is what was published.
  const { messages, pkg } = await publint({ pkgDir: root, pack: false, strict: true, level: "warning" });
  return messages.map((message) => `publint: ${formatMessage(message, pkg, { color: false }) ?? message.code}`);
}

async function attwProblems(tarball) {
  const attw = join(repoRoot, "node_modules", ".bin", "attw");
  const result = await exec(attw, [tarball, "--profile", "node16", "--format", "json"], { cwd: dirname(tarball) });
  if (result.code === 0) return [];
  try {
    const { problems } = JSON.parse(result.stdout);
    const listed = Array.isArray(problems) ? problems : Object.values(problems ?? {}).flat();
    if (listed.length > 0) {
      return listed.map((problem) => `attw: ${problem.kind}${problem.entrypoint ? ` at ${problem.entrypoint}` : ""}${problem.resolutionKind ? ` (${problem.resolutionKind})` : ""}`);
    }
  } catch {
    // Not JSON: attw failed before analysing; its own words follow.
  }
  return [`attw: exit ${result.code}: ${(result.stdout + result.stderr).trim().slice(0, 2000)}`];
}

/**
 * Checks one packed tarball; a report with no problems may be published.
 * @param {string} tarball path to a `.tgz` made by `pnpm pack` / `npm pack`
 * @param {{ budget?: number }} [options] unpacked size budget in bytes (default: the package's entry in `sizeBudgets`)
 * @returns {Promise<TarballReport>}
 */
export async function checkTarball(tarball, options = {}) {
  const work = await mkdtemp(join(tmpdir(), "cogkit-tarball-check-"));
  try {
    const untar = await exec("tar", ["-xzf", tarball, "-C", work]);
    if (untar.code !== 0) throw new Error(`tar could not read ${basename(tarball)}: ${untar.stderr.trim()}`);
    const root = join(work, "package");
    const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
    const files = (await listFiles(root)).sort((a, b) => a.path.localeCompare(b.path));
    const unpackedSize = files.reduce((total, { size }) => total + size, 0);
    const budget = options.budget ?? sizeBudgets[manifest.name];
    const problems = [...filesProblems(files, manifest), ...(await sourceMapProblems(root, files))];
    if (budget === undefined) problems.push(`size: no budget is set for ${manifest.name} (scripts/tarball-check.mjs sizeBudgets)`);
    else if (unpackedSize > budget) problems.push(`size: unpacked ${unpackedSize} B is over the ${budget} B budget`);
    if (JSON.stringify(manifest).includes("workspace:")) problems.push("package.json: a workspace: range was not rewritten (pack with pnpm)");
    problems.push(...(await publintProblems(root)), ...(await attwProblems(tarball)));
    return { name: manifest.name, version: manifest.version, files, unpackedSize, problems };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** One line per tarball (and one per problem), for the release script's output. */
export function describeReport(report, budget = sizeBudgets[report.name]) {
  const size = `${(report.unpackedSize / 1000).toFixed(1)} kB unpacked${budget ? ` of ${(budget / 1000).toFixed(0)} kB` : ""}, ${report.files.length} files`;
  const head = `${report.problems.length === 0 ? "✓" : "✗"} ${report.name}@${report.version} (${size})`;
  return [head, ...report.problems.map((problem) => `    ${problem}`)].join("\n");
}
