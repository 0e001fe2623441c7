/**
 * `base ** exponent % modulus` on BigInt: the portable default for SRP. Node can inject a
 * native one through `platform.modPow`.
 *
 * It walks the exponent in 5-bit windows over a table of the base's first 32 powers, so
 * about one multiplication per five bits instead of one per set bit. With base 2 (every
 * `g^…` of Cognito's group) the table holds small numbers, so that multiplication costs
 * what a shift would: no separate path for it (measured: the same speed).
 *
 * @example
 * modPow(2n, 10n, 1000n) // 24n
 */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus < 1n || exponent < 0n) throw new TypeError("modPow: the modulus must be positive, the exponent not negative");
  if (modulus === 1n) return 0n;
  const b = ((base % modulus) + modulus) % modulus;
  const bits = exponent.toString(2);
  const table = [1n, b];
  for (let i = 2; i < 32; i++) table.push((table[i - 1]! * b) % modulus);
  let result = 1n;
  for (let i = 0; i < bits.length; i += 5) {
    const window = bits.slice(i, i + 5);
    for (let j = 0; j < window.length; j++) result = (result * result) % modulus;
    const digit = parseInt(window, 2);
    if (digit) result = (result * table[digit]!) % modulus;
  }
  return result;
}
