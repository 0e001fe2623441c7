import type { AuthUser } from "../auth-snapshot.js";
import type { UserAttributeSchema } from "../config.js";
import { AuthError } from "../errors.js";
import { readJwtClaims } from "../jwt.js";
import { createSafeStorage } from "../platform/storage/safe-storage.js";
import type { BroadcastLike, Platform, TimerHandle } from "../platform/types.js";
import { classifyRefreshError } from "./refresh-error-class.js";
import { defaultRefreshPolicy } from "./refresh-policy.js";
import {
  initialSessionState,
  transition,
  type SessionEffect,
  type SessionEvent,
  type SessionNotice,
  type SessionState,
} from "./session-machine.js";
import { decodeSessionRecord, encodeSessionRecord, sessionRecordKey } from "./session-record.js";
import { createSessionTokens, type SessionTokens } from "./session-tokens.js";
import { userFromIdToken } from "../user-from-id-token.js";

/** What the injected refresh operation receives. */
export interface RefreshTokensInput {
  refreshToken: string;
  /** Aborted when the controller is disposed. */
  signal: AbortSignal;
}

/** What the injected refresh operation returns: Cognito's answer, `refreshToken` only when rotated. */
export interface RefreshTokensResult {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** Seconds; used only when the tokens carry no `exp`. */
  expiresIn?: number;
}

/**
 * Trades a refresh token for new tokens (the client passes one calling
 * `GetTokensFromRefreshToken`, falling back to `InitiateAuth REFRESH_TOKEN_AUTH`). It
 * rejects with an {@link AuthError}; its code decides whether the session survives.
 */
export type RefreshTokens = (input: RefreshTokensInput) => Promise<RefreshTokensResult>;

/**
 * Sent to listeners: a {@link SessionNotice}, or `stateChanged` when the state moved without
 * one. No listener ever sees a token (a logging one would leak them): a new session is
 * announced with its `user` and when its tokens expire (`expiresAt`, local ms), and a
 * listener that needs the tokens calls `getTokens()`.
 */
export type SessionUpdate<S extends UserAttributeSchema = UserAttributeSchema> =
  | { type: "signedIn"; source: "signIn" | "storage" | "otherTab"; user: AuthUser<S>; expiresAt: number }
  | { type: "tokenRefreshed"; source: "refresh" | "otherTab"; user: AuthUser<S>; expiresAt: number }
  | Exclude<SessionNotice, { tokens: SessionTokens }>
  | { type: "stateChanged" };

/** Options of {@link createSessionController}. */
export interface SessionControllerOptions {
  /** The app client id: names the storage key, the broadcast channel and the lock. */
  clientId: string;
  /** Clock and storage are required; lock, broadcast and randomBytes are used when present. */
  platform: Pick<Platform, "clock" | "storage"> & Partial<Pick<Platform, "lock" | "broadcast" | "randomBytes">>;
  refresh: RefreshTokens;
  /** Types the `user` of updates by the config's attribute schema (see `userFromIdToken`). */
  userAttributes?: UserAttributeSchema;
  /**
   * A number in [0, 1) for backoff jitter, and for the refresh moment of tabs that share a
   * channel but no lock; from `platform.randomBytes` by default.
   */
  random?: () => number;
}

/** Runs the session machine: timers, storage, tabs, refresh calls. See {@link createSessionController}. */
export interface SessionController {
  /** Loads the stored session, listens to other tabs and arms the refresh timer. Idempotent. */
  start(): Promise<void>;
  /** Stops background work (timer, tab channel); `getTokens` still refreshes on demand. */
  stop(): void;
  /** Stops for good: no timer, channel, listener or pending wait is left behind. */
  dispose(): void;
  getState(): SessionState;
  /**
   * Valid tokens: the current ones, or fresh ones when inside the refresh margin. After a
   * transient failure it still returns tokens that have not expired; otherwise it rejects
   * with the refresh error, or `ERR_NOT_SIGNED_IN`. With `forceRefresh` only tokens from a
   * call made after it was called will do: concurrent forced callers share one refresh, and
   * a failed refresh rejects (the session is kept and retried).
   */
  getTokens(options?: { forceRefresh?: boolean }): Promise<SessionTokens>;
  /** Makes `tokens` (from a completed sign-in) the session: persisted, then announced. */
  acceptSignIn(tokens: SessionTokens): Promise<void>;
  /** Ends the session here and in other tabs (the server-side sign-out is the caller's). */
  signOut(): Promise<void>;
  /** `listener` hears every update, after the storage was written; returns the unsubscribe function. */
  subscribe(listener: (update: SessionUpdate) => void): () => void;
}

const channelMessageType = "cogkit.session";

/**
 * Creates the controller that runs a client's session: it feeds events to the pure
 * {@link transition} and carries out its effects — the one refresh timer, the one
 * storage record, the tab channel, and refresh calls made one at a time per refresh
 * token, under the platform lock when there is one.
 *
 * @example
 * const session = createSessionController({ clientId, platform, refresh: (input) => refreshTokens(transport, input) });
 * session.subscribe((update) => update.type === "sessionExpired" && goToSignIn());
 * await session.start();
 * const { accessToken } = await session.getTokens();
 */
export function createSessionController(options: SessionControllerOptions): SessionController {
  const { clientId, platform, refresh } = options;
  // Eight bits of jitter are plenty to keep tabs from retrying in step.
  const random = options.random ?? (() => (platform.randomBytes ? platform.randomBytes(1)[0]! / 256 : Math.random()));
  const { clock } = platform;
  const key = sessionRecordKey(clientId);
  const storage = createSafeStorage(platform.storage, {
    onWarning: ({ error }) => notify({ type: "storageWarning", problem: "unavailable", error }),
  });

  let state: SessionState = initialSessionState;
  let running = false;
  let disposed = false;
  let starting: Promise<void> | undefined;
  let timer: TimerHandle | undefined;
  let channel: BroadcastLike | undefined;
  let effectQueue: Promise<void> = Promise.resolve();
  const aborter = new AbortController();
  const inflight = new Map<string, Promise<RefreshTokensResult>>();
  /** The refreshing state whose call has left: a forced `getTokens` arriving then needs the next one. */
  let sent: SessionState | undefined;
  /** Pending pauses, each ended early by its function: `dispose` calls them. */
  const pauses = new Set<() => void>();
  const listeners = new Set<(update: SessionUpdate) => void>();
  /** Callers of `getTokens` waiting for the state to move on `from` a refresh. */
  const waiters = new Set<{ from: SessionState; resolve: () => void; reject: (e: unknown) => void }>();

  function notify(update: SessionUpdate) {
    for (const listener of [...listeners]) {
      try {
        listener(update);
      } catch {
        // One failing listener must not stop the session or the other listeners.
      }
    }
  }

  /** Feeds one event to the machine; resolves when its effects (storage, announcements) are done. */
  function dispatch(event: SessionEvent): Promise<void> {
    if (disposed) return Promise.resolve();
    const previous = state;
    // Without a lock, tabs sharing a channel would all refresh at the same instant: each draws
    // its own moment in the margin window, so the first refreshes and the others adopt its session.
    const policy = channel && !platform.lock ? { ...defaultRefreshPolicy, stagger: random() } : undefined;
    const [next, effects] = transition(state, event, clock.now(), policy);
    state = next;
    // Timer effects apply at once, so the timer always matches the latest state.
    for (const effect of effects) {
      if (effect.type === "scheduleRefresh") arm(effect.at);
      else if (effect.type === "cancelTimer") disarm();
    }
    const run = effectQueue.then(() => runEffects(effects, next !== previous));
    effectQueue = run.catch(() => undefined);
    return run;
  }

  async function runEffects(effects: SessionEffect[], changed: boolean) {
    let announced = false;
    for (const effect of effects) {
      if (disposed) return;
      switch (effect.type) {
        case "persist":
          await storage.setItem(key, encodeSessionRecord(effect.tokens, clock.now()));
          break;
        case "clearStorage":
          await storage.removeItem(key);
          break;
        case "broadcast":
          try {
            channel?.postMessage({ type: channelMessageType, record: effect.tokens && encodeSessionRecord(effect.tokens, clock.now()) });
          } catch {
            // A closed channel only costs the other tabs a storage read before their next refresh.
          }
          break;
        case "emit": {
          announced = true;
          // The tokens stay here: listeners hear who signed in and until when.
          const { tokens, ...notice } = effect.notice as SessionNotice & { tokens?: SessionTokens };
          notify(
            (tokens
              ? { ...notice, user: userFromIdToken(readJwtClaims(tokens.idToken) ?? {}, options.userAttributes), expiresAt: tokens.expiresAt }
              : notice) as SessionUpdate,
          );
          break;
        }
        case "refresh":
          void runRefresh(effect.refreshToken, effect.seq);
          break;
      }
    }
    if (changed && !announced) notify({ type: "stateChanged" });
    // Deleting the visited entry of a Set does not disturb the iteration.
    for (const waiter of waiters) {
      if (waiter.from !== state) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  function arm(at: number) {
    disarm();
    // Stopped: `start()` asks the machine again.
    if (!running) return;
    // The delay is capped at setTimeout's limit: a later refresh is re-armed when the early timer fires.
    timer = clock.setTimeout(() => {
      timer = undefined;
      void dispatch({ type: "timerFired" });
    }, Math.min(Math.max(0, at - clock.now()), 2 ** 31 - 1));
  }

  function disarm() {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  }

  function onMessage(event: { data: unknown }) {
    const data = event.data as { type?: unknown; record?: unknown } | null | undefined;
    if (data?.type !== channelMessageType) return;
    // `null` is another tab's sign-out; an unreadable record is ignored.
    const { tokens } = decodeSessionRecord(data.record);
    if (tokens || data.record === null) void dispatch({ type: "storageChanged", tokens });
  }

  /** Adopts a newer session another tab stored; true when the refresh at `seq` is moot. */
  async function adoptStored(seq: number): Promise<boolean> {
    if (state.seq !== seq) return true;
    const stored = decodeSessionRecord(await storage.getItem(key)).tokens;
    // No record is no evidence: this tab may be the only one that ever wrote it.
    if (stored !== null && state.seq === seq) await dispatch({ type: "storageChanged", tokens: stored });
    return state.seq !== seq || disposed;
  }

  async function refreshOnce(refreshToken: string, seq: number) {
    // Another tab may have refreshed already: its rotated session wins over a second call.
    if (await adoptStored(seq)) return;
    let result: RefreshTokensResult;
    sent = state;
    try {
      // One call per refresh token, shared by every refresh that holds it.
      let call = inflight.get(refreshToken);
      if (!call) {
        call = refresh({ refreshToken, signal: aborter.signal }).finally(() => inflight.delete(refreshToken));
        inflight.set(refreshToken, call);
      }
      result = await call;
    } catch (error) {
      const errorClass = classifyRefreshError(error);
      if (errorClass === "definitive") {
        // Refused: maybe another tab rotated the token a moment ago. Look again before giving up.
        if (await adoptStored(seq)) return;
        if (channel !== undefined) {
          // A pause long enough for the other tab to store and announce its rotated session;
          // dispose() ends it early.
          await new Promise<void>((resolve) => {
            const done = () => {
              clock.clearTimeout(handle);
              pauses.delete(done);
              resolve();
            };
            const handle = clock.setTimeout(done, 2_000);
            pauses.add(done);
          });
          if (disposed || (await adoptStored(seq))) return;
        }
      }
      await dispatch({ type: "tokenRefreshFailed", error, errorClass, seq, refreshToken, random: random() });
      return;
    }
    const tokens = createSessionTokens({ ...result, refreshToken: result.refreshToken ?? refreshToken }, clock.now());
    await dispatch({ type: "tokenRefreshed", tokens, seq, refreshToken });
  }

  async function runRefresh(refreshToken: string, seq: number) {
    const { lock } = platform;
    let entered = false;
    const once = () => {
      entered = true;
      return refreshOnce(refreshToken, seq);
    };
    try {
      // Another tab's refresh gets 10 s to finish before this one goes ahead without the lock.
      await (lock ? lock(`cogkit.${clientId}.refresh`, once, { timeoutMs: 10_000 }) : once());
    } catch {
      // The lock timed out or is unavailable: refresh anyway, at worst one extra call.
      if (!entered) await refreshOnce(refreshToken, seq);
    }
  }

  function start(): Promise<void> {
    if (disposed) return Promise.reject(disposedError());
    if (running) return starting!;
    running = true;
    // The channel is named like the storage key: tabs sharing one share the other.
    channel = platform.broadcast?.(key);
    channel?.addEventListener("message", onMessage);
    starting = (async () => {
      if (state.status === "initializing") {
        await dispatch({ type: "sessionLoaded", ...decodeSessionRecord(await storage.getItem(key)) });
        return;
      }
      // Restarted after stop(): catch up with what other tabs stored meanwhile, then re-arm
      // the timer, or refresh if it came due while stopped.
      // A sign-in or sign-out made here during the read is newer than what it returns.
      await adoptStored(state.seq);
      await dispatch({ type: "timerFired" });
    })();
    return starting;
  }

  function stop() {
    if (!running) return;
    running = false;
    disarm();
    channel?.removeEventListener("message", onMessage);
    channel?.close();
    channel = undefined;
  }

  async function getTokens(options: { forceRefresh?: boolean } = {}): Promise<SessionTokens> {
    if (disposed) throw disposedError();
    const forced = options.forceRefresh === true;
    // Whether this caller still needs a refresh call that leaves after it came: forced callers
    // share the refresh they find unless its call has left, and then share the next one.
    let force = forced;
    // Tokens that have not expired still serve, unless new ones were asked for.
    const usable = (tokens: SessionTokens) => !forced && clock.now() < tokens.expiresAt;
    for (let round = 0; round < 8; round++) {
      const current = state;
      if (current.status === "initializing") {
        await start();
        if (state === current) throw notSignedIn();
        continue;
      }
      if (current.status === "signedOut") throw notSignedIn(current.error);
      if (current.status === "signedIn") {
        if (!force && clock.now() < current.refreshAt) return current.tokens;
        const requested = dispatch({ type: "refreshRequested", force });
        force = false;
        if (state === current) {
          // Not refreshed (backing off, or no refresh token).
          await requested;
          if (usable(current.tokens)) return current.tokens;
          if (state.status !== "signedIn") continue;
          throw current.lastError ?? expired();
        }
        continue;
      }
      // Refreshing: wait for this refresh to settle, whoever started it. Once disposed nothing
      // settles, and dispose() rejected only the waits it found.
      if (disposed) throw disposedError();
      if (current !== sent) force = false;
      await new Promise<void>((resolve, reject) => {
        // Every way out of a refresh moves to a new state, and none comes back to this one.
        waiters.add({ from: current, resolve, reject });
      });
      const after = state;
      if (after.status === "signedIn" && after.tokens === current.tokens && after.failures > current.failures) {
        // The refresh failed; the session is kept and retried. A forced caller asked for new
        // tokens (say after changing attributes): the old ones would be a silent wrong answer.
        if (usable(after.tokens)) return after.tokens;
        throw after.lastError;
      }
    }
    // Signed in or refreshing: the states that hold tokens.
    if ("tokens" in state && usable(state.tokens)) {
      return state.tokens;
    }
    throw expired();
  }

  return {
    start,
    stop,
    dispose() {
      if (disposed) return;
      stop();
      disposed = true;
      aborter.abort();
      for (const done of pauses) done();
      for (const waiter of waiters) waiter.reject(disposedError());
      waiters.clear();
      listeners.clear();
    },
    getState: () => state,
    getTokens,
    acceptSignIn: (tokens) => dispatch({ type: "signedIn", tokens }),
    signOut: () => dispatch({ type: "signedOut" }),
    subscribe(listener) {
      if (typeof listener !== "function") throw new TypeError("subscribe(listener)");
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

function notSignedIn(cause?: unknown): AuthError {
  return new AuthError("ERR_NOT_SIGNED_IN", "Not signed in", { cause });
}

function disposedError(): AuthError {
  return new AuthError("ERR_ABORTED", "Disposed");
}

function expired(): AuthError {
  return new AuthError("ERR_TOKEN_EXPIRED", "Tokens expired");
}
