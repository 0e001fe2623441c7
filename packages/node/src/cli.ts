#!/usr/bin/env node
// The `cogkit` command. Kept tiny: a warm `cogkit credentials` must cost little more than
// starting Node, so everything heavy is imported by the command that needs it.
import { runCli } from "./cli/run-cli.js";

let settled = false;
// Node exits when nothing is left to wait for, even with the command unfinished: that must
// never read as success (exit 0 with nothing on stdout, which credential_process would take
// for a broken answer at best).
process.once("beforeExit", () => {
  if (settled) return;
  process.stderr.write("cogkit: stopped before the command finished (nothing was left to wait for); no result was produced\n");
  process.exitCode = 1;
});

runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (error: unknown) => {
    settled = true;
    process.stderr.write(`cogkit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
