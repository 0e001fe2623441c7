import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createNativeModPow } from "./native-mod-pow.js";
import { modPow, srpModulus as N } from "./srp-math.js";

const random = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString("hex")}`);

/** The native modPow with a fallback that counts how often it had to step in. */
function counted() {
  let fallbacks = 0;
  const pow = createNativeModPow((base, exponent, modulus) => {
    fallbacks += 1;
    return modPow(base, exponent, modulus);
  });
  return { pow, fallbacks: () => fallbacks };
}

describe("native modPow", () => {
  it("agrees with BigInt modPow on SRP-sized inputs, and computes them natively", () => {
    const { pow, fallbacks } = counted();
    // The server's exponents (b, u, x: 256 bits) and a client's (a + u·x: over 1024 bits).
    for (const exponentBytes of [32, 32, 32, 160]) {
      const base = random(384) % N;
      const exponent = random(exponentBytes);
      expect(pow(base, exponent, N)).toBe(modPow(base, exponent, N));
      expect(pow(2n, exponent, N)).toBe(modPow(2n, exponent, N));
    }
    expect(fallbacks()).toBe(0);
  });

  it("gives BigInt's answer where OpenSSL's Diffie-Hellman does not apply", () => {
    const { pow, fallbacks } = counted();
    const exponent = random(32);
    for (const [base, e, modulus] of [
      [0n, exponent, N],
      [1n, exponent, N],
      [N - 1n, exponent, N],
      [N + 5n, exponent, N],
      [-7n, exponent, N],
      [12345n, 0n, N],
      [4n, 13n, 497n],
    ] as const) {
      expect(pow(base, e, modulus)).toBe(modPow(base, e, modulus));
    }
    // A base congruent to 5 and a negative one still go natively once reduced.
    expect(fallbacks()).toBe(5);
  });
});
