import { createDiffieHellman } from "node:crypto";
import { createDiffieHellmanModPow } from "@cogkit/core";

let openssl: ReturnType<typeof createDiffieHellmanModPow> | undefined;
const viaOpenssl = () => (openssl ??= createDiffieHellmanModPow(createDiffieHellman));

/**
 * `base ** exponent % modulus` by OpenSSL, through `node:crypto`'s Diffie-Hellman: with the
 * exponent set as the private key, `computeSecret(base)` is exactly `base^exponent mod p`.
 * About five times faster than BigInt for SRP's 3072-bit group. Where OpenSSL's DH cannot
 * apply — an even or small modulus, an exponent of 0, a base of 0, 1 or −1 mod p — it gives
 * the same answer as core's `modPow`, which it falls back to.
 *
 * @example
 * const client = createAuthClient(config, { platform: { modPow: nativeModPow } });
 */
export function nativeModPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (typeof base !== "bigint" || typeof exponent !== "bigint" || typeof modulus !== "bigint") {
    throw new TypeError("nativeModPow takes three bigints");
  }
  return viaOpenssl().modPow(base, exponent, modulus);
}

/** The OpenSSL path alone: `undefined` where it does not apply. Exported for tests. */
export function opensslModPow(base: bigint, exponent: bigint, modulus: bigint): bigint | undefined {
  return viaOpenssl().native(base, exponent, modulus);
}
