// Test support for the Next.js example: one production build (`next build`) per test file,
// and `next start` of it against a given emulator on a free port.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Emulator } from "@cogkit/emulator";

const appRoot = fileURLToPath(new URL("..", import.meta.url));
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
// Vitest sets NODE_ENV=test; Next builds and serves production, offline and without telemetry.
const nextEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };

/** Runs `node next <args>` in the app; resolves with its output once it exits 0, rejects otherwise. */
function runNext(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, ...args], { cwd: appRoot, env: nextEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code: number | null) => (code === 0 ? resolve(output) : reject(new Error(`next ${args.join(" ")} exited with ${code}:\n${output}`))));
  });
}

/** `next build` of the example (the workspace packages must be built: `pnpm test` builds them first). */
export const buildNextApp = () => runNext(["build"]);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `next start` of the build against `emulator`; `close()` stops it. */
export async function startNextApp(emulator: Emulator): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [nextBin, "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: appRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...nextEnv,
      COGKIT_CONFIG: JSON.stringify(emulator.config),
      COGKIT_SECRET: randomBytes(32).toString("base64url"),
      COGKIT_EMULATOR_CLOCK: "1",
      COGKIT_INSECURE_COOKIES: "1",
    },
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  // Ready once it answers; fails with its output if it exits first.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    const answered = await fetch(`${url}/sign-in`).then((response) => response.ok, () => false);
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    async close() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
