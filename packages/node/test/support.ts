// Test support: users made through the emulator's own sign-up, and a counting HTTP proxy
// in front of it, so tests observe requests at the HTTP boundary.
import { spawn } from "node:child_process";
import { PassThrough } from "node:stream";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { type AuthConfig, createAuthClient, createMemoryStorage } from "@cogkit/core";
import type { Emulator } from "@cogkit/emulator";
import { runCli } from "../src/cli/run-cli.js";

export const password = "Corr3ct-Horse!";
let counter = 0;
export const newEmail = (tag = "user") => `${tag}${++counter}.${process.pid}.${Date.now()}@example.com`;

/** Signs up and confirms a user through the emulator; returns its email. */
export async function confirmedUser(emulator: Emulator, config: AuthConfig = emulator.config): Promise<string> {
  const client = createAuthClient(config, { platform: { storage: createMemoryStorage() } });
  const email = newEmail();
  await client.signUp({ username: email, password, attributes: { email } });
  await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
  client.dispose();
  return email;
}

/** Signs a fresh user in and returns its tokens as strings. */
export async function signedInTokens(emulator: Emulator) {
  const email = await confirmedUser(emulator);
  const client = createAuthClient(emulator.config, { platform: { storage: createMemoryStorage() } });
  await client.signIn({ username: email, password });
  const tokens = await client.getTokens();
  client.dispose();
  return { email, idToken: tokens.idToken.jwt, accessToken: tokens.accessToken.jwt };
}

/** An HTTP proxy that forwards every request to `target` and counts them by path. */
export async function startCountingProxy(target: string) {
  const counts = new Map<string, number>();
  const server = createServer(async (req: IncomingMessage, res) => {
    const path = req.url ?? "/";
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = await fetch(new URL(path, target), {
      method: req.method,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== "host") as Array<[string, string]>),
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: (path: string) => counts.get(path) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** How a CLI process ended. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a CLI child starts from: PATH only, and no Node-version nag from the AWS SDK. */
/** The `COGKIT_*` settings that point @cogkit/node (script or CLI) at `emulator`, with `home` as its home and config dir. */
export function emulatorEnv(emulator: Emulator, home: string, profile: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    XDG_CONFIG_HOME: home,
    HOME: home,
    COGKIT_REGION: emulator.config.region,
    COGKIT_USER_POOL_ID: emulator.config.userPoolId,
    COGKIT_CLIENT_ID: emulator.config.userPoolClientId,
    COGKIT_IDENTITY_POOL_ID: emulator.config.identityPoolId!,
    COGKIT_USER_POOL_ENDPOINT: emulator.url,
    COGKIT_IDENTITY_POOL_ENDPOINT: emulator.url,
    COGKIT_PROFILE: profile,
    ...extra,
  };
}

export const baseEnv = () => ({ PATH: process.env.PATH!, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });

/**
 * Runs `node <script> ...args` with {@link baseEnv} plus `env`, `input` on its stdin. A child
 * that has not ended after 60 s is killed (code null), so a hang fails the test, not the run.
 */
export function runNode(script: string, args: string[], env: Record<string, string>, input = ""): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...baseEnv(), ...env },
      stdio: ["pipe", "pipe", "pipe"],
      timeout: 60_000,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A URL on 127.0.0.1 where nothing listens (a port just freed): Cognito unreachable. */
export async function deadEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * Runs the CLI bundle `cli` on a pseudo-terminal (util-linux `script`), answering each prompt
 * once it shows; an answer sees what the terminal showed so far. `unanswered` counts the
 * prompts that never came. With `endInput`, the terminal's input ends (Ctrl-D) after the
 * last answer.
 */
export function runOnTerminal(
  cli: string,
  args: string[],
  env: Record<string, string>,
  answers: Array<[prompt: string, answer: (shown: string) => string]>,
  options: { endInput?: boolean } = {},
): Promise<Run & { unanswered: number }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, cli, ...args].map((part) => `'${part}'`).join(" ");
    const child = spawn("script", ["-qefc", command, "/dev/null"], { env: { ...baseEnv(), ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let next = 0;
    let from = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      const pending = answers[next];
      const at = pending ? stdout.indexOf(pending[0], from) : -1;
      if (pending && at >= 0) {
        from = at + pending[0].length;
        next++;
        child.stdin.write(`${pending[1](stdout)}\r`);
        if (options.endInput && next === answers.length) child.stdin.end();
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, unanswered: answers.length - next }));
  });
}

/** A CLI child still running: what it printed so far, a wait for a line of its stderr, and its end. */
export interface RunningNode {
  /** Resolves with the first match of `pattern` in stderr, once it shows; rejects if the child ends first. */
  stderrMatch(pattern: RegExp): Promise<RegExpMatchArray>;
  /** How it ended (killed after 60 s, code null, if it never does). */
  done: Promise<Run>;
}

/**
 * Starts `node <script> ...args` like {@link runNode}, for tests that act while it runs (a
 * `cogkit login --browser` waiting for its callback).
 */
export function startNode(script: string, args: string[], env: Record<string, string>): RunningNode {
  const child = spawn(process.execPath, [script, ...args], { env: { ...baseEnv(), ...env }, stdio: ["pipe", "pipe", "pipe"], timeout: 60_000, killSignal: "SIGKILL" });
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
    for (const check of waiters) check();
  });
  child.stdin.end();
  const done = new Promise<Run>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      for (const check of waiters) check();
      resolve({ code, stdout, stderr });
    });
  });
  return {
    done,
    stderrMatch(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = stderr.match(pattern);
          if (match) {
            waiters.delete(check);
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check);
            reject(new Error(`the child ended (code ${child.exitCode}) without printing ${pattern}; stderr: ${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * Runs the CLI in this process with no stdin and no settings but `env`: for arguments and
 * settings refused before any request. Returns the exit code and what it printed.
 *
 * @example
 * const { code, stderr } = await cliHere(["login", "hunter2"]);
 */
export async function cliHere(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const stdin = new PassThrough();
  stdin.end();
  const code = await runCli(argv, {
    stdin,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { XDG_CONFIG_HOME: "/nonexistent", ...env },
  });
  return { code, stdout, stderr };
}
