#!/usr/bin/env node
// pnpm release [--dry-run] [--skip-build] [--skip-tests]
//
// Builds, tests, packs every published package into a temporary folder, checks each tarball
// (scripts/tarball-check.mjs: publint, attw, files list, source maps, size budget) and then —
// only for a real release — publishes exactly those checked tarballs, dependencies first, with
// npm provenance. Versions come from changesets (`pnpm changeset version`, committed before).
//
// A real publish runs only in CI with an npm token: provenance needs CI's OIDC identity, and a
// release from a laptop would ship whatever that working tree holds. Outside that it refuses
// before doing anything. `--dry-run` runs everywhere and publishes nothing.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { checkTarball, describeReport, exec, packTarballs, repoRoot } from "./tarball-check.mjs";

const usage = "Usage: pnpm release [--dry-run] [--skip-build] [--skip-tests]";

/**
 * Why a real publish may not run in this environment, or undefined when it may.
 * @param {Record<string, string | undefined>} env
 */
export function publishRefusal(env) {
  if (env.CI !== "true" && env.CI !== "1") {
    return "pnpm release publishes only from CI (CI=true), where npm provenance can be attested. Locally, run `pnpm release --dry-run`.";
  }
  if (!env.NODE_AUTH_TOKEN) {
    return "pnpm release found no npm token: set NODE_AUTH_TOKEN in the CI job that publishes. Nothing was published.";
  }
  return undefined;
}

/** Runs a step with its output shown, and stops the release if it fails. */
async function step(title, command, args, env = process.env) {
  process.stdout.write(`\n▸ ${title}: ${command} ${args.join(" ")}\n`);
  const result = await exec(command, args, { cwd: repoRoot, env });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.code !== 0) throw new Error(`${title} failed (exit ${result.code}); nothing was published.`);
}

/** Whether this exact version is already on the registry (then a re-run skips it). */
async function isPublished(name, version) {
  const result = await exec("npm", ["view", `${name}@${version}`, "version"], { cwd: repoRoot });
  return result.code === 0 && result.stdout.trim() === version;
}

async function main(argv) {
  const flags = new Set(argv);
  const known = new Set(["--dry-run", "--skip-build", "--skip-tests"]);
  const unknown = [...flags].filter((flag) => !known.has(flag));
  if (unknown.length > 0) {
    process.stderr.write(`pnpm release: unknown option ${unknown.join(", ")}\n${usage}\n`);
    return 2;
  }
  const dryRun = flags.has("--dry-run");
  if (!dryRun) {
    const refusal = publishRefusal(process.env);
    if (refusal) {
      process.stderr.write(`${refusal}\n`);
      return 1;
    }
  }

  if (!flags.has("--skip-build")) await step("build", "pnpm", ["build"]);
  // What `pnpm test` runs after its build, so the release does not build twice.
  if (!flags.has("--skip-tests")) {
    for (const script of ["lint", "test:unit", "bench:check"]) await step(script, "pnpm", ["run", script]);
  }

  const destination = await mkdtemp(join(tmpdir(), "cogkit-release-"));
  try {
    process.stdout.write(`\n▸ pack into ${destination}\n`);
    const tarballs = await packTarballs(destination);
    const reports = [];
    for (const tarball of tarballs) {
      const report = await checkTarball(tarball);
      process.stdout.write(`${describeReport(report)}\n`);
      reports.push({ tarball, report });
    }
    const failed = reports.filter(({ report }) => report.problems.length > 0);
    if (failed.length > 0) {
      process.stderr.write(`\n${failed.length} tarball(s) failed their checks; nothing was published.\n`);
      return 1;
    }
    if (dryRun) {
      process.stdout.write("\nDry run: every tarball passed; nothing was published.\n");
      return 0;
    }

    // npm reads the token from this config by reference (${NODE_AUTH_TOKEN}), so it is written nowhere.
    const npmrc = join(destination, ".npmrc");
    await writeFile(npmrc, "//registry.npmjs.org/:_authToken=${NODE_AUTH_TOKEN}\n");
    const publishEnv = { ...process.env, NPM_CONFIG_USERCONFIG: npmrc };
    for (const { tarball, report } of reports) {
      if (await isPublished(report.name, report.version)) {
        process.stdout.write(`${report.name}@${report.version} is already on npm; skipped.\n`);
        continue;
      }
      // The tarball checked above is the one published: npm publishes it as it is.
      await step(`publish ${basename(tarball)}`, "npm", ["publish", tarball, "--provenance", "--access", "public"], publishEnv);
    }
    // Git tags for the released versions (@cogkit/core@x.y.z ...), as changesets names them.
    await step("tag", "pnpm", ["exec", "changeset", "tag"]);
    return 0;
  } finally {
    await rm(destination, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
