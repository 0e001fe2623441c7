// Test support for the session suites: an emulator with short-lived tokens whose clock moves in
// step with the client's hand-advanced one, a TCP proxy that can drop the network, tabs that
// share storage, and a way to wait for a client's events.
import { connect, createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { startEmulator, type Emulator, type EmulatorOptions } from "@cogkit/emulator";
import {
  type AuthClient,
  type AuthConfig,
  type AuthEvent,
  type BroadcastLike,
  createAuthClient,
  createFetchTransport,
  createMemoryStorage,
  type KeyValueStorage,
  type LockManager,
} from "@cogkit/core";
import { createAwsSdkTransport } from "@cogkit/core/aws-sdk";
import { createTestClock, settle, type TestClock } from "./test-clock.js";

export const password = "Corr3ct-Horse!";
/** Access and id tokens live 5 minutes: the refresh policy refreshes them 75 s before expiry. */
export const lifetimeMs = 300_000;
export const marginMs = 75_000;
export const transports = [{ name: "fetch" as const }, { name: "aws-sdk" as const }];
export type TransportName = (typeof transports)[number]["name"];

let counter = 0;

/** A TCP proxy in front of the emulator whose "network" can be cut: offline, every connection is reset. */
async function startProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let offline = false;
  const server = createServer((socket) => {
    if (offline) return void socket.destroy();
    const upstream = connect(Number(port), hostname);
    for (const [a, b] of [
      [socket, upstream],
      [upstream, socket],
    ] as const) {
      sockets.add(a);
      a.on("error", () => b.destroy());
      a.on("close", () => {
        sockets.delete(a);
        b.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setOffline(value: boolean) {
      offline = value;
      if (value) for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Web Locks in one process: one holder per name, in request order. */
export function createLocks(): LockManager & { grants: number } {
  const tails = new Map<string, Promise<void>>();
  const lock = (async (name, task) => {
    const previous = tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    tails.set(name, previous.then(() => new Promise<void>((resolve) => (release = resolve))));
    await previous;
    lock.grants++;
    try {
      return await task();
    } finally {
      release();
    }
  }) as LockManager & { grants: number };
  lock.grants = 0;
  return lock;
}

/** Node's own BroadcastChannel: instances of one name in this process hear each other, like tabs. */
export const realBroadcast = (name: string): BroadcastLike => new BroadcastChannel(name) as unknown as BroadcastLike;

export interface ClientOptions {
  storage?: KeyValueStorage;
  lock?: LockManager;
  broadcast?: (name: string) => BroadcastLike | undefined;
  transport?: TransportName;
  /** Randomness (backoff jitter, the lockless tabs' refresh moments); WebCrypto's by default. */
  randomBytes?: (length: number) => Uint8Array;
}

/** Repeatable random bytes (mulberry32 from `seed`): lets tabs draw different, known moments. */
export function seededRandomBytes(seed: number): (length: number) => Uint8Array {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 24;
  };
  return (length) => Uint8Array.from({ length }, next);
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * An emulator (tokens living {@link lifetimeMs}) behind a proxy, and a test clock started at the
 * emulator's time. `advance` moves both; `runNextTimer` moves both to the client's next timer.
 */
export async function startHarness(options: EmulatorOptions = {}) {
  const emulator: Emulator = await startEmulator({
    quiet: true,
    tokenValidity: { accessSeconds: lifetimeMs / 1000, idSeconds: lifetimeMs / 1000, refreshSeconds: 30 * 86_400 },
    ...options,
  });
  const proxy = await startProxy(emulator.url);
  const config: AuthConfig = { ...emulator.config, userPoolEndpoint: proxy.url };
  const clock: TestClock = createTestClock(emulator.now());
  const clients: AuthClient[] = [];
  // Requests of the fetch transports on their way, so a test can let them land before time moves.
  let inFlight = 0;
  // Operations whose requests wait at the client's edge until the test releases them.
  const holds = new Map<string, { sent: () => void; released: Promise<void> }>();
  const trackedFetch: typeof fetch = async (input, init) => {
    inFlight++;
    try {
      const hold = holds.get(String(new Headers(init?.headers).get("x-amz-target")).split(".").pop()!);
      if (hold) {
        hold.sent();
        await hold.released;
      }
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };

  async function advance(ms: number) {
    emulator.advanceTime(ms);
    await clock.advance(ms);
  }

  function client(clientOptions: ClientOptions = {}): AuthClient {
    const transport =
      clientOptions.transport === "aws-sdk"
        ? createAwsSdkTransport(config)
        : createFetchTransport({ ...config, platform: { fetch: trackedFetch } });
    const made = createAuthClient(config, {
      transport,
      platform: {
        clock,
        storage: clientOptions.storage ?? createMemoryStorage(),
        lock: clientOptions.lock,
        ...(clientOptions.randomBytes ? { randomBytes: clientOptions.randomBytes } : {}),
        // No channel unless a test asks for one: Node's BroadcastChannel would join every client.
        broadcast: clientOptions.broadcast ?? (() => undefined),
      },
    });
    clients.push(made);
    return made;
  }

  /** Signs up and confirms a new user; returns the username. */
  async function newUser(by: AuthClient = client()): Promise<string> {
    const username = `user${++counter}.${Date.now()}@example.com`;
    await by.signUp({ username, password });
    await by.confirmSignUp({ username, code: emulator.outbox.latest(username)!.code });
    return username;
  }

  return {
    emulator,
    proxy,
    config,
    clock,
    key: `cogkit.${config.userPoolClientId}.session`,
    refreshCalls: () => emulator.callCount("GetTokensFromRefreshToken"),
    /**
     * Holds the fetch-transport requests of `operation` before they leave the client: `sent`
     * resolves when the first one was made, `release()` lets them all through (and ends the hold).
     */
    hold(operation: string) {
      let sent!: () => void;
      let release!: () => void;
      const made = new Promise<void>((resolve) => (sent = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.set(operation, { sent, released });
      return {
        sent: made,
        release() {
          holds.delete(operation);
          release();
        },
      };
    },
    advance,
    /**
     * Moves both clocks by `ms`, then waits until every request of a fetch-transport client has
     * been answered and its effects have run: time moves on only once the network is quiet.
     */
    async step(ms: number) {
      await advance(ms);
      while (inFlight > 0) await settle();
      await settle();
    },
    /** Moves both clocks to the earliest pending timer, firing it. */
    async runNextTimer() {
      const at = clock.nextTimerAt();
      if (at === undefined) throw new Error("no timer is pending");
      await advance(at - clock.now());
    },
    client,
    newUser,
    /** A client signed in as a new user (password flow: SRP timestamps follow the wall clock). */
    async signedIn(clientOptions: ClientOptions = {}) {
      const signedInClient = client(clientOptions);
      const username = await newUser(signedInClient);
      const { nextStep } = await signedInClient.signIn({ username, password, flow: "password" });
      if (nextStep.type !== "done") throw new Error(`sign-in stopped at ${nextStep.type}`);
      return { client: signedInClient, username };
    },
    async stop() {
      for (const each of clients) each.dispose();
      await proxy.close();
      await emulator.stop();
    },
  };
}

/** Resolves with the next event of `type` the client emits. */
export function nextEvent<T extends AuthEvent["type"]>(client: AuthClient, type: T): Promise<Extract<AuthEvent, { type: T }>> {
  return new Promise((resolve) => {
    const unsubscribe = client.subscribe((event) => {
      if (event.type !== type) return;
      unsubscribe();
      resolve(event as Extract<AuthEvent, { type: T }>);
    });
  });
}

/** Every event a client emits from now on. */
export function recordEvents(client: AuthClient): AuthEvent[] {
  const events: AuthEvent[] = [];
  client.subscribe((event) => events.push(event));
  return events;
}

/** The rejection of `promise` (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}
