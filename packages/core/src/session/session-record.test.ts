import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeSessionRecord, encodeSessionRecord, sessionRecordKey } from "./session-record.js";
import type { SessionTokens } from "./session-tokens.js";

const token = fc.string({ minLength: 1, maxLength: 200, unit: "binary" });
const time = fc.integer({ min: 0, max: 2 ** 45 });
const tokensArb: fc.Arbitrary<SessionTokens> = fc.record(
  {
    idToken: token,
    accessToken: token,
    refreshToken: token,
    expiresAt: time,
    issuedAt: time,
    clockDrift: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  },
  { requiredKeys: ["idToken", "accessToken", "expiresAt", "issuedAt", "clockDrift"] },
);

function isValidResult(result: ReturnType<typeof decodeSessionRecord>): boolean {
  if (result.tokens === null) return true;
  const t = result.tokens;
  return (
    [t.idToken, t.accessToken].every((s) => typeof s === "string" && s.length > 0) &&
    (t.refreshToken === undefined || (typeof t.refreshToken === "string" && t.refreshToken.length > 0)) &&
    [t.expiresAt, t.issuedAt, t.clockDrift].every(Number.isFinite) &&
    result.problem === undefined
  );
}

describe("session record", () => {
  it("names one key per client", () => {
    expect(sessionRecordKey("abc")).toBe("cogkit.abc.session");
  });

  it("round-trips any session", () => {
    fc.assert(
      fc.property(tokensArb, time, (tokens, savedAt) => {
        expect(decodeSessionRecord(encodeSessionRecord(tokens, savedAt))).toEqual({ tokens, savedAt });
      }),
    );
  });

  it("reads any string as a valid session or a clean signed-out result, never a throw", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 500 }), (raw) => {
        expect(isValidResult(decodeSessionRecord(raw))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads any byte string, decoded as the storage would, without throwing", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
        const raw = new TextDecoder().decode(bytes);
        expect(isValidResult(decodeSessionRecord(raw))).toBe(true);
      }),
    );
  });

  it("reads any JSON value, and mangled records, as a valid session or signed out", () => {
    const mangled = fc
      .tuple(tokensArb, time, fc.dictionary(fc.constantFrom("v", "idToken", "accessToken", "refreshToken", "expiresAt", "issuedAt", "clockDrift", "savedAt"), fc.jsonValue()))
      .map(([tokens, savedAt, overrides]) => JSON.stringify({ ...JSON.parse(encodeSessionRecord(tokens, savedAt)), ...overrides }));
    fc.assert(
      fc.property(fc.oneof(fc.json(), mangled), (raw) => {
        expect(isValidResult(decodeSessionRecord(raw))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("reports nothing stored as plain signed out", () => {
    expect(decodeSessionRecord(null)).toEqual({ tokens: null });
  });

  it.each([
    ["not JSON", "{", "corrupt"],
    ["JSON but not an object", "[1,2]", "corrupt"],
    ["an object without a version", '{"idToken":"a"}', "corrupt"],
    ["a record with a missing token", JSON.stringify({ v: 1, idToken: "a", refreshToken: "c", expiresAt: 1, issuedAt: 1, clockDrift: 0, savedAt: 1 }), "corrupt"],
    ["a record with an empty refresh token", JSON.stringify({ v: 1, idToken: "a", accessToken: "b", refreshToken: "", expiresAt: 1, issuedAt: 1, clockDrift: 0, savedAt: 1 }), "corrupt"],
    ["a record with a time that is not a number", JSON.stringify({ v: 1, idToken: "a", accessToken: "b", refreshToken: "c", expiresAt: "soon", issuedAt: 1, clockDrift: 0, savedAt: 1 }), "corrupt"],
    ["a record of a future version", JSON.stringify({ v: 2, whatever: true }), "unknownVersion"],
    ["a record with a string version", JSON.stringify({ v: "1" }), "unknownVersion"],
  ])("reads %s as signed out with a problem", (_name, raw, problem) => {
    expect(decodeSessionRecord(raw)).toEqual({ tokens: null, problem });
  });
});
