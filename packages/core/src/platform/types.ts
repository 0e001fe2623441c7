/** A handle returned by {@link Clock.setTimeout}; opaque to cogkit. */
export type TimerHandle = unknown;

/** Options of {@link Clock.setTimeout}. */
export interface TimerOptions {
  /**
   * True when a caller awaits this wait (a retry's backoff): the runtime must stay alive until
   * it fires (in Node, the timer is not `unref()`'d). Otherwise the timer is background work,
   * such as a scheduled refresh, which must not keep a script from exiting.
   */
  keepAlive?: boolean;
}

/**
 * Time as cogkit sees it. Injected so tests advance it by hand and Node can `unref()` timers.
 * A clock written before `options` existed still fits; it should honour `keepAlive` where
 * its runtime can exit under a pending timer.
 *
 * @example
 * const clock: Clock = {
 *   now: () => Date.now(),
 *   setTimeout: (callback, ms, options) => {
 *     const handle = setTimeout(callback, ms);
 *     if (!options?.keepAlive) handle.unref();
 *     return handle;
 *   },
 *   clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
 * };
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once, `ms` from now. */
  setTimeout(callback: () => void, ms: number, options?: TimerOptions): TimerHandle;
  /** Cancels a timer of {@link Clock.setTimeout}; a handle that already fired is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The smallest storage cogkit needs. Sync (localStorage) and async (React Native's
 * AsyncStorage, files) implementations both fit: callers always `await` the result.
 *
 * @example
 * const storage: KeyValueStorage = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
 */
export interface KeyValueStorage {
  /**
   * True when other tabs read and write the same items (`localStorage`, cookies). Only then
   * does the default platform tell them of session changes over `BroadcastChannel`: tabs
   * with storage of their own (memory, `sessionStorage`) may hold different users.
   */
  readonly shared?: boolean;
  /** The value under `key`, or `null` when there is none. */
  getItem(key: string): string | null | Promise<string | null>;
  /** Stores `value` under `key`, replacing what was there. */
  setItem(key: string, value: string): void | Promise<void>;
  /** Removes `key`; nothing happens when it is absent. */
  removeItem(key: string): void | Promise<void>;
}

/** Modular exponentiation, injectable so Node can use native big-number maths for SRP. */
export type ModPow = (base: bigint, exponent: bigint, modulus: bigint) => bigint | Promise<bigint>;

/** Runs `task` while holding the named lock (Web Locks where present). */
export type LockManager = <T>(name: string, task: () => Promise<T>, options?: { timeoutMs?: number }) => Promise<T>;

/** Everything outside the language that cogkit's core uses, in one injectable object. */
export interface Platform {
  clock: Clock;
  storage: KeyValueStorage;
  /** Sends the HTTP requests of the fetch transport and the hosted UI. */
  fetch: typeof globalThis.fetch;
  /** `length` cryptographically random bytes (SRP's secret, PKCE, state and nonce). */
  randomBytes(length: number): Uint8Array;
  subtle: SubtleCrypto;
  modPow?: ModPow;
  lock?: LockManager;
  /** Creates a channel to other tabs/runtimes sharing the storage (BroadcastChannel where present). */
  broadcast?: (name: string) => BroadcastLike | undefined;
  /**
   * Where passkeys are made and used: `navigator.credentials` (read at each use) unless given,
   * say a software authenticator in tests or a native bridge in an app shell.
   */
  webAuthn?: WebAuthnLike;
}

/**
 * The part of `navigator.credentials` (`CredentialsContainer`) that passkeys use: `create`
 * registers one, `get` signs in with one. Options carry `publicKey` with binary fields as
 * `ArrayBuffer`s, and a `signal`; each answers a `PublicKeyCredential`-like object, or null.
 */
export interface WebAuthnLike {
  /** Registers a passkey (`navigator.credentials.create`). */
  create(options: { publicKey: object; signal?: AbortSignal }): Promise<unknown>;
  /** Signs in with a passkey (`navigator.credentials.get`). */
  get(options: { publicKey: object; signal?: AbortSignal }): Promise<unknown>;
}

/** The part of `BroadcastChannel` cogkit uses. */
export interface BroadcastLike {
  /** Sends `message` to the other tabs' channels of the same name (not to this one). */
  postMessage(message: unknown): void;
  /** Listens to the other tabs' messages. */
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  /** Stops listening. */
  removeEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  /** Closes the channel: no message arrives after it. */
  close(): void;
}
