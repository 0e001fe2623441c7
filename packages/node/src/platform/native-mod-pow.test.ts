import { modPow, srpGroup } from "@cogkit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nativeModPow, opensslModPow } from "./native-mod-pow.js";

const { N } = srpGroup();
const bigintOfBits = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });

describe("nativeModPow", () => {
  it("agrees with core's modPow in SRP's 3072-bit group, exponents of any size", () => {
    fc.assert(
      fc.property(bigintOfBits(3100), bigintOfBits(1100), (base, exponent) => {
        const expected = modPow(base, exponent, N);
        expect(nativeModPow(base, exponent, N)).toBe(expected);
        // Not by falling back: OpenSSL computed it (0, 1 and N−1 mod N aside).
        const b = base % N;
        if (exponent > 0n && b > 1n && b < N - 1n) expect(opensslModPow(base, exponent, N)).toBe(expected);
      }),
      { numRuns: 30 },
    );
  });

  it("agrees with core's modPow for g^x (base 2) and for exponents beyond the modulus", () => {
    fc.assert(
      fc.property(bigintOfBits(4000), (exponent) => {
        expect(nativeModPow(2n, exponent, N)).toBe(modPow(2n, exponent, N));
      }),
      { numRuns: 6 },
    );
  });

  it("agrees with core's modPow on any odd or even modulus, small or large, and the edge values", () => {
    const modulus = fc.oneof(fc.bigInt({ min: 1n, max: 1n << 70n }), fc.bigInt({ min: 1n << 511n, max: 1n << 1100n }));
    const edge = (m: bigint) => fc.constantFrom(0n, 1n, 2n, m - 2n, m - 1n, m, m + 1n, -1n, -m - 3n);
    fc.assert(
      fc.property(
        modulus.chain((m) => fc.tuple(fc.constant(m), fc.oneof(fc.bigInt({ min: -(1n << 1200n), max: 1n << 1200n }), edge(m)))),
        fc.oneof(fc.constantFrom(0n, 1n, 2n), bigintOfBits(1100)),
        ([m, base], exponent) => {
          expect(nativeModPow(base, exponent, m)).toBe(modPow(base, exponent, m));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps results with leading zero bytes exact", () => {
    // A result far smaller than N has leading zero bytes at N's width.
    expect(opensslModPow(2n, 5n, N)).toBe(32n);
    expect(opensslModPow(N - 2n, 2n, N)).toBe(4n);
  });

  it("refuses what is not three bigints", () => {
    expect(() => nativeModPow(2 as unknown as bigint, 3n, N)).toThrow(TypeError);
  });
});
