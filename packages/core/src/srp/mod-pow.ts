/**
 * `base ** exponent % modulus` on BigInt: the portable default for SRP. Node can inject a
 * native one through `platform.modPow`.
 *
 * Two shortcuts keep it fast where SRP spends its time. With base 2 (every `g^…` of
 * Cognito's group), multiplying by the base is a shift, so a whole window of exponent bits
 * costs one shift and one reduction. Any other base uses 5-bit windows over a table of
 * powers, so about one multiplication per five bits instead of one per set bit.
 *
 * @example
 * modPow(2n, 10n, 1000n) // 24n
 */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  const b = ((base % modulus) + modulus) % modulus;
  const bits = exponent.toString(2);
  const table = [1n, b];
  if (b !== 2n) for (let i = 2; i < 32; i++) table.push((table[i - 1]! * b) % modulus);
  let result = 1n;
  for (let i = 0; i < bits.length; i += 5) {
    const window = bits.slice(i, i + 5);
    for (let j = 0; j < window.length; j++) result = (result * result) % modulus;
    const digit = parseInt(window, 2);
    if (digit) result = (b === 2n ? result << BigInt(digit) : result * table[digit]!) % modulus;
  }
  return result;
}
