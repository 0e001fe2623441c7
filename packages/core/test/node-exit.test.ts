import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { startEmulator, type Emulator } from "@cogkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthClient } from "@cogkit/core";

// A Node script that signs in and ends must exit by itself: no refresh timer, channel or
// socket of the client may hold the process open, with or without dispose().
// And one that awaits credentials must not exit before they come: a retry's backoff keeps
// the process alive while the call is pending.
const script = `
import { createAuthClient, getCredentials } from "@cogkit/core";
const { config, username, password, dispose, credentials } = JSON.parse(process.env.COGKIT_EXIT_TEST);
const client = createAuthClient(config);
if (credentials) {
  const { identityId } = await getCredentials(client);
  process.stdout.write(identityId);
} else {
  await client.signIn({ username, password });
  const { idToken } = await client.getTokens();
  process.stdout.write(String(idToken.payload.email));
}
if (dispose) client.dispose();
`;

let emulator: Emulator;
let dir: string;
let bundle: string;
const password = "Corr3ct-Horse!";

beforeAll(async () => {
  emulator = await startEmulator({ quiet: true });
  dir = await mkdtemp(join(tmpdir(), "cogkit-exit-"));
  bundle = join(dir, "script.mjs");
  const result = await build({
    stdin: { contents: script, resolveDir: dir, loader: "js" },
    alias: { "@cogkit/core": fileURLToPath(new URL("../src/index.ts", import.meta.url)) },
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "silent",
  });
  await writeFile(bundle, result.outputFiles[0]!.contents);
});
afterAll(async () => {
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
});

function run(env: object): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A process that hangs is killed (exit code null) rather than left behind.
    const child = spawn(process.execPath, [bundle], { env: { ...process.env, COGKIT_EXIT_TEST: JSON.stringify(env) }, timeout: 10_000, killSignal: "SIGKILL" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("a Node process with a signed-in client", () => {
  it.each([
    ["after dispose()", true],
    ["without dispose()", false],
  ])("exits by itself %s", async (_, dispose) => {
    const client = createAuthClient(emulator.config);
    const username = `exit.${dispose}.${Date.now()}@example.com`;
    await client.signUp({ username, password });
    await client.confirmSignUp({ username, code: emulator.outbox.latest(username)!.code });
    // The vitest timeout fails the test if the child never exits.
    const { code, stdout, stderr } = await run({ config: emulator.config, username, password, dispose });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(username);
  });
});

describe("a Node process awaiting getCredentials()", () => {
  it.each([
    ["GetId", { status: 503 }],
    ["GetCredentialsForIdentity", { error: "TooManyRequestsException" }],
  ] as const)("stays alive through the backoff after a failed %s, then exits with the credentials", async (operation, fault) => {
    emulator.injectFault(operation, { ...fault, times: 2 });
    const calls = emulator.callCount(operation);
    const { code, stdout, stderr } = await run({ config: emulator.config, credentials: true });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^us-east-1:/);
    expect(emulator.callCount(operation)).toBe(calls + 3);
  });
});
