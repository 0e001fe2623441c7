// The release flow's checks (scripts/tarball-check.mjs) over broken packages made here, so each
// check is seen to fail (test/packaging.test.ts runs them over the real packages, packed once
// there, after the build `pnpm test` made); and scripts/release.mjs refusing a real publish
// where it may not run. Nothing here publishes.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTarball, exec, repoRoot } from "../scripts/tarball-check.mjs";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "cogkit-release-test-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const goodFiles: Record<string, string> = {
  "package.json": JSON.stringify({
    name: "@cogkit/fixture",
    version: "1.0.0",
    license: "MIT",
    type: "module",
    files: ["dist"],
    main: "./dist/index.cjs",
    types: "./dist/index.d.cts",
    exports: {
      ".": {
        import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
        require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
      },
      "./package.json": "./package.json",
    },
  }),
  "README.md": "# fixture\n",
  LICENSE: "MIT\n",
  "dist/index.js": "export const answer = 42;\n",
  "dist/index.d.ts": "export declare const answer: number;\n",
  "dist/index.cjs": "exports.answer = 42;\n",
  "dist/index.d.cts": "export declare const answer: number;\n",
};

let fixtureCount = 0;
/** Packs a package made of `files` (path → content; undefined leaves one of the good files out) the way npm lays a tarball out. */
async function tarballOf(files: Record<string, string | undefined>): Promise<string> {
  const dir = join(work, `fixture-${++fixtureCount}`);
  for (const [path, content] of Object.entries({ ...goodFiles, ...files })) {
    if (content === undefined) continue;
    await mkdir(dirname(join(dir, "package", path)), { recursive: true });
    await writeFile(join(dir, "package", path), content);
  }
  const tarball = join(dir, "fixture-1.0.0.tgz");
  const tar = await exec("tar", ["-czf", tarball, "-C", dir, "package"]);
  expect(tar.code, tar.stderr).toBe(0);
  return tarball;
}

describe("the tarball check", () => {
  it("passes a well-formed package", async () => {
    const report = await checkTarball(await tarballOf({}), { budget: 10_000 });
    expect(report.problems).toEqual([]);
    expect(report.files.map(({ path }) => path)).toEqual([
      "dist/index.cjs",
      "dist/index.d.cts",
      "dist/index.d.ts",
      "dist/index.js",
      "LICENSE",
      "package.json",
      "README.md",
    ]);
  }, 30_000);

  it("fails a package with sources, tests or an env file beside dist/", async () => {
    const report = await checkTarball(
      await tarballOf({ "src/index.ts": "export const answer = 42;\n", "dist/index.test.js": "", ".env": "SECRET=1\n" }),
      { budget: 10_000 },
    );
    expect(report.problems).toEqual([
      "files: .env is an env file and must not be published",
      "files: dist/index.test.js is a test file and must not be published",
      "files: src/index.ts is outside dist/, the bin shims, README, LICENSE and package.json",
    ]);
  }, 30_000);

  it("fails a package packed before it was built", async () => {
    const report = await checkTarball(
      await tarballOf({ "dist/index.js": undefined, "dist/index.cjs": undefined, "dist/index.d.ts": undefined, "dist/index.d.cts": undefined }),
      { budget: 10_000 },
    );
    expect(report.problems).toContain("files: dist/ is missing (was the package built before packing?)");
    expect(report.problems.some((problem) => problem.startsWith("publint: ") && problem.includes("./dist/index.js"))).toBe(true);
  }, 30_000);

  it("fails source maps that point at files the package does not have", async () => {
    const report = await checkTarball(
      await tarballOf({
        "dist/index.js": "export const answer = 42;\n//# sourceMappingURL=index.js.map\n",
        "dist/index.cjs": "exports.answer = 42;\n//# sourceMappingURL=index.cjs.map\n",
        "dist/index.js.map": JSON.stringify({ version: 3, sources: ["../src/index.ts"], mappings: "" }),
      }),
      { budget: 10_000 },
    );
    expect(report.problems).toEqual([
      "source maps: dist/index.cjs names index.cjs.map, which is not in the package",
      "source maps: dist/index.js.map points to ../src/index.ts, which is neither in the package nor inlined",
    ]);
  }, 30_000);

  it("fails a package over its size budget, and one that has no budget", async () => {
    const tarball = await tarballOf({ "dist/index.js": `export const answer = "${"x".repeat(5_000)}";\n` });
    const over = await checkTarball(tarball, { budget: 4_000 });
    expect(over.problems).toEqual([expect.stringMatching(/^size: unpacked 5\d{3} B is over the 4000 B budget$/)]);
    const unbudgeted = await checkTarball(tarball);
    expect(unbudgeted.problems).toEqual(["size: no budget is set for @cogkit/fixture (scripts/tarball-check.mjs sizeBudgets)"]);
  }, 30_000);
});

describe("pnpm release (a real publish)", () => {
  /** Runs the release script with exactly `env` (plus PATH), never a real token. */
  const release = (args: string[], env: Record<string, string>) =>
    exec(process.execPath, [join(repoRoot, "scripts", "release.mjs"), ...args], { cwd: repoRoot, env: { PATH: process.env.PATH ?? "", ...env } });

  it("refuses outside CI, before building anything", async () => {
    const result = await release([], { NODE_AUTH_TOKEN: "not-a-token" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^pnpm release publishes only from CI \(CI=true\).*pnpm release --dry-run/);
    expect(result.stdout).toBe("");
  });

  it("refuses in CI without an npm token, before building anything", async () => {
    const result = await release([], { CI: "true" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^pnpm release found no npm token: set NODE_AUTH_TOKEN/);
    expect(result.stdout).toBe("");
  });

  it("names an unknown option and shows the usage", async () => {
    const result = await release(["--dryrun"], { CI: "true" });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("pnpm release: unknown option --dryrun\nUsage: pnpm release [--dry-run] [--skip-build] [--skip-tests]\n");
  });
});
