import { describe, expect, it } from "vitest";
import { createLazySrpVerifier, createSrpVerifier, modPow, padHex, passwordMatches } from "./srp-math.js";

describe("SRP maths", () => {
  it("pads hex like Java's BigInteger.toByteArray", () => {
    expect(padHex(0x14n)).toBe("14");
    expect(padHex(0xecn)).toBe("00ec");
    expect(padHex(0xabcn)).toBe("0abc");
    expect(padHex(0x8abcn)).toBe("008abc");
  });

  it("computes modular powers", () => {
    expect(modPow(4n, 13n, 497n)).toBe(445n);
    expect(modPow(2n, 0n, 7n)).toBe(1n);
  });

  it("stores a verifier that only the same password, user and pool match", () => {
    const input = { poolName: "AbC123xyz", userId: "b3f1c0de-0000-4000-8000-000000000001", password: "Correct-horse-1" };
    const stored = createSrpVerifier(input);
    expect(passwordMatches(stored, input)).toBe(true);
    expect(passwordMatches(stored, { ...input, password: "Correct-horse-2" })).toBe(false);
    expect(passwordMatches(stored, { ...input, userId: "someone-else" })).toBe(false);
    expect(passwordMatches(stored, { ...input, poolName: "Other" })).toBe(false);
  });

  it("computes a lazy verifier once, on first read, matching the password like an eager one", () => {
    const input = { poolName: "AbC123xyz", userId: "carol", password: "Correct-horse-1" };
    let calls = 0;
    const stored = createLazySrpVerifier(input, (base, exponent, modulus) => {
      calls += 1;
      return modPow(base, exponent, modulus);
    });
    expect(calls).toBe(0);
    expect(passwordMatches(stored, input)).toBe(true);
    expect(passwordMatches(stored, { ...input, password: "Correct-horse-2" })).toBe(false);
    expect(calls).toBe(1);
  });
});
