import { describe, expect, it } from "vitest";
import { refreshAtFor, retryDelayFor } from "./refresh-policy.js";
import { createSessionTokens, isNewerSession } from "./session-tokens.js";
import { fakeGrant, sessionTokens } from "../../test/test-tokens.js";

const t0 = 1_700_000_000_000;

describe("createSessionTokens", () => {
  it("measures clock drift from the access token's iat and moves expiry onto the local clock", () => {
    const local = t0 + 10 * 60_000; // this device runs 10 minutes fast
    const tokens = createSessionTokens(fakeGrant(t0, 3600, "a"), local);
    expect(tokens.clockDrift).toBe(10 * 60_000);
    expect(tokens.issuedAt).toBe(local);
    expect(tokens.expiresAt).toBe(local + 3600_000);
  });

  it("falls back to expiresIn when the tokens are not JWTs", () => {
    const tokens = createSessionTokens({ idToken: "x", accessToken: "y", refreshToken: "z", expiresIn: 60 }, t0);
    expect(tokens).toMatchObject({ clockDrift: 0, expiresAt: t0 + 60_000 });
  });
});

describe("refreshAtFor", () => {
  it.each([
    ["a one-hour token, 5 minutes early", 3600_000, 300_000],
    ["a 20-minute token, 5 minutes early", 1200_000, 300_000],
    ["a 5-minute token, a quarter of its life early", 300_000, 75_000],
    ["a 3-minute token, no later than 60 s before expiry", 180_000, 60_000],
    ["a 60-second token, at half-life", 60_000, 30_000],
  ])("refreshes %s", (_name, lifetime, margin) => {
    const tokens = sessionTokens(t0, lifetime, "a");
    expect(tokens.expiresAt - refreshAtFor(tokens)).toBe(margin);
  });

  it("honours a smaller configured margin but not below 60 s", () => {
    const tokens = sessionTokens(t0, 3600_000, "a");
    const policy = { marginMs: 10_000, minMarginMs: 60_000, retryBaseMs: 1000, retryMaxMs: 60_000 };
    expect(tokens.expiresAt - refreshAtFor(tokens, policy)).toBe(60_000);
  });
});

describe("retryDelayFor", () => {
  it("doubles per failure between half and all of the ceiling, capped at 60 s", () => {
    expect(retryDelayFor(1, 0)).toBe(500);
    expect(retryDelayFor(1, 0.999_999)).toBe(1000);
    expect(retryDelayFor(3, 0.5)).toBe(3000);
    expect(retryDelayFor(7, 0)).toBe(30_000);
    expect(retryDelayFor(50, 1)).toBe(60_000);
  });
});

describe("isNewerSession", () => {
  it("prefers the later session and breaks ties the same way from both sides", () => {
    const a = sessionTokens(t0, 1000, "a");
    const b = sessionTokens(t0 + 1, 1000, "b");
    const c = sessionTokens(t0, 1000, "c");
    expect(isNewerSession(b, a)).toBe(true);
    expect(isNewerSession(a, b)).toBe(false);
    expect(isNewerSession(a, a)).toBe(false);
    expect(isNewerSession(a, c)).not.toBe(isNewerSession(c, a));
  });
});
