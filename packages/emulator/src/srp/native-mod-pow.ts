import * as nodeCrypto from "node:crypto";
import { createDiffieHellmanModPow } from "@cogkit/core";
import { modPow, type ModPow } from "./srp-math.js";

/**
 * Makes `base ** exponent % modulus` by OpenSSL where `node:crypto` has Diffie-Hellman
 * (core's `createDiffieHellmanModPow`), several times faster than BigInt for SRP's 3072-bit
 * group. Where it cannot apply — no `createDiffieHellman` (a runtime without it), a modulus
 * or base DH refuses — the answer is `fallback`'s, which is the same number. One instance per
 * emulator: it keeps its DH context between calls.
 *
 * @example
 * const pow = createNativeModPow();
 * pow(2n, b, N) === modPow(2n, b, N); // true
 */
export function createNativeModPow(fallback: ModPow = modPow): ModPow {
  // Looked up on the namespace, not imported by name: a runtime may lack it.
  const create = (nodeCrypto as { createDiffieHellman?: typeof nodeCrypto.createDiffieHellman }).createDiffieHellman;
  if (typeof create !== "function") return fallback;
  const { native } = createDiffieHellmanModPow(create);
  return (base, exponent, modulus) => native(base, exponent, modulus) ?? fallback(base, exponent, modulus);
}
