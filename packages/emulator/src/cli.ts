#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { defineAuth } from "@cogkit/core";
import type { AuthDefinition } from "@cogkit/core";
import { startEmulator } from "./start-emulator.js";

const usage = `Usage: cogkit-emulator [--port <n>] [--config <auth-definition.json>] [--region <region>] [--client-secret] [--quiet]

Starts a strict, offline Amazon Cognito User Pool and Identity Pool on 127.0.0.1, prints its
URL and a client config as JSON, then prints every code it "sends". Stop it with Ctrl+C.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      config: { type: "string" },
      region: { type: "string" },
      "client-secret": { type: "boolean" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !Number.isInteger(port)) throw new Error(`--port must be a number, got ${values.port}`);
  const auth = values.config === undefined ? undefined : defineAuth(JSON.parse(await readFile(values.config, "utf8")) as AuthDefinition);
  const emulator = await startEmulator({
    ...(auth ? { auth } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.region ? { region: values.region } : {}),
    clientSecret: values["client-secret"] ?? false,
    quiet: values.quiet ?? false,
    log: (line) => console.log(line),
  });
  console.log(`cogkit-emulator listening on ${emulator.url}`);
  console.log(JSON.stringify(emulator.config, null, 2));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`cogkit-emulator: ${signal}, stopping`);
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`cogkit-emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
