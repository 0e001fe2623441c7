/**
 * `base ** exponent % modulus` by square-and-multiply on BigInt: the portable default for
 * SRP. Node can inject a native one through `platform.modPow`.
 *
 * @example
 * modPow(2n, 10n, 1000n) // 24n
 */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    e >>= 1n;
    b = (b * b) % modulus;
  }
  return result;
}
