import * as nodeCrypto from "node:crypto";
import type { DiffieHellman } from "node:crypto";
import { modPow, type ModPow } from "./srp-math.js";

// OpenSSL's DH takes odd moduli of 512 to 10 000 bits; SRP's group is 3072.
const minBits = 512;
const maxBits = 10_000;

/**
 * Makes `base ** exponent % modulus` by OpenSSL where `node:crypto` has Diffie-Hellman: with
 * the exponent set as the private key, `computeSecret(base)` is exactly `base^exponent mod p`,
 * several times faster than BigInt for SRP's 3072-bit group. Where it cannot apply — no
 * `createDiffieHellman` (a runtime without it), an even or odd-sized modulus, an exponent of
 * 0, a base of 0, 1 or −1 mod p, or an OpenSSL that refuses — the answer is `fallback`'s,
 * which is the same number. One instance per emulator: it keeps its DH object between calls.
 *
 * @example
 * const pow = createNativeModPow();
 * pow(2n, b, N) === modPow(2n, b, N); // true
 */
export function createNativeModPow(fallback: ModPow = modPow): ModPow {
  // Read at call time, not import: the namespace may lack it outside Node.
  const create = (nodeCrypto as { createDiffieHellman?: typeof nodeCrypto.createDiffieHellman }).createDiffieHellman;
  if (typeof create !== "function") return fallback;
  let cached: { modulus: bigint; dh: DiffieHellman } | undefined;
  const native = (base: bigint, exponent: bigint, modulus: bigint): bigint | undefined => {
    if (modulus <= 0n || (modulus & 1n) === 0n || exponent <= 0n) return undefined;
    const bits = modulus.toString(2).length;
    if (bits < minBits || bits > maxBits) return undefined;
    const b = ((base % modulus) + modulus) % modulus;
    // DH refuses these "public keys" (1 < key < p − 1); their powers are trivial anyway.
    if (b < 2n || b > modulus - 2n) return undefined;
    try {
      if (cached?.modulus !== modulus) cached = { modulus, dh: create(bytes(modulus), bytes(2n)) };
      cached.dh.setPrivateKey(bytes(exponent));
      return BigInt(`0x${cached.dh.computeSecret(bytes(b)).toString("hex") || "0"}`);
    } catch {
      return undefined;
    }
  };
  return (base, exponent, modulus) => native(base, exponent, modulus) ?? fallback(base, exponent, modulus);
}

/** Big-endian bytes of a non-negative bigint, without leading zeros. */
function bytes(value: bigint): Buffer {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
}
