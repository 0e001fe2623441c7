// Checks every publishable package the way a consumer meets it: publint on the
// package as packed, and @arethetypeswrong/cli on the tarball, so a wrong `exports`
// map or a missing .d.cts fails the build rather than a user's install.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules", ".bin", name);
let failed = false;
for (const name of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", name);
  for (const [tool, args] of [
    ["publint", ["--strict"]],
    ["attw", ["--pack", ".", "--profile", "node16"]],
  ]) {
    try {
      const out = execFileSync(bin(tool), args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      process.stdout.write(`✓ ${tool} @cogkit/${name}\n`);
      if (process.env.VERBOSE) process.stdout.write(out);
    } catch (error) {
      failed = true;
      process.stdout.write(`✗ ${tool} @cogkit/${name}\n${error.stdout ?? ""}${error.stderr ?? ""}\n`);
    }
  }
}
process.exit(failed ? 1 : 0);
