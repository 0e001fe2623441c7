// The packages as users get them: `pnpm pack`ed, extracted into a throwaway project, and used
// from ESM, CommonJS, TypeScript `nodenext` and a Vite build — all in child processes, so
// vitest's aliases to the sources play no part. Needs `pnpm build` first (`pnpm test` does it).
import { spawn } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPackedProject, describeRun, packageDirs, repoRoot, run } from "./packaging/packed-project.js";
import type { PackedProject } from "./packaging/packed-project.js";
import { checkTarball, sizeBudgets } from "../scripts/tarball-check.mjs";

const node = process.execPath;
const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
const vite = join(repoRoot, "examples", "react-vite", "node_modules", "vite", "bin", "vite.js");

/** The strings of an exports map or bin field: the files it names. */
const leaves = (value: unknown): string[] =>
  typeof value === "string" ? [value] : value && typeof value === "object" ? Object.values(value).flatMap(leaves) : [];

describe("the packed packages", () => {
  let project: PackedProject;

  beforeAll(async () => {
    project = await createPackedProject();
  }, 60_000);
  afterAll(async () => {
    await project?.cleanup();
  });

  /** Asserts every specifier resolved into the extracted tarballs, not the workspace. */
  function expectFromTarballs(resolved: Record<string, string>) {
    for (const [id, location] of Object.entries(resolved)) {
      const path = location.startsWith("file:") ? new URL(location).pathname : location;
      expect(path, id).toContain(join(project.dir, "node_modules", "@cogkit"));
    }
  }

  it("ship every file their exports map and bins name, with their LICENSE and README", () => {
    for (const name of packageDirs) {
      const { manifest, files } = project.packages[name];
      const targets = [manifest.main, manifest.module, manifest.types, ...leaves(manifest.exports), ...leaves(manifest.bin)].filter(
        (target): target is string => target !== undefined && target !== "./package.json",
      );
      expect(targets.length, manifest.name).toBeGreaterThan(0);
      for (const target of targets) expect(files, `${manifest.name} → ${target}`).toContain(target.replace(/^\.\//, ""));
      // Besides the build: README, LICENSE, and the bins' committed shims (bin/*.js load dist/).
      expect(files.filter((file) => !file.startsWith("dist/") && file !== "package.json"), manifest.name).toEqual(
        files.filter((file) => /^(README|LICENSE)/i.test(file) || leaves(manifest.bin).includes(`./${file}`)),
      );
      expect(files, manifest.name).toEqual(expect.arrayContaining(["LICENSE", "README.md"]));
      expect(JSON.stringify(manifest), manifest.name).not.toContain("workspace:");
    }
  });

  it("pass pnpm release --dry-run's checks: publint, attw, files list, source maps, size budget", async () => {
    // The release's own checks (scripts/tarball-check.mjs, tested on broken packages in
    // test/release.test.ts), over the tarballs packed above rather than a second packing.
    const reports = [];
    for (const name of packageDirs) reports.push(await checkTarball(project.packages[name].tarball));
    expect(reports.map(({ name, problems }) => ({ name, problems }))).toEqual(packageDirs.map((name) => ({ name: `@cogkit/${name}`, problems: [] })));
    for (const report of reports) expect(report.unpackedSize).toBeLessThanOrEqual(sizeBudgets[report.name as keyof typeof sizeBudgets]);
  }, 90_000);

  it("sign a user up and in with SRP from an ES module, over both transports", async () => {
    await project.addFixture("esm-journey.mjs");
    const result = await run(node, ["esm-journey.mjs"], { cwd: project.dir });
    expect(result.code, describeRun(result)).toBe(0);
    const output = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
    expectFromTarballs(output.resolved);
    expect(output.journeys).toEqual({
      fetch: { signUp: "confirmSignUp", signIn: "done", status: "signedIn", email: "fetch@example.com", verifiedSub: true, srpChallenges: 1 },
      "aws-sdk": { signUp: "confirmSignUp", signIn: "done", status: "signedIn", email: "aws-sdk@example.com", verifiedSub: true, srpChallenges: 2 },
    });
    expect(output.mswHandlers).toBe(1);
  }, 30_000);

  it("sign a user up and in with SRP through require()", async () => {
    await project.addFixture("cjs-journey.cjs");
    const result = await run(node, ["cjs-journey.cjs"], { cwd: project.dir });
    expect(result.code, describeRun(result)).toBe(0);
    const output = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
    expectFromTarballs(output.resolved);
    for (const location of Object.values<string>(output.resolved)) expect(location).toMatch(/\.cjs$/);
    expect(output).toMatchObject({
      signUp: "confirmSignUp",
      signIn: "done",
      status: "signedIn",
      email: "cjs@example.com",
      srpChallenges: 1,
      mswHandlers: 1,
      fileStorage: "function",
      hostedUi: true,
    });
  }, 30_000);

  it("type-check under TypeScript nodenext from .mts and .cts, and reject misuse of every entry", async () => {
    const dir = await project.addFixture("typescript");
    const result = await run(node, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { cwd: dir, timeoutMs: 45_000 });
    const errors = [...result.stdout.matchAll(/^(\S+)\((\d+),\d+\): error (TS\d+)/gm)].map(([, file, line, code]) => `${file}:${line} ${code}`);
    // The expected errors are the misuse files' lines marked `// error TSxxxx`.
    const expected: string[] = [];
    for (const file of ["misuse.mts", "misuse.cts"]) {
      const lines = (await readFile(join(dir, file), "utf8")).split("\n");
      lines.forEach((line, index) => {
        const marked = /\/\/ error (TS\d+)$/.exec(line);
        if (marked) expected.push(`${file}:${index + 1} ${marked[1]}`);
      });
    }
    expect(expected).toHaveLength(12);
    expect(result.code, describeRun(result)).toBe(2);
    expect(errors.sort(), describeRun(result)).toEqual(expected.sort());
  }, 50_000);

  it("build into a browser app with Vite, with no node: imports and the 'use client' banner harmless", async () => {
    const dir = await project.addFixture("vite-app");
    const result = await run(node, [vite, "build"], { cwd: dir, timeoutMs: 45_000 });
    expect(result.code, describeRun(result)).toBe(0);
    // Rollup drops a module-level "use client" when bundling and says so; that note is the
    // only one the build may print — no errors, nothing externalized for the browser.
    const notes = (result.stdout + result.stderr)
      .split("\n")
      .filter((line) => /warn|error|externalized/i.test(line))
      .filter((line) => !/Module level directives cause errors when bundled, "use client" in "[^"]*@cogkit\/react\/dist\/index\.js" was ignored/.test(line));
    expect(notes, describeRun(result)).toEqual([]);
    const assets = join(dir, "dist", "assets");
    const scripts = (await readdir(assets)).filter((file) => file.endsWith(".js")).sort();
    // The page's script, and the parts loaded on first use, split off by Vite: the hosted UI
    // behind useAuth()'s redirect functions among them, and a chunk that only the parts share.
    expect(scripts).toEqual([
      expect.stringMatching(/^chunk-/),
      expect.stringMatching(/^confirm-sign-in-/),
      expect.stringMatching(/^hosted-ui-/),
      expect.stringMatching(/^index-/),
      expect.stringMatching(/^sign-in-flows-/),
      expect.stringMatching(/^sign-up-/),
    ]);
    const [shared, challenges, hostedUi, bundle, signInFlows, signUp] = await Promise.all(scripts.map((file) => readFile(join(assets, file), "utf8")));
    // The page loads one script: the shared chunk comes with the first part that needs it.
    expect(bundle).not.toMatch(/from\s*["']\.\/chunk-/);
    expect(signInFlows).toContain("USER_AUTH");
    expect(bundle).toContain("cogkit-packaging-status: "); // the app
    expect(bundle).toContain("USER_SRP_AUTH"); // core, bundled rather than left out
    expect(bundle).toContain("useSyncExternalStore"); // the React binding's subscription
    expect(bundle).not.toContain("ResendConfirmationCode");
    expect(signUp).toContain("ResendConfirmationCode");
    expect(challenges).toContain("VerifySoftwareToken");
    expect(bundle).not.toContain("/oauth2/authorize");
    expect(hostedUi).toContain("/oauth2/authorize");
    for (const script of [bundle, shared, signUp, challenges, signInFlows, hostedUi]) expect(script).not.toMatch(/["'`]node:|__vite-browser-external/);
  }, 50_000);

  it("run the cogkit bin", async () => {
    const { dir, manifest } = project.packages.node;
    const bin = join(dir, manifest.bin!.cogkit!);
    expect((await readFile(bin, "utf8")).startsWith("#!/usr/bin/env node\n")).toBe(true);
    const help = await run(node, [bin, "--help"], { cwd: project.dir });
    expect(help.code, describeRun(help)).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cogkit <command>/);
    const wrong = await run(node, [bin, "--no-such-flag"], { cwd: project.dir });
    expect(wrong.code, describeRun(wrong)).toBe(2);
    expect(wrong.stderr).toMatch(/^cogkit: .*\nRun cogkit --help/);
  }, 30_000);

  it("start and stop the cogkit-emulator bin", async () => {
    const { dir, manifest } = project.packages.emulator;
    const bin = join(dir, manifest.bin!["cogkit-emulator"]!);
    expect((await readFile(bin, "utf8")).startsWith("#!/usr/bin/env node\n")).toBe(true);
    const child = spawn(node, [bin, "--port", "0", "--quiet"], { cwd: project.dir, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    try {
      const started = await new Promise<{ url: string; userPoolId: string }>((resolve, reject) => {
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          stdout += chunk;
          const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
          const userPoolId = /"userPoolId": "([^"]+)"/.exec(stdout)?.[1];
          if (url && userPoolId) resolve({ url, userPoolId });
        });
        void exited.then((code) => reject(new Error(`exited with ${code} before listening\n${stdout}\n${stderr}`)));
      });
      const jwks = await fetch(`${started.url}/${started.userPoolId}/.well-known/jwks.json`);
      expect(jwks.status).toBe(200);
      expect((await jwks.json()).keys).toEqual(expect.arrayContaining([expect.objectContaining({ kty: "RSA" })]));
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain("SIGTERM, stopping");
  }, 30_000);
});
