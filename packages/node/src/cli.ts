#!/usr/bin/env node
// The `cogkit` command. Kept tiny: a warm `cogkit credentials` must cost little more than
// starting Node, so everything heavy is imported by the command that needs it.
import { runCli } from "./cli/run-cli.js";

runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cogkit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
