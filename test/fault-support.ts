// Test support for the fault matrix (test/fault-matrix.test.ts): clients over either transport
// whose time is the harness's test clock, a driver that settles a promise by moving that clock
// (never by sleeping), a trap for unhandled rejections, msw answers aimed at one Cognito
// operation, storage doubles that throw, are full or hold a corrupt record, and a runner for
// the built `cogkit` CLI.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { http, HttpResponse, passthrough } from "msw";
import type { SetupServer } from "msw/node";
import {
  type AuthClient,
  type AuthConfig,
  type AuthEvent,
  type CognitoTransport,
  createAuthClient,
  createFetchTransport,
  createMemoryStorage,
  isAuthError,
  type KeyValueStorage,
} from "@cogkit/core";
import { createAwsSdkTransport } from "@cogkit/core/aws-sdk";
import type { Harness, TransportName } from "../packages/core/test/session-support.js";
import { baseEnv, type Run } from "../packages/node/test/support.js";

export { transports, type TransportName } from "../packages/core/test/session-support.js";

/** How a promise ended. */
export type Settled<T> = { status: "fulfilled"; value: T } | { status: "rejected"; reason: unknown };

/** Every `unhandledRejection` the process reports while installed; `take()` empties the list. */
export function trapUnhandledRejections() {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", listener);
  return {
    take: () => seen.splice(0),
    dispose: () => void process.off("unhandledRejection", listener),
  };
}

/** One turn of the real event loop, long enough for a socket to make progress. */
const realTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/**
 * A world whose time tests move by hand: the harness (emulator + test clock), clients made
 * here (tracked, so `dispose()` ends them), and the number of fetch requests on their way.
 */
export interface FaultWorld {
  readonly h: Harness;
  /** The harness's config with both pools reached through its TCP proxy (so the network can drop). */
  readonly config: AuthConfig;
  /** Fetch-transport requests not yet answered: the driver lets them land before moving time. */
  readonly inFlight: () => number;
  client(options?: FaultClientOptions): AuthClient;
  /** Signs up, confirms and signs in a new user (password flow); returns the client and username. */
  signedIn(options?: FaultClientOptions): Promise<{ client: AuthClient; username: string }>;
  /**
   * Moves the test clock (and the emulator's) to each next timer until `promise` settles; real
   * requests are let land first. Fails as stuck when nothing is left to fire within `budgetMs`
   * of test-clock time and nothing settles.
   */
  settle<T>(promise: Promise<T>, budgetMs?: number): Promise<Settled<T>>;
  /** Like {@link FaultWorld.settle}, and returns the AuthError it rejected with (fails otherwise). */
  failure(promise: Promise<unknown>, budgetMs?: number): Promise<import("@cogkit/core").AuthError>;
  /** Like {@link FaultWorld.settle}, and returns the value (fails when it rejected). */
  success<T>(promise: Promise<T>, budgetMs?: number): Promise<T>;
  dispose(): void;
}

export interface FaultClientOptions {
  transport?: TransportName;
  storage?: KeyValueStorage;
  /** Time limit of each fetch-transport request, on the test clock. Default 15 000. */
  timeoutMs?: number;
  /** A transport of the test's own, instead of `transport`. */
  custom?: CognitoTransport;
}

/** Builds a {@link FaultWorld} over a started harness. */
export function faultWorld(h: Harness): FaultWorld {
  const config: AuthConfig = { ...h.config, identityPoolEndpoint: h.proxy.url };
  const clients: AuthClient[] = [];
  let inFlight = 0;
  // Read at call time: msw replaces the global fetch while it listens.
  const trackedFetch: typeof fetch = async (input, init) => {
    inFlight++;
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };

  const transportOf = (options: FaultClientOptions): CognitoTransport =>
    options.custom ??
    (options.transport === "aws-sdk"
      ? createAwsSdkTransport(config)
      : createFetchTransport({ ...config, platform: { fetch: trackedFetch, clock: h.clock }, timeoutMs: options.timeoutMs }));

  async function settle<T>(promise: Promise<T>, budgetMs = 3_600_000): Promise<Settled<T>> {
    let result: Settled<T> | undefined;
    promise.then(
      (value) => (result = { status: "fulfilled", value }),
      (reason: unknown) => (result = { status: "rejected", reason }),
    );
    const limit = h.clock.now() + budgetMs;
    let idle = 0;
    while (!result) {
      await realTurn();
      if (result) break;
      if (inFlight > 0) {
        idle = 0;
        continue;
      }
      // Some I/O (the AWS SDK's sockets, storage) is not counted: give it a few real turns.
      if (++idle < 15) continue;
      const at = h.clock.nextTimerAt();
      if (at !== undefined && at <= limit) {
        await h.advance(Math.max(0, at - h.clock.now()));
        idle = 0;
        continue;
      }
      // Nothing left to fire on the test clock and no request out: after a generous real-time
      // grace (a loaded box), the promise is stuck.
      if (idle > 5_000) throw new Error(`stuck: the promise did not settle, no timer is due within ${budgetMs} ms of test time`);
    }
    return result;
  }

  const world: FaultWorld = {
    h,
    config,
    inFlight: () => inFlight,
    client(options = {}) {
      const made = createAuthClient(config, {
        transport: transportOf(options),
        platform: { clock: h.clock, storage: options.storage ?? createMemoryStorage(), broadcast: () => undefined },
      });
      clients.push(made);
      return made;
    },
    async signedIn(options = {}) {
      const client = world.client(options);
      // Signed up through a plain client: the faults under test are for the one under test.
      const username = await h.newUser();
      const { nextStep } = await client.signIn({ username, password: "Corr3ct-Horse!", flow: "password" });
      if (nextStep.type !== "done") throw new Error(`sign-in stopped at ${nextStep.type}`);
      return { client, username };
    },
    settle,
    async failure(promise, budgetMs) {
      const result = await settle(promise, budgetMs);
      if (result.status === "fulfilled") throw new Error(`expected an AuthError, the call succeeded with ${describe(result.value)}`);
      if (!isAuthError(result.reason)) throw new Error(`expected an AuthError, got ${describe(result.reason)}`);
      return result.reason;
    },
    async success(promise, budgetMs) {
      const result = await settle(promise, budgetMs);
      if (result.status === "rejected") throw new Error(`expected success, got ${describe(result.reason)}`);
      return result.value;
    },
    dispose() {
      for (const each of clients) each.dispose();
    },
  };
  return world;
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}${isAuthError(value) ? ` ${value.code}` : ""}: ${value.message}`;
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The events a client emits from now on, and the next one of a type. */
export function eventLog(client: AuthClient) {
  const events: AuthEvent[] = [];
  client.subscribe((event) => events.push(event));
  return {
    events,
    types: () => events.map((event) => event.type).filter((type) => type !== "stateChanged"),
    has: (type: AuthEvent["type"]) => events.some((event) => event.type === type),
  };
}

// ---- msw: answers aimed at one operation; every other request goes through to the emulator ----

/** What msw answers in place of the service. */
export type FakeAnswer =
  | { kind: "body"; status?: number; body: string; contentType?: string }
  | { kind: "networkError" };

/**
 * Makes the next `times` requests of `operation` to `url` get `answer` instead of reaching the
 * emulator; others pass through. Returns how many were answered so far.
 */
export function answerOperation(server: Pick<SetupServer, "use">, url: string, operation: string, answer: FakeAnswer, times = 1) {
  let used = 0;
  server.use(
    http.post(new RegExp(`^${url.replace(/\/$/, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(/|$)`), ({ request }) => {
      const target = request.headers.get("x-amz-target") ?? "";
      if (used >= times || target.split(".").pop() !== operation) return passthrough();
      used++;
      if (answer.kind === "networkError") return HttpResponse.error();
      return new HttpResponse(answer.body, {
        status: answer.status ?? 200,
        headers: { "content-type": answer.contentType ?? "application/x-amz-json-1.1" },
      });
    }),
  );
  return () => used;
}

// ---- storage doubles ----

/** A storage that fails every `operations` call with `error` (all three by default). */
export function throwingStorage(
  operations: Array<"getItem" | "setItem" | "removeItem"> = ["getItem", "setItem", "removeItem"],
  error: () => unknown = () => new Error("storage unavailable"),
): KeyValueStorage & { calls: number } {
  const memory = createMemoryStorage();
  const storage = {
    calls: 0,
    getItem: (key: string) => (storage.calls++, operations.includes("getItem") ? fail(error) : memory.getItem(key)),
    setItem: (key: string, value: string) => (storage.calls++, operations.includes("setItem") ? fail(error) : memory.setItem(key, value)),
    removeItem: (key: string) => (storage.calls++, operations.includes("removeItem") ? fail(error) : memory.removeItem(key)),
  };
  return storage;
}

function fail(error: () => unknown): never {
  throw error();
}

/** The error a full `localStorage` throws. */
export const quotaExceeded = () => new DOMException("The quota has been exceeded.", "QuotaExceededError");

/**
 * A storage in memory whose writes start failing (quota exceeded) once `full()` is called: a
 * disk or `localStorage` that fills up, or a process that dies before it saves.
 */
export function fillingStorage(): KeyValueStorage & { full(): void; entries: Map<string, string> } {
  const entries = new Map<string, string>();
  let isFull = false;
  return {
    entries,
    full: () => void (isFull = true),
    getItem: (key) => entries.get(key) ?? null,
    setItem(key, value) {
      if (isFull) throw quotaExceeded();
      entries.set(key, value);
    },
    removeItem: (key) => void entries.delete(key),
  };
}

/** A storage whose calls answer asynchronously and reject, like an AsyncStorage that broke. */
export function rejectingAsyncStorage(): KeyValueStorage {
  const refuse = () => Promise.reject(new Error("async storage broke"));
  return { getItem: refuse, setItem: refuse, removeItem: refuse };
}

// ---- the built CLI ----

/** The `cogkit` CLI as `pnpm --filter @cogkit/node build` left it. */
export const builtCli = fileURLToPath(new URL("../packages/node/dist/cli.js", import.meta.url));

/** Fails with how to build it when the CLI has not been built. */
export function requireBuiltCli(): string {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run pnpm --filter @cogkit/core build && pnpm --filter @cogkit/node build`);
  return builtCli;
}

/** Runs the built CLI with `args` and `env` (on top of PATH only), stdin closed; a hang is killed after `limitMs`. */
export function runCli(args: string[], env: Record<string, string>, limitMs = 15_000): Promise<Run & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [requireBuiltCli(), ...args], { env: { ...baseEnv(), ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let killed = false;
    // The last-resort guard against a process that never ends; not a timing assumption.
    const guard = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, limitMs);
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, killed });
    });
    child.stdin.end();
  });
}

/** True when `text` is the AWS `credential_process` JSON with every field filled. */
export function isCredentialProcessJson(text: string): boolean {
  try {
    const out = JSON.parse(text);
    return out.Version === 1 && [out.AccessKeyId, out.SecretAccessKey, out.SessionToken, out.Expiration].every((v) => typeof v === "string" && v !== "");
  } catch {
    return false;
  }
}
