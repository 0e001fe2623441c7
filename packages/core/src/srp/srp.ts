import { concatBytes, fromBase64, fromHex, toBase64, toHex, utf8 } from "../encoding.js";
import type { ModPow } from "../platform/types.js";
import { modPow as defaultModPow } from "./mod-pow.js";

// Cognito's SRP-6a: the 3072-bit group of RFC 3526 with g = 2, SHA-256, and Java-style
// hex encodings of integers (see padHex). The functions are small and pure so a benchmark
// or a native backend can take them one at a time.

/** The SRP group and multiplier. */
export interface SrpGroup {
  N: bigint;
  g: bigint;
  /** `k = H(pad(N) | pad(g))`, a constant of the group; a test recomputes it. */
  k: bigint;
}

const g = 2n;
let prime: bigint | undefined;
let group: SrpGroup | undefined;

/**
 * The group's `N`, computed once on first use. The steps of a sign-in take `N` and `g` from
 * here and hash `k` themselves, so a browser bundle carries no `srpGroup()`.
 */
function groupPrime(): bigint {
  return (prime ??= rfc3526Prime3072());
}

/**
 * The RFC 3526 3072-bit group Cognito uses, with its `k`. Parsed on first use, not at import.
 *
 * @example
 * const { N, g, k } = srpGroup();
 */
export function srpGroup(): SrpGroup {
  return (group ??= { N: groupPrime(), g, k: 0x538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6n });
}

/**
 * RFC 3526 defines the 3072-bit prime as 2^3072 - 2^3008 - 1 + 2^64·(⌊2^2942·π⌋ + 1690314).
 * Computing it (π by Machin's formula, 64 guard bits, ~2 ms once) ships ~60 bytes instead
 * of 768 hex digits that gzip cannot shrink much. A test compares it with the RFC's hex.
 */
function rfc3526Prime3072(): bigint {
  // Machin: π = 16·arctan(1/5) - 4·arctan(1/239), both series summed in one loop. Their
  // terms alternate: dividing by -x² flips the sign each step (BigInt division truncates
  // toward 0). Once the 1/239 terms run out, b stays 0 while the 1/5 terms finish.
  let pi = 0n;
  for (let a = (16n << 3006n) / 5n, b = (4n << 3006n) / 239n, n = 1n; a; a /= -25n, b /= -57121n, n += 2n) {
    pi += (a - b) / n;
  }
  return (1n << 3072n) - (1n << 3008n) - 1n + (((pi >> 64n) + 1690314n) << 64n);
}

/**
 * The hex that Java's `BigInteger.toByteArray()` gives, which Cognito hashes: even length,
 * and a leading `00` when the top bit is set so the number never reads as negative.
 *
 * @example
 * padHex(0x80n) // "0080"
 */
export function padHex(value: bigint): string {
  if (value < 0n) throw new TypeError("SRP values are never negative");
  const hex = value.toString(16);
  // An odd length takes one 0, which also leaves the top bit clear; an even length with
  // the top bit set takes a whole 00 byte.
  return (hex.length % 2 ? "0" : /^[89a-f]/.test(hex) ? "00" : "") + hex;
}

/** SHA-256 of bytes, as lower-case hex. */
export async function sha256Hex(subtle: SubtleCrypto, data: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await subtle.digest("SHA-256", data as BufferSource)));
}

/** SHA-256 of the bytes a hex string spells, read as a number (Cognito's `H`). */
export async function hashHexToBigInt(subtle: SubtleCrypto, hex: string): Promise<bigint> {
  return BigInt(`0x${await sha256Hex(subtle, fromHex(hex))}`);
}

/** HMAC-SHA-256 of `data` under `key`. */
export async function hmacSha256(subtle: SubtleCrypto, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await subtle.importKey("raw", key as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await subtle.sign("HMAC", cryptoKey, data as BufferSource));
}

/**
 * The client's private `a` from 128 random bytes (1024 bits, far below N, so no reduction).
 *
 * @example
 * const a = smallA(platform.randomBytes(128));
 */
export function smallA(random: Uint8Array): bigint {
  if (!ArrayBuffer.isView(random) || !random.byteLength) throw new TypeError("smallA needs random bytes");
  return BigInt(`0x${toHex(random)}`);
}

/**
 * The client's public `A = g^a mod N`. Throws if it is 0 mod N, which SRP forbids.
 *
 * @example
 * const A = await computeA({ a });
 */
export async function computeA(options: { a: bigint; modPow?: ModPow }): Promise<bigint> {
  const N = groupPrime();
  const A = await (options.modPow ?? defaultModPow)(g, options.a, N);
  if (A % N === 0n) throw new TypeError("SRP: A mod N is 0");
  return A;
}

/**
 * The scrambler `u = H(pad(A) | pad(B))`.
 *
 * @example
 * const u = await computeU(crypto.subtle, A, B);
 */
export function computeU(subtle: SubtleCrypto, A: bigint, B: bigint): Promise<bigint> {
  return hashHexToBigInt(subtle, padHex(A) + padHex(B));
}

/**
 * The private key `x = H(pad(salt) | H(poolName | userId | ":" | password))`. `poolName` is the
 * part of the user pool id after the underscore; `userId` is the challenge's `USER_ID_FOR_SRP`.
 *
 * @example
 * const x = await computeX({ subtle, salt, poolName: "abc123", userId, password });
 */
export async function computeX(options: {
  subtle: SubtleCrypto;
  salt: bigint;
  poolName: string;
  userId: string;
  password: string;
}): Promise<bigint> {
  const { subtle, salt, poolName, userId, password } = options;
  const inner = await sha256Hex(subtle, utf8(`${poolName}${userId}:${password}`));
  return hashHexToBigInt(subtle, padHex(salt) + inner);
}

/**
 * The shared secret `S = (B - k·g^x)^(a + u·x) mod N`.
 *
 * @example
 * const S = await computeS({ subtle, a, B, u, x });
 */
export async function computeS(options: {
  subtle: SubtleCrypto;
  a: bigint;
  B: bigint;
  u: bigint;
  x: bigint;
  modPow?: ModPow;
}): Promise<bigint> {
  const N = groupPrime();
  // k hashed here, not read from srpGroup(): one SHA-256 per sign-in (microseconds) keeps
  // the group's 64-digit constant out of the browser bundle.
  const k = await hashHexToBigInt(options.subtle, padHex(N) + padHex(g));
  const pow = options.modPow ?? defaultModPow;
  const gx = await pow(g, options.x, N);
  // Reduce the base into [0, N) first: B - k·g^x is usually negative, and an injected
  // modPow need not accept a negative base.
  const base = (((options.B - k * gx) % N) + N) % N;
  return pow(base, options.a + options.u * options.x, N);
}

const info = "Caldera Derived Key\u0001";

/**
 * Cognito's 16-byte password authentication key: one HKDF-SHA-256 block with salt `pad(u)`,
 * input `pad(S)` and info "Caldera Derived Key".
 *
 * @example
 * const key = await deriveKey(subtle, S, u);
 */
export async function deriveKey(subtle: SubtleCrypto, S: bigint, u: bigint): Promise<Uint8Array> {
  const prk = await hmacSha256(subtle, fromHex(padHex(u)), fromHex(padHex(S)));
  return (await hmacSha256(subtle, prk, utf8(info))).slice(0, 16);
}

/**
 * Everything from the server's `SRP_B` and `SALT` to the key that signs the claim. Checks the
 * values SRP requires to be non-zero.
 *
 * @example
 * const key = await passwordAuthenticationKey({ subtle, a, A, B, salt, poolName, userId, password });
 */
export async function passwordAuthenticationKey(options: {
  subtle: SubtleCrypto;
  a: bigint;
  A: bigint;
  B: bigint;
  salt: bigint;
  poolName: string;
  userId: string;
  password: string;
  modPow?: ModPow;
}): Promise<Uint8Array> {
  const { subtle, B } = options;
  if (B % groupPrime() === 0n) throw new TypeError("SRP: B mod N is 0");
  const u = await computeU(subtle, options.A, B);
  if (u === 0n) throw new TypeError("SRP: u is 0");
  const x = await computeX(options);
  const S = await computeS({ ...options, u, x });
  return deriveKey(subtle, S, u);
}

/**
 * The `TIMESTAMP` Cognito expects, in UTC, with the day of the month not zero-padded.
 *
 * @example
 * srpTimestamp(Date.UTC(2026, 10, 3, 4, 5, 6)) // "Tue Nov 3 04:05:06 UTC 2026"
 */
export function srpTimestamp(epochMs: number): string {
  // toUTCString() is "Tue, 03 Nov 2026 04:05:06 GMT" in every engine (ECMA-262 fixes it):
  // the same fields, reordered, with the day unpadded. No month or weekday tables to ship.
  const [weekday = "", day, month, year, time] = new Date(epochMs).toUTCString().split(" ");
  return `${weekday.slice(0, 3)} ${month} ${Number(day)} ${time} UTC ${year}`;
}

/**
 * `PASSWORD_CLAIM_SIGNATURE`: base64 HMAC-SHA-256 under the derived key of
 * poolName | userId | SECRET_BLOCK (decoded) | timestamp.
 *
 * @example
 * const signature = await claimSignature({ subtle, key, poolName, userId, secretBlock, timestamp });
 */
export async function claimSignature(options: {
  subtle: SubtleCrypto;
  key: Uint8Array;
  poolName: string;
  userId: string;
  secretBlock: string;
  timestamp: string;
}): Promise<string> {
  const message = concatBytes(utf8(options.poolName), utf8(options.userId), fromBase64(options.secretBlock), utf8(options.timestamp));
  return toBase64(await hmacSha256(options.subtle, options.key, message));
}
