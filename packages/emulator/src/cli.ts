#!/usr/bin/env node
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { defineAuth } from "@cogkit/core";
import type { AuthDefinition } from "@cogkit/core";
import type { DeviceTracking, FirstAuthFactor, ResourceServer, WebAuthnSettings } from "./emulator-options.js";
import { startEmulator } from "./start-emulator.js";
import { checkEmulatorOptions } from "./check-options.js";

const usage = `Usage: cogkit-emulator [--port <n>] [--config <auth-definition.json>] [--region <region>] [--client-secret]
                       [--resource-server <identifier>=<scope>[,<scope>...]]... [--quiet]
                       [--allowed-origin <origin>]... [--allowed-host <name>]...
                       [--state <file>] [--user-pool-id <id>] [--client-id <id>] [--identity-pool-id <id>]
                       [--machine-client-file <file>]
                       [--first-auth-factor PASSWORD|EMAIL_OTP|SMS_OTP|WEB_AUTHN]...
                       [--webauthn-rp-id <id>] [--webauthn-origin <origin>]... [--webauthn-user-verification required|preferred]
                       [--device-tracking always|user-opt-in]

Starts a strict, offline Amazon Cognito User Pool and Identity Pool on 127.0.0.1, prints its
URL and a client config as JSON, then prints every code it "sends". Stop it with Ctrl+C.
Each --resource-server adds an API whose scopes a machine client (its id is printed) may get
with the client-credentials grant at /oauth2/token.
Web pages on localhost, 127.0.0.1 or [::1] (any port) may call it from the browser; each
--allowed-origin (e.g. https://app.example.com) replaces that default with the origins
given. It answers only the Host names localhost, 127.0.0.1 and [::1], plus each
--allowed-host (e.g. a Docker service name).
--state keeps users, groups, devices, identities, refresh tokens, signing keys and the ids
in a file across restarts (made at the first start). --user-pool-id, --client-id and
--identity-pool-id fix the ids (so do the same fields in the --config file), keeping
COGKIT_* variables valid. The machine client's secret is never printed: --machine-client-file
writes the machine client (id, secret, scopes, token endpoint) to a file only you can read.
Each --first-auth-factor allows a first factor of choice-based sign-in (USER_AUTH; default
PASSWORD only); with EMAIL_OTP or SMS_OTP users may sign up without a password. Passkeys
(WEB_AUTHN) use relying party --webauthn-rp-id (default localhost) on the pages of each
--webauthn-origin (default any localhost or 127.0.0.1 port).
--device-tracking makes the pool remember user devices, always or on the user's say-so
(user-opt-in), and lets a remembered device sign in without MFA.`;

function parseResourceServer(text: string): ResourceServer {
  const eq = text.lastIndexOf("=");
  const scopes = eq < 0 ? [] : text.slice(eq + 1).split(",").filter((s) => s !== "");
  if (eq <= 0 || scopes.length === 0) throw new Error(`--resource-server must look like https://api.example.com=read,write, got ${text}`);
  return { identifier: text.slice(0, eq), scopes };
}

/** The --config file: an auth definition, or a whole client config whose ids the emulator keeps. */
async function readConfigFile(path: string): Promise<AuthDefinition> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new Error(`--config ${path}: ${error instanceof SyntaxError ? "not valid JSON" : ((error as NodeJS.ErrnoException).code ?? String(error))}`);
  }
  const auth = defineAuth(parsed as AuthDefinition);
  try {
    checkEmulatorOptions({ auth });
  } catch (error) {
    // Named as the file names them: `passwordPolicy.minLenght`, not `auth.passwordPolicy.minLenght`.
    throw new Error(`--config ${path}: ${(error as Error).message.replaceAll("auth.", "").replace(/^auth\b/, "(root)")}`);
  }
  return auth;
}

/** The pool's device tracking from --device-tracking: remembered devices skip MFA either way. */
function deviceTrackingOption(value: string | undefined): { deviceTracking?: DeviceTracking } {
  if (value === undefined) return {};
  if (value !== "always" && value !== "user-opt-in") throw new Error(`--device-tracking must be always or user-opt-in, got ${value}`);
  return { deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: value === "user-opt-in" } };
}

/** The passkey settings from --webauthn-* flags; startEmulator checks their values. */
function webAuthnOptions(values: { "webauthn-rp-id"?: string; "webauthn-origin"?: string[]; "webauthn-user-verification"?: string }): { webAuthn?: WebAuthnSettings } {
  const webAuthn: WebAuthnSettings = {
    ...(values["webauthn-rp-id"] !== undefined ? { relyingPartyId: values["webauthn-rp-id"] } : {}),
    ...(values["webauthn-origin"] ? { origins: values["webauthn-origin"] } : {}),
    ...(values["webauthn-user-verification"] !== undefined ? { userVerification: values["webauthn-user-verification"] as WebAuthnSettings["userVerification"] } : {}),
  };
  return Object.keys(webAuthn).length > 0 ? { webAuthn } : {};
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
      state: { type: "string" },
      "user-pool-id": { type: "string" },
      "client-id": { type: "string" },
      "identity-pool-id": { type: "string" },
      "machine-client-file": { type: "string" },
      "first-auth-factor": { type: "string", multiple: true },
      "webauthn-rp-id": { type: "string" },
      "webauthn-origin": { type: "string", multiple: true },
      "webauthn-user-verification": { type: "string" },
      "device-tracking": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !Number.isInteger(port)) throw new Error(`--port must be a number, got ${values.port}`);
  const auth = values.config === undefined ? undefined : await readConfigFile(values.config);
  const emulator = await startEmulator({
    ...(auth ? { auth } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values["resource-server"] ? { resourceServers: values["resource-server"].map(parseResourceServer) } : {}),
    ...(values["allowed-origin"] ? { allowedOrigins: values["allowed-origin"] } : {}),
    ...(values["allowed-host"] ? { allowedHosts: values["allowed-host"] } : {}),
    ...(values.state !== undefined ? { state: values.state } : {}),
    ...(values["user-pool-id"] !== undefined ? { userPoolId: values["user-pool-id"] } : {}),
    ...(values["client-id"] !== undefined ? { userPoolClientId: values["client-id"] } : {}),
    ...(values["identity-pool-id"] !== undefined ? { identityPoolId: values["identity-pool-id"] } : {}),
    ...(values["first-auth-factor"] ? { allowedFirstAuthFactors: values["first-auth-factor"] as FirstAuthFactor[] } : {}),
    ...webAuthnOptions(values),
    ...deviceTrackingOption(values["device-tracking"]),
    clientSecret: values["client-secret"] ?? false,
    quiet: values.quiet ?? false,
    log: (line) => console.log(line),
  });
  console.log(`cogkit-emulator listening on ${emulator.url}`);
  console.log(JSON.stringify(emulator.config, null, 2));
  if (emulator.machineClient) {
    const { clientId, clientSecret, scopes } = emulator.machineClient;
    // The secret stays off the console (terminal scrollback, CI logs): a file only the
    // developer can read holds it, for scripts to read.
    const file = values["machine-client-file"];
    if (file !== undefined) {
      await writeFile(file, `${JSON.stringify({ clientId, clientSecret, scopes, tokenEndpoint: `${emulator.url}/oauth2/token` }, null, 2)}\n`, { mode: 0o600 });
    }
    const where = file === undefined ? "not printed; --machine-client-file <file> writes it to a file" : `written to ${file}`;
    console.log(`machine client (client_credentials): ${JSON.stringify({ clientId, scopes })}, secret ${where}`);
  }
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
