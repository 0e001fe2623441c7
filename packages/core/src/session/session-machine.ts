import { AuthError } from "../errors.js";
import type { RefreshErrorClass } from "./refresh-error-class.js";
import { defaultRefreshPolicy, refreshAtFor, retryDelayFor, type RefreshPolicy } from "./refresh-policy.js";
import type { SessionRecordProblem } from "./session-record.js";
import { isNewerSession, type SessionTokens } from "./session-tokens.js";

/**
 * The session as the machine sees it. Every state carries `seq`, the generation of the
 * session: it grows on each sign-in, sign-out, adoption and refresh start, and a refresh
 * answer is accepted only if it carries the current `seq` — so a late answer can never
 * overwrite a newer session.
 */
export type SessionState =
  | { status: "initializing"; seq: number }
  | { status: "signedOut"; seq: number; /** Why the last session ended, when it expired. */ error?: unknown }
  | SignedInState
  | RefreshingState;

/** Signed in with tokens; `retryAt`/`lastError` are set while recovering from a failed refresh. */
export interface SignedInState {
  status: "signedIn";
  seq: number;
  tokens: SessionTokens;
  /** Local time of the next proactive refresh (see {@link refreshAtFor}); `expiresAt` without a refresh token. */
  refreshAt: number;
  /** Consecutive failed refreshes; 0 when the last one succeeded. */
  failures: number;
  /** When the next retry is due after a failed refresh. */
  retryAt?: number;
  /** The error of the last failed refresh, kept until one succeeds. */
  lastError?: unknown;
}

/** A refresh is in flight; the current tokens stay usable until it settles. */
export interface RefreshingState {
  status: "refreshing";
  seq: number;
  tokens: SessionTokens;
  refreshAt: number;
  failures: number;
  lastError?: unknown;
}

/**
 * Where a session came from, on `signedIn` / `tokenRefreshed` / `signedOut` notices.
 *
 * @example
 * client.subscribe((e) => e.type === "signedIn" && e.source === "otherTab" && reloadProfile());
 */
export type SessionSource = "signIn" | "storage" | "refresh" | "otherTab" | "signOut";

/**
 * What the machine announces: past-tense facts about the session. Those of a new session hold
 * its tokens, which the controller keeps: its listeners hear a `SessionUpdate` without them.
 *
 * @example
 * client.subscribe((notice) => notice.type === "tokenRefreshFailed" && log(notice.errorClass, notice.retryAt));
 */
export type SessionNotice =
  | { type: "signedIn"; tokens: SessionTokens; source: "signIn" | "storage" | "otherTab" }
  | { type: "tokenRefreshed"; tokens: SessionTokens; source: "refresh" | "otherTab" }
  | { type: "tokenRefreshFailed"; error: unknown; errorClass: RefreshErrorClass; retryAt: number }
  | { type: "signedOut"; source: "signOut" | "otherTab" }
  | { type: "sessionExpired"; error: unknown }
  | { type: "storageWarning"; problem: SessionRecordProblem | "unavailable"; error?: unknown };

/** Inputs of {@link transition}: facts that happened, past tense. */
export type SessionEvent =
  /** The stored record was read at start (`tokens: null` when there was none or it was unreadable). */
  | { type: "sessionLoaded"; tokens: SessionTokens | null; problem?: SessionRecordProblem }
  /** A sign-in completed with these tokens. */
  | { type: "signedIn"; tokens: SessionTokens }
  /** Someone asked for fresh tokens (`getTokens`); `force` ignores the margin and backoff. */
  | { type: "refreshRequested"; force?: boolean }
  /** The one timer fired, or the controller restarted and the timer may have come due while stopped. */
  | { type: "timerFired" }
  /** The refresh started at `seq` with `refreshToken` succeeded; `tokens` carry the rotated refresh token, if any. */
  | { type: "tokenRefreshed"; seq: number; refreshToken: string; tokens: SessionTokens }
  /** The refresh started at `seq` failed; `random` in [0, 1) jitters the retry. */
  | {
      type: "tokenRefreshFailed";
      seq: number;
      refreshToken: string;
      error: unknown;
      errorClass: RefreshErrorClass;
      random: number;
    }
  /** The user signed out in this runtime. */
  | { type: "signedOut" }
  /** Something outside the refresh (an API call answering NotAuthorized) showed the session is dead. */
  | { type: "sessionExpired"; error?: unknown }
  /** Another tab or runtime wrote this session (or none) to the shared storage. */
  | { type: "storageChanged"; tokens: SessionTokens | null };

/** What the controller must do after a transition, in order. */
export type SessionEffect =
  | { type: "scheduleRefresh"; at: number }
  | { type: "cancelTimer" }
  | { type: "refresh"; refreshToken: string; seq: number }
  | { type: "persist"; tokens: SessionTokens }
  | { type: "clearStorage" }
  | { type: "broadcast"; tokens: SessionTokens | null }
  | { type: "emit"; notice: SessionNotice };

/** The state before anything was loaded. */
export const initialSessionState: SessionState = { status: "initializing", seq: 0 };

type Result = [SessionState, SessionEffect[]];

/**
 * The whole session logic, pure: no clock, storage, timer or randomness of its own
 * (`now` and the jitter come in; timers, I/O and notices go out as effects). An event
 * that does not apply returns the same state object and no effects.
 *
 * @example
 * let state = initialSessionState;
 * const [next, effects] = transition(state, { type: "sessionLoaded", tokens }, clock.now());
 */
export function transition(
  state: SessionState,
  event: SessionEvent,
  now: number,
  policy: RefreshPolicy = defaultRefreshPolicy,
): Result {
  const unchanged: Result = [state, []];
  switch (event.type) {
    case "sessionLoaded": {
      if (state.status !== "initializing") return unchanged;
      if (event.tokens === null) {
        const effects: SessionEffect[] = [];
        if (event.problem !== undefined) {
          effects.push({ type: "clearStorage" }, { type: "emit", notice: { type: "storageWarning", problem: event.problem } });
        }
        return [{ status: "signedOut", seq: state.seq }, effects];
      }
      return arm(state.seq, event.tokens, now, policy, [
        { type: "emit", notice: { type: "signedIn", tokens: event.tokens, source: "storage" } },
      ]);
    }

    case "signedIn":
      return arm(state.seq + 1, event.tokens, now, policy, [
        { type: "persist", tokens: event.tokens },
        { type: "broadcast", tokens: event.tokens },
        { type: "emit", notice: { type: "signedIn", tokens: event.tokens, source: "signIn" } },
      ]);

    case "refreshRequested": {
      if (state.status !== "signedIn") return unchanged;
      const due = state.retryAt !== undefined && now < state.tokens.expiresAt ? state.retryAt : state.refreshAt;
      return event.force === true || now >= due ? startRefresh(state, now) : unchanged;
    }

    case "timerFired": {
      if (state.status !== "signedIn") return unchanged;
      const due = state.retryAt ?? state.refreshAt;
      // A timer may fire early (clock adjusted, stale handle): wait again instead of refreshing.
      return now >= due ? startRefresh(state, now) : [state, [{ type: "scheduleRefresh", at: due }]];
    }

    case "tokenRefreshed":
    case "tokenRefreshFailed": {
      // Only the answer to the refresh in flight counts: a late one never overwrites a newer session.
      if (state.status !== "refreshing" || event.seq !== state.seq || event.refreshToken !== state.tokens.refreshToken) {
        return unchanged;
      }
      if (event.type === "tokenRefreshed") {
        const followUps: SessionEffect[] = [
          { type: "persist", tokens: event.tokens },
          { type: "broadcast", tokens: event.tokens },
          { type: "emit", notice: { type: "tokenRefreshed", tokens: event.tokens, source: "refresh" } },
        ];
        const armed = arm(state.seq, event.tokens, now, policy, followUps);
        if (armed[0].status !== "refreshing") return armed;
        // Due the moment they arrive (a server's bad clock, a stale cache): kept, for a rotated
        // refresh token must not be lost, but refreshed again only after a failure's backoff.
        const failures = state.failures + 1;
        const retryAt = now + retryDelayFor(failures, 0.5, policy);
        const error = new AuthError("ERR_BAD_RESPONSE", "The refreshed tokens were already due");
        const next: SignedInState = { ...armed[0], status: "signedIn", seq: state.seq, failures, retryAt, lastError: error };
        return [next, [{ type: "scheduleRefresh", at: retryAt }, ...followUps]];
      }
      if (event.errorClass === "definitive") return end(state, { type: "sessionExpired", error: event.error });
      const failures = state.failures + 1;
      const retryAt = now + retryDelayFor(failures, event.random, policy);
      const next: SignedInState = { ...state, status: "signedIn", failures, retryAt, lastError: event.error };
      return [
        next,
        [
          { type: "scheduleRefresh", at: retryAt },
          {
            type: "emit",
            notice: { type: "tokenRefreshFailed", error: event.error, errorClass: event.errorClass, retryAt },
          },
        ],
      ];
    }

    case "signedOut":
      return state.status === "signedOut" ? unchanged : end(state, { type: "signedOut", source: "signOut" });

    case "sessionExpired":
      return state.status === "signedOut" ? unchanged : end(state, { type: "sessionExpired", error: event.error });

    case "storageChanged": {
      const incoming = event.tokens;
      // Signed in or refreshing: the states that hold tokens.
      const live = "tokens" in state;
      if (incoming === null) {
        // While initializing, the load that follows tells the truth; a signed-out tab has nothing to drop.
        if (!live) return unchanged;
        return [
          { status: "signedOut", seq: state.seq + 1 },
          [{ type: "cancelTimer" }, { type: "emit", notice: { type: "signedOut", source: "otherTab" } }],
        ];
      }
      if (live && !isNewerSession(incoming, state.tokens)) return unchanged;
      return arm(state.seq + 1, incoming, now, policy, [
        { type: "emit", notice: { type: live ? "tokenRefreshed" : "signedIn", tokens: incoming, source: "otherTab" } },
      ]);
    }
  }
}

/** Signed in with `tokens`: refresh now if already due, else schedule it. `notices` follow the timer effects. */
function arm(
  seq: number,
  tokens: SessionTokens,
  now: number,
  policy: RefreshPolicy,
  followUps: SessionEffect[],
): Result {
  const refreshAt = tokens.refreshToken === undefined ? tokens.expiresAt : refreshAtFor(tokens, policy);
  const signedIn: SignedInState = { status: "signedIn", seq, tokens, refreshAt, failures: 0 };
  if (now >= refreshAt) {
    const [next, effects] = startRefresh(signedIn, now);
    return [next, [...followUps, ...effects]];
  }
  return [signedIn, [{ type: "scheduleRefresh", at: refreshAt }, ...followUps]];
}

function startRefresh(state: SignedInState, now: number): Result {
  const { refreshToken } = state.tokens;
  if (refreshToken === undefined) {
    // Nothing to refresh with: the session lasts until its tokens expire.
    if (now < state.tokens.expiresAt) return [state, [{ type: "scheduleRefresh", at: state.tokens.expiresAt }]];
    return end(state, { type: "sessionExpired", error: new AuthError("ERR_TOKEN_EXPIRED", "Tokens expired") });
  }
  const seq = state.seq + 1;
  const { retryAt: _, ...rest } = state;
  const next: RefreshingState = { ...rest, status: "refreshing", seq };
  return [next, [{ type: "cancelTimer" }, { type: "refresh", refreshToken, seq }]];
}

/** Signed out everywhere, announced by `notice`; a `sessionExpired` notice's error stays on the state. */
function end(state: SessionState, notice: SessionNotice): Result {
  const next: SessionState = { status: "signedOut", seq: state.seq + 1 };
  if (notice.type === "sessionExpired") next.error = notice.error;
  return [
    next,
    [{ type: "cancelTimer" }, { type: "clearStorage" }, { type: "broadcast", tokens: null }, { type: "emit", notice }],
  ];
}
