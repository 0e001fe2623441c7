import { fromHex, toHex } from "../encoding.js";
import { modPow } from "./mod-pow.js";

/** The part of a `node:crypto` DiffieHellman object that modular exponentiation needs. */
export interface DiffieHellmanContext {
  /** Sets the exponent. */
  setPrivateKey(privateKey: Uint8Array): void;
  /** `otherPublicKey ^ privateKey mod prime`, big-endian. */
  computeSecret(otherPublicKey: Uint8Array): Uint8Array;
}

/** `node:crypto`'s `createDiffieHellman(prime, generator)`, or anything shaped like it. */
export type CreateDiffieHellman = (prime: Uint8Array, generator: Uint8Array) => DiffieHellmanContext;

// OpenSSL's DH takes odd moduli of 512 to 10 000 bits; SRP's group is 3072.
const minBits = 512;
const maxBits = 10_000;

/**
 * `base ** exponent % modulus` by a Diffie-Hellman implementation (OpenSSL's, through
 * `node:crypto`): with the exponent set as the private key, `computeSecret(base)` is exactly
 * `base^exponent mod p` — about five times faster than BigInt for SRP's 3072-bit group.
 * `modPow` gives the BigInt answer where DH cannot apply (an even or odd-sized modulus, an
 * exponent of 0, a base of 0, 1 or −1 mod p, an implementation that refuses); `native` is the
 * DH path alone, `undefined` there. Nothing is created until the first call; it keeps one
 * DH context per modulus, so make one per process or per server.
 *
 * @example
 * import { createDiffieHellman } from "node:crypto";
 * const { modPow } = createDiffieHellmanModPow(createDiffieHellman);
 */
export function createDiffieHellmanModPow(create: CreateDiffieHellman): {
  /** `base ** exponent % modulus`, natively where it can, else by BigInt. */
  modPow(base: bigint, exponent: bigint, modulus: bigint): bigint;
  /** The native path alone: `undefined` where Diffie-Hellman cannot apply. */
  native(base: bigint, exponent: bigint, modulus: bigint): bigint | undefined;
} {
  let cached: { modulus: bigint; dh: DiffieHellmanContext } | undefined;
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
      return BigInt(`0x${toHex(cached.dh.computeSecret(bytes(b))) || "0"}`);
    } catch {
      // An implementation with other limits: correctness first.
      return undefined;
    }
  };
  return { native, modPow: (base, exponent, modulus) => native(base, exponent, modulus) ?? modPow(base, exponent, modulus) };
}

/** Big-endian bytes of a non-negative bigint, without leading zeros (DH ignores them). */
function bytes(value: bigint): Uint8Array {
  const hex = value.toString(16);
  return fromHex(hex.length % 2 ? `0${hex}` : hex);
}
