import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { modPow } from "./mod-pow.js";
import { srpGroup } from "./srp.js";

// The obvious square-and-multiply, as the reference the windowed version must agree with.
function reference(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n % modulus;
  let b = ((base % modulus) + modulus) % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

const big = fc.bigInt({ min: 0n, max: (1n << 300n) - 1n });

describe("modPow", () => {
  it("agrees with square-and-multiply for any base, exponent and modulus", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }), big, fc.bigInt({ min: 1n, max: 1n << 256n }), (b, e, m) => {
        expect(modPow(b, e, m)).toBe(reference(b, e, m));
      }),
    );
  });

  it("takes the shift path for base 2 and still agrees", () => {
    fc.assert(
      fc.property(big, fc.bigInt({ min: 3n, max: 1n << 256n }), (e, m) => {
        expect(modPow(2n, e, m)).toBe(reference(2n, e, m));
      }),
    );
  });

  it("agrees in Cognito's 3072-bit group with exponents of SRP size", () => {
    const { N } = srpGroup();
    const a = (1n << 1023n) + 0x1234567890abcdefn;
    const base = N - 12345n;
    expect(modPow(2n, a, N)).toBe(reference(2n, a, N));
    expect(modPow(base, a, N)).toBe(reference(base, a, N));
  });

  it("calls a modulus below 1 or a negative exponent a TypeError", () => {
    expect(() => modPow(2n, 3n, 0n)).toThrow(TypeError);
    expect(() => modPow(2n, 3n, -5n)).toThrow(TypeError);
    expect(() => modPow(2n, -1n, 7n)).toThrow(TypeError);
  });

  it("handles the edge cases: exponent 0, modulus 1, base ≡ 0", () => {
    expect(modPow(5n, 0n, 7n)).toBe(1n);
    expect(modPow(5n, 3n, 1n)).toBe(0n);
    expect(modPow(14n, 5n, 7n)).toBe(0n);
  });
});
