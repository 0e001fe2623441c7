import { createDiffieHellman, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDiffieHellmanModPow } from "./diffie-hellman-mod-pow.js";
import { modPow } from "./mod-pow.js";
import { srpGroup } from "./srp.js";

const { N } = srpGroup();
const random = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString("hex")}`);

describe("createDiffieHellmanModPow", () => {
  it("agrees with BigInt modPow on SRP-sized inputs, computing them by Diffie-Hellman", () => {
    const { modPow: pow, native } = createDiffieHellmanModPow(createDiffieHellman);
    for (const exponentBytes of [32, 160]) {
      const base = random(384) % N;
      const exponent = random(exponentBytes);
      expect(native(base, exponent, N)).toBe(modPow(base, exponent, N));
      expect(pow(2n, exponent, N)).toBe(modPow(2n, exponent, N));
    }
  });

  it("leaves to BigInt what Diffie-Hellman refuses, and an implementation that throws", () => {
    const { modPow: pow, native } = createDiffieHellmanModPow(createDiffieHellman);
    for (const [base, exponent, modulus] of [[1n, 5n, N], [N - 1n, 5n, N], [7n, 0n, N], [4n, 13n, 497n]] as const) {
      expect(native(base, exponent, modulus)).toBeUndefined();
      expect(pow(base, exponent, modulus)).toBe(modPow(base, exponent, modulus));
    }
    const broken = createDiffieHellmanModPow(() => {
      throw new Error("no DH here");
    });
    expect(broken.modPow(3n, 65537n, N)).toBe(modPow(3n, 65537n, N));
  });
});
