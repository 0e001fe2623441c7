#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { defineAuth } from "@cogkit/core";
import type { AuthDefinition } from "@cogkit/core";
import type { ResourceServer } from "./emulator-options.js";
import { startEmulator } from "./start-emulator.js";

const usage = `Usage: cogkit-emulator [--port <n>] [--config <auth-definition.json>] [--region <region>] [--client-secret]
                       [--resource-server <identifier>=<scope>[,<scope>...]]... [--quiet]
                       [--allowed-origin <origin>]... [--allowed-host <name>]...

Starts a strict, offline Amazon Cognito User Pool and Identity Pool on 127.0.0.1, prints its
URL and a client config as JSON, then prints every code it "sends". Stop it with Ctrl+C.
Each --resource-server adds an API whose scopes a machine client (printed too) may get with
the client-credentials grant at /oauth2/token.
Web pages on localhost, 127.0.0.1 or [::1] (any port) may call it from the browser; each
--allowed-origin (e.g. https://app.example.com) replaces that default with the origins
given. It answers only the Host names localhost, 127.0.0.1 and [::1], plus each
--allowed-host (e.g. a Docker service name).`;

function parseResourceServer(text: string): ResourceServer {
  const eq = text.lastIndexOf("=");
  const scopes = eq < 0 ? [] : text.slice(eq + 1).split(",").filter((s) => s !== "");
  if (eq <= 0 || scopes.length === 0) throw new Error(`--resource-server must look like https://api.example.com=read,write, got ${text}`);
  return { identifier: text.slice(0, eq), scopes };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      config: { type: "string" },
      region: { type: "string" },
      "client-secret": { type: "boolean" },
      "resource-server": { type: "string", multiple: true },
      quiet: { type: "boolean" },
      "allowed-origin": { type: "string", multiple: true },
      "allowed-host": { type: "string", multiple: true },
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
    ...(values["resource-server"] ? { resourceServers: values["resource-server"].map(parseResourceServer) } : {}),
    ...(values["allowed-origin"] ? { allowedOrigins: values["allowed-origin"] } : {}),
    ...(values["allowed-host"] ? { allowedHosts: values["allowed-host"] } : {}),
    clientSecret: values["client-secret"] ?? false,
    quiet: values.quiet ?? false,
    log: (line) => console.log(line),
  });
  console.log(`cogkit-emulator listening on ${emulator.url}`);
  console.log(JSON.stringify(emulator.config, null, 2));
  // A local, made-up secret: printing it is how a developer gets to use it.
  if (emulator.machineClient) console.log(`machine client (client_credentials): ${JSON.stringify(emulator.machineClient)}`);
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
