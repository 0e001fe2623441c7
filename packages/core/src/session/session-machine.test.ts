import { describe, expect, it } from "vitest";
import { AuthError } from "../errors.js";
import { defaultRefreshPolicy, refreshAtFor, retryDelayFor } from "./refresh-policy.js";
import {
  initialSessionState,
  transition,
  type SessionEffect,
  type SessionEvent,
  type SessionState,
} from "./session-machine.js";
import { sessionTokens } from "../../test/test-tokens.js";

const hour = 3600_000;
const t0 = 1_700_000_000_000;
const now = t0 + 10_000;

const current = sessionTokens(t0, hour, "current");
const stale = sessionTokens(t0 - hour, hour + 30_000, "stale"); // due for refresh at `now`
const fresh = sessionTokens(now, hour, "fresh");
const older = sessionTokens(t0 - 3 * hour, 4 * hour, "older"); // older than every session above
const networkError = new AuthError("ERR_NETWORK", "offline", { retryable: true });
const revoked = new AuthError("ERR_NOT_AUTHORIZED", "Refresh Token has been revoked");

const states: Record<string, SessionState> = {
  initializing: initialSessionState,
  signedOut: { status: "signedOut", seq: 3 },
  signedIn: { status: "signedIn", seq: 4, tokens: current, refreshAt: refreshAtFor(current), failures: 0 },
  signedInDue: { status: "signedIn", seq: 4, tokens: stale, refreshAt: refreshAtFor(stale), failures: 0 },
  signedInBackingOff: {
    status: "signedIn",
    seq: 4,
    tokens: stale,
    refreshAt: refreshAtFor(stale),
    failures: 2,
    retryAt: now + 5_000,
    lastError: networkError,
  },
  refreshing: { status: "refreshing", seq: 5, tokens: current, refreshAt: refreshAtFor(current), failures: 0 },
};

const failed = (errorClass: "transient" | "definitive" | "unknown", seq = 5): Extract<SessionEvent, { type: "tokenRefreshFailed" }> => ({
  type: "tokenRefreshFailed",
  seq,
  refreshToken: current.refreshToken,
  error: errorClass === "definitive" ? revoked : networkError,
  errorClass,
  random: 0.5,
});

const events: Record<string, SessionEvent> = {
  "sessionLoaded (nothing stored)": { type: "sessionLoaded", tokens: null },
  "sessionLoaded (corrupt record)": { type: "sessionLoaded", tokens: null, problem: "corrupt" },
  "sessionLoaded (valid tokens)": { type: "sessionLoaded", tokens: current },
  "sessionLoaded (tokens due)": { type: "sessionLoaded", tokens: stale },
  signedIn: { type: "signedIn", tokens: fresh },
  refreshRequested: { type: "refreshRequested" },
  "refreshRequested (forced)": { type: "refreshRequested", force: true },
  timerFired: { type: "timerFired" },
  "tokenRefreshed (current seq)": { type: "tokenRefreshed", seq: 5, refreshToken: current.refreshToken, tokens: fresh },
  "tokenRefreshed (old seq)": { type: "tokenRefreshed", seq: 4, refreshToken: current.refreshToken, tokens: fresh },
  "tokenRefreshed (old refresh token)": { type: "tokenRefreshed", seq: 5, refreshToken: "rt-other", tokens: fresh },
  "tokenRefreshFailed (transient)": failed("transient"),
  "tokenRefreshFailed (definitive)": failed("definitive"),
  "tokenRefreshFailed (unknown)": failed("unknown"),
  "tokenRefreshFailed (old seq)": failed("definitive", 4),
  signedOut: { type: "signedOut" },
  sessionExpired: { type: "sessionExpired", error: revoked },
  "storageChanged (signed out elsewhere)": { type: "storageChanged", tokens: null },
  "storageChanged (newer session)": { type: "storageChanged", tokens: fresh },
  "storageChanged (older session)": { type: "storageChanged", tokens: older },
};

// Expected outcome per event, per state: "same" means the very same state object and no
// effects; otherwise "<status> <effects in order>".
const scheduled = "signedIn scheduleRefresh";
const refreshNow = "refreshing cancelTimer,refresh";
const ended = (notice: string) => `signedOut cancelTimer,clearStorage,broadcast,emit:${notice}`;
const expected: Record<string, [string, string, string, string, string, string]> = {
  //                                        initializing  signedOut  signedIn  signedInDue  signedInBackingOff  refreshing
  "sessionLoaded (nothing stored)": ["signedOut ", "same", "same", "same", "same", "same"],
  "sessionLoaded (corrupt record)": ["signedOut clearStorage,emit:storageWarning", "same", "same", "same", "same", "same"],
  "sessionLoaded (valid tokens)": [`${scheduled},emit:signedIn`, "same", "same", "same", "same", "same"],
  "sessionLoaded (tokens due)": ["refreshing emit:signedIn,cancelTimer,refresh", "same", "same", "same", "same", "same"],
  signedIn: Array(6).fill(`${scheduled},persist,broadcast,emit:signedIn`) as never,
  refreshRequested: ["same", "same", "same", refreshNow, "same", "same"],
  "refreshRequested (forced)": ["same", "same", refreshNow, refreshNow, refreshNow, "same"],
  timerFired: ["same", "same", scheduled, refreshNow, scheduled, "same"],
  "tokenRefreshed (current seq)": ["same", "same", "same", "same", "same", `${scheduled},persist,broadcast,emit:tokenRefreshed`],
  "tokenRefreshed (old seq)": ["same", "same", "same", "same", "same", "same"],
  "tokenRefreshed (old refresh token)": ["same", "same", "same", "same", "same", "same"],
  "tokenRefreshFailed (transient)": ["same", "same", "same", "same", "same", `${scheduled},emit:tokenRefreshFailed`],
  "tokenRefreshFailed (definitive)": ["same", "same", "same", "same", "same", ended("sessionExpired")],
  "tokenRefreshFailed (unknown)": ["same", "same", "same", "same", "same", `${scheduled},emit:tokenRefreshFailed`],
  "tokenRefreshFailed (old seq)": ["same", "same", "same", "same", "same", "same"],
  signedOut: [ended("signedOut"), "same", ended("signedOut"), ended("signedOut"), ended("signedOut"), ended("signedOut")],
  sessionExpired: [ended("sessionExpired"), "same", ...(Array(4).fill(ended("sessionExpired")) as [string, string, string, string])],
  "storageChanged (signed out elsewhere)": ["same", "same", ...(Array(4).fill("signedOut cancelTimer,emit:signedOut") as [string, string, string, string])],
  "storageChanged (newer session)": [
    `${scheduled},emit:signedIn`,
    `${scheduled},emit:signedIn`,
    ...(Array(4).fill(`${scheduled},emit:tokenRefreshed`) as [string, string, string, string]),
  ],
  "storageChanged (older session)": [`${scheduled},emit:signedIn`, `${scheduled},emit:signedIn`, "same", "same", "same", "same"],
};

function describeEffect(effect: SessionEffect): string {
  return effect.type === "emit" ? `emit:${effect.notice.type}` : effect.type;
}

const stateNames = Object.keys(states);
const rows = Object.entries(events).flatMap(([eventName, event]) =>
  stateNames.map((stateName, index) => ({ stateName, eventName, event, outcome: expected[eventName]?.[index] })),
);

describe("transition, for every state × event", () => {
  it("has an expected outcome for every pair", () => {
    expect(Object.keys(expected).sort()).toEqual(Object.keys(events).sort());
    expect(rows.every((row) => row.outcome !== undefined)).toBe(true);
  });

  it.each(rows)("$stateName + $eventName → $outcome", ({ stateName, event, outcome }) => {
    const state = states[stateName]!;
    const [next, effects] = transition(state, event, now);
    if (outcome === "same") {
      expect(next).toBe(state);
      expect(effects).toEqual([]);
    } else {
      expect(`${next.status} ${effects.map(describeEffect).join(",")}`).toBe(outcome);
    }
  });
});

describe("transition, in detail", () => {
  it("refreshes with the current refresh token under a new sequence number", () => {
    const [next, effects] = transition(states.signedIn!, { type: "refreshRequested", force: true }, now);
    expect(next).toMatchObject({ status: "refreshing", seq: 5, tokens: current });
    expect(effects).toContainEqual({ type: "refresh", refreshToken: current.refreshToken, seq: 5 });
  });

  it("schedules the proactive refresh at the margin before expiry", () => {
    const [next, effects] = transition(initialSessionState, { type: "sessionLoaded", tokens: current }, now);
    expect(next).toMatchObject({ status: "signedIn", refreshAt: current.expiresAt - 5 * 60_000 });
    expect(effects[0]).toEqual({ type: "scheduleRefresh", at: current.expiresAt - 5 * 60_000 });
  });

  it.each([
    { stagger: 0, before: 5 * 60_000 },
    { stagger: 0.5, before: 3 * 60_000 },
    { stagger: 0.999_999, before: 60_001 }, // rounded down to the ms: earlier, never later
  ])("moves the proactive refresh to $before ms before expiry with stagger $stagger, never past the 60 s floor", ({ stagger, before }) => {
    const policy = { ...defaultRefreshPolicy, stagger };
    const [next, effects] = transition(initialSessionState, { type: "sessionLoaded", tokens: current }, now, policy);
    expect(current.expiresAt - (next as { refreshAt: number }).refreshAt).toBe(before);
    expect(effects[0]).toEqual({ type: "scheduleRefresh", at: current.expiresAt - before });
  });

  it("does not stagger tokens too short-lived to have a window above the 60 s floor", () => {
    const short = sessionTokens(t0, 100_000, "short");
    const staggered = { ...defaultRefreshPolicy, stagger: 0.9 };
    expect(refreshAtFor(short, staggered)).toBe(refreshAtFor(short));
    expect(refreshAtFor(short)).toBe(short.expiresAt - 50_000);
  });

  it("ignores a late answer once the user signed in again", () => {
    let [state] = transition(states.signedIn!, { type: "refreshRequested", force: true }, now);
    const lateSeq = state.seq;
    [state] = transition(state, { type: "signedIn", tokens: fresh }, now);
    const late = sessionTokens(now + 5, hour, "late");
    const [after, effects] = transition(state, { type: "tokenRefreshed", seq: lateSeq, refreshToken: current.refreshToken, tokens: late }, now + 5);
    expect(after).toBe(state);
    expect(effects).toEqual([]);
    expect(after).toMatchObject({ status: "signedIn", tokens: fresh });
  });

  it("keeps the tokens after a transient failure and retries after a jittered backoff", () => {
    const [next] = transition(states.refreshing!, failed("transient"), now);
    expect(next).toEqual({
      status: "signedIn",
      seq: 5,
      tokens: current,
      refreshAt: refreshAtFor(current),
      failures: 1,
      retryAt: now + retryDelayFor(1, 0.5, defaultRefreshPolicy),
      lastError: networkError,
    });
  });

  it("backs off further after each consecutive failure, and forgets failures after a success", () => {
    let state: SessionState = states.refreshing!;
    const delays: number[] = [];
    let at = now;
    for (let i = 0; i < 8; i++) {
      [state] = transition(state, { ...failed("transient"), seq: state.seq }, at);
      const retryAt = (state as { retryAt: number }).retryAt;
      delays.push(retryAt - at);
      at = retryAt;
      [state] = transition(state, { type: "timerFired" }, at);
      expect(state.status).toBe("refreshing");
    }
    expect(delays).toEqual([750, 1500, 3000, 6000, 12_000, 24_000, 45_000, 45_000]);
    [state] = transition(state, { type: "tokenRefreshed", seq: state.seq, refreshToken: current.refreshToken, tokens: fresh }, at);
    expect(state).toMatchObject({ status: "signedIn", failures: 0, tokens: fresh });
    expect(state).not.toHaveProperty("lastError");
    expect(state).not.toHaveProperty("retryAt");
  });

  it("respects the backoff for an unforced request while the tokens are valid, but not once they expired", () => {
    const backingOff = states.signedInBackingOff!;
    expect(transition(backingOff, { type: "refreshRequested" }, now)[0]).toBe(backingOff);
    expect(transition(backingOff, { type: "refreshRequested" }, stale.expiresAt)[0].status).toBe("refreshing");
  });

  it("carries the refresh error into the signed-out state when the session expires", () => {
    const [next, effects] = transition(states.refreshing!, failed("definitive"), now);
    expect(next).toEqual({ status: "signedOut", seq: 6, error: revoked });
    expect(effects.at(-1)).toEqual({ type: "emit", notice: { type: "sessionExpired", error: revoked } });
  });

  it("keeps a session without a refresh token until it expires, then ends it", () => {
    const { refreshToken: _dropped, ...noRefresh } = current;
    const [loaded, effects] = transition(initialSessionState, { type: "sessionLoaded", tokens: noRefresh }, now);
    expect(loaded).toMatchObject({ status: "signedIn", refreshAt: current.expiresAt });
    expect(effects[0]).toEqual({ type: "scheduleRefresh", at: current.expiresAt });
    const [forced, forcedEffects] = transition(loaded, { type: "refreshRequested", force: true }, now);
    expect(forced.status).toBe("signedIn");
    expect(forcedEffects).toEqual([{ type: "scheduleRefresh", at: current.expiresAt }]);
    const [expired, expiredEffects] = transition(loaded, { type: "timerFired" }, current.expiresAt);
    expect(expired).toMatchObject({ status: "signedOut", error: { code: "ERR_TOKEN_EXPIRED" } });
    expect(expiredEffects.map((e) => e.type)).toEqual(["cancelTimer", "clearStorage", "broadcast", "emit"]);
  });

  it("refreshes at once a loaded session that is already due, keeping the tokens usable meanwhile", () => {
    const [next] = transition(initialSessionState, { type: "sessionLoaded", tokens: stale }, now);
    expect(next).toMatchObject({ status: "refreshing", tokens: stale });
  });
});

describe("a refresh answer whose tokens are already due", () => {
  // A server with a bad clock or a stale cache: refreshing again at once would loop without end.
  it("keeps the tokens, rotated refresh token included, and refreshes again only after a growing backoff", () => {
    const dueAnswer = (tag: string, at: number) => ({ ...sessionTokens(at - hour, hour - 1_000, tag), refreshToken: `rt-${tag}` });
    const first = dueAnswer("due-1", now);
    let [state, effects] = transition(states.refreshing!, { type: "tokenRefreshed", seq: 5, refreshToken: current.refreshToken, tokens: first }, now);
    expect(state).toMatchObject({ status: "signedIn", tokens: first, failures: 1 });
    const retryAt = now + retryDelayFor(1, 0.5);
    expect(effects.map((effect) => effect.type)).not.toContain("refresh");
    expect(effects).toContainEqual({ type: "scheduleRefresh", at: retryAt });
    expect(effects).toContainEqual({ type: "persist", tokens: first });

    [state] = transition(state, { type: "timerFired" }, retryAt);
    expect(state.status).toBe("refreshing");
    const second = dueAnswer("due-2", retryAt);
    [state, effects] = transition(state, { type: "tokenRefreshed", seq: state.seq, refreshToken: first.refreshToken, tokens: second }, retryAt);
    expect(state).toMatchObject({ status: "signedIn", tokens: second, failures: 2 });
    expect(effects).toContainEqual({ type: "scheduleRefresh", at: retryAt + retryDelayFor(2, 0.5) });

    // A good answer ends the backoff.
    [state] = transition(state, { type: "timerFired" }, retryAt + retryDelayFor(2, 0.5));
    const good = sessionTokens(retryAt + retryDelayFor(2, 0.5), hour, "good");
    [state] = transition(state, { type: "tokenRefreshed", seq: state.seq, refreshToken: second.refreshToken, tokens: good }, retryAt + retryDelayFor(2, 0.5));
    expect(state).toMatchObject({ status: "signedIn", tokens: good, failures: 0 });
    expect("retryAt" in state).toBe(false);
  });
});
