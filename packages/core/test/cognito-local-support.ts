// cognito-local (a Cognito emulator nobody here wrote) as a child process for the
// integration suite: its own temp data dir, 127.0.0.1 and a port the OS picks, no way out
// to the internet, and an AWS SDK client on its admin API.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

/** A running cognito-local. */
export interface CognitoLocal {
  /** `http://127.0.0.1:<port>/`: the endpoint for cogkit and the AWS SDK. */
  url: string;
  /** The pool seeded into its data dir (see {@link startCognitoLocal}). */
  userPoolId: string;
  /** The code cognito-local sends for every confirmation (its `CODE` variable). */
  code: string;
  /** An AWS SDK client on its admin API. */
  admin: CognitoIdentityProviderClient;
  /** What it has logged so far (its log lines, uncoloured). */
  output(): string;
  /** Hosts other than loopback the server tried to connect to (each attempt was refused). */
  blockedConnections(): string[];
  /** Stops the server and deletes its data dir. */
  stop(): Promise<void>;
}

const region = "eu-west-1";

/** Where cognito-local's UserMigration Lambda lives: off this machine, so the guard refuses it. */
export const guardProbeHost = "lambda.cogkit.invalid";
const startScript = createRequire(import.meta.url).resolve("cognito-local/lib/bin/start.js");

// Run in the child before cognito-local loads: every outbound TCP connection (http, https,
// the AWS SDK v2 it carries for Lambda and KMS) goes through net.Socket#connect, so a host
// that is not loopback is refused there and reported on stderr; the test asserts none were.
// A closed stdin (the test process is gone, even killed) ends the child, so none outlives it.
const childScript = `
const net = require("node:net");
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = first !== null && typeof first === "object" ? first : { port: first, host: typeof args[1] === "string" ? args[1] : undefined };
  // A non-empty path is a local pipe; http sends path: null with a host.
  const host = options.path ? "localhost" : String(options.host ?? "localhost");
  if (!/^(localhost|127(\\.\\d+){3}|::1|::ffff:127(\\.\\d+){3})$/i.test(host)) {
    process.stderr.write("cogkit-blocked-connection " + host + "\\n");
    process.nextTick(() => this.destroy(new Error("cogkit test guard: no connections beyond loopback")));
    return this;
  }
  return connect.apply(this, args);
};
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
require(process.argv[1]);
`;

/**
 * Starts cognito-local in a child process with a fresh data dir holding one user pool,
 * `eu-west-1_cogkitLocal`. The pool is seeded as a file (cognito-local keeps pools in
 * `.cognito/db/<id>.json` and documents editing them) rather than made with
 * `CreateUserPool`, because cognito-local names the pools it creates `local_<id>`, and
 * cogkit's config rightly wants `<region>_<id>` with a real AWS region. App clients and
 * users go through its API.
 *
 * @example
 * const local = await startCognitoLocal();
 * try { ... } finally { await local.stop(); }
 */
export async function startCognitoLocal(): Promise<CognitoLocal> {
  const dir = await mkdtemp(join(tmpdir(), "cogkit-cognito-local-"));
  const userPoolId = `${region}_cogkitLocal`;
  const code = "246810";
  await mkdir(join(dir, ".cognito", "db"), { recursive: true });
  // Its one way out is Lambda (for triggers) and KMS (for the custom email sender, unset).
  // KMS points at a closed loopback port. The only trigger, UserMigration (called when an
  // unknown user signs in), points at a host off this machine on purpose: the guard must
  // refuse it, which is how a test proves the guard works. No retries: one attempt each.
  await writeFile(
    join(dir, ".cognito", "config.json"),
    JSON.stringify({
      TriggerFunctions: { UserMigration: "cogkit-guard-probe" },
      LambdaClient: { endpoint: `http://${guardProbeHost}`, maxRetries: 0 },
      KMSConfig: { endpoint: "http://127.0.0.1:9", maxRetries: 0 },
    }),
  );
  await writeFile(
    join(dir, ".cognito", "db", `${userPoolId}.json`),
    JSON.stringify({
      Users: {},
      Groups: {},
      Options: {
        Id: userPoolId,
        Name: "cogkit",
        UsernameAttributes: ["email"],
        Arn: `arn:aws:cognito-idp:${region}:000000000000:userpool/${userPoolId}`,
        Policies: { PasswordPolicy: { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true } },
      },
    }),
  );

  const child = spawn(process.execPath, ["-e", childScript, startScript], {
    cwd: dir,
    // Only what it needs: no AWS credentials, profiles or proxies from the developer's shell.
    env: { PORT: "0", HOST: "127.0.0.1", CODE: code, NO_COLOR: "1", AWS_EC2_METADATA_DISABLED: "true", AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  let url: string;
  try {
    url = await listening(child, () => stdout, () => stderr);
  } catch (error) {
    await stopChild(child, exited);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const admin = new CognitoIdentityProviderClient({
    region,
    endpoint: url,
    credentials: { accessKeyId: "cognito-local", secretAccessKey: "cognito-local" },
    maxAttempts: 1,
  });
  return {
    url,
    userPoolId,
    code,
    admin,
    output: () => uncoloured(stdout),
    blockedConnections: () => [...stderr.matchAll(/^cogkit-blocked-connection (.+)$/gm)].map((match) => match[1]!),
    async stop() {
      admin.destroy();
      await stopChild(child, exited);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Resolves with the URL cognito-local logs once it listens; rejects (with its output) if
// it exits first. No time limit of its own: the test's hook timeout bounds it.
function listening(child: ChildProcess, stdout: () => string, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      // Its logger colours the line; the address is plain digits either way.
      const match = /Cognito Local running on (http:\/\/127\.0\.0\.1:\d+)/.exec(uncoloured(stdout()));
      if (!match) return;
      child.stdout!.off("data", check);
      child.off("exit", failed);
      resolve(`${match[1]}/`);
    };
    const failed = (status: number | null) =>
      reject(new Error(`cognito-local exited (${status}) before listening:\n${stdout()}\n${stderr()}`));
    child.stdout!.on("data", check);
    child.once("exit", failed);
  });
}

const uncoloured = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.stdin!.end();
    child.kill("SIGTERM");
  }
  await exited;
}
