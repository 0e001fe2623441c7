import { createHash, createHmac, randomBytes } from "node:crypto";

// The 3072-bit MODP group of RFC 3526 with generator 2, as Cognito uses it.
const N = BigInt(
  "0x" +
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
const g = 2n;

/** The group modulus, for range checks. */
export const srpModulus = N;

/**
 * Hex of a positive integer as the byte string Java's `BigInteger.toByteArray()` gives:
 * even length, with a leading `00` when the top bit is set. Every hash in the protocol
 * is over these bytes, so a single nibble of difference breaks the proof.
 */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

const sha256Hex = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");
const hexHash = (hex: string): string => sha256Hex(Buffer.from(hex, "hex"));
const toBigInt = (hex: string): bigint => BigInt(`0x${hex}`);

/** Modular exponentiation, the costly step of SRP; injectable so callers can swap or count it. */
export type ModPow = (base: bigint, exponent: bigint, modulus: bigint) => bigint;

/** `base ** exponent mod modulus` by square-and-multiply. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

const k = toBigInt(hexHash(padHex(N) + padHex(g)));

function privateKey(salt: bigint, poolName: string, userId: string, password: string): bigint {
  const inner = sha256Hex(`${poolName}${userId}:${password}`);
  return toBigInt(hexHash(padHex(salt) + inner));
}

/** What the pool keeps instead of a password. */
export interface SrpVerifier {
  salt: bigint;
  verifier: bigint;
}

/**
 * Makes a fresh salt and the verifier `g^x mod N` for a password, with
 * `x = H(salt | H(poolName | userId | ":" | password))`.
 *
 * @example
 * const stored = createSrpVerifier({ poolName: "AbC123xyz", userId: sub, password });
 */
export function createSrpVerifier(input: { poolName: string; userId: string; password: string }, pow: ModPow = modPow): SrpVerifier {
  const salt = toBigInt(randomBytes(16).toString("hex"));
  return { salt, verifier: pow(g, privateKey(salt, input.poolName, input.userId, input.password), N) };
}

/**
 * A verifier like `createSrpVerifier`'s whose `verifier` is computed on first read, so a test
 * can seed ten thousand users without ten thousand modPows. Until then it holds the password
 * (a test's own); the first sign-in of such a user costs one modPow more than a decoy's.
 *
 * @example
 * const stored = createLazySrpVerifier({ poolName, userId: username, password }, state.modPow);
 */
export function createLazySrpVerifier(input: { poolName: string; userId: string; password: string }, pow: ModPow = modPow): SrpVerifier {
  const salt = toBigInt(randomBytes(16).toString("hex"));
  let pending: typeof input | undefined = input;
  let verifier = 0n;
  return {
    salt,
    get verifier() {
      if (pending) {
        verifier = pow(g, privateKey(salt, pending.poolName, pending.userId, pending.password), N);
        pending = undefined; // the password is needed no longer
      }
      return verifier;
    },
  };
}

/** True when the password matches the stored verifier (used by USER_PASSWORD_AUTH). */
export function passwordMatches(stored: SrpVerifier, input: { poolName: string; userId: string; password: string }, pow: ModPow = modPow): boolean {
  return pow(g, privateKey(stored.salt, input.poolName, input.userId, input.password), N) === stored.verifier;
}

/** The server's ephemeral pair for one sign-in attempt. */
export interface ServerEphemeral {
  b: bigint;
  B: bigint;
}

/** Creates `b` and `B = k·v + g^b mod N`. */
export function createServerEphemeral(verifier: bigint, pow: ModPow = modPow): ServerEphemeral {
  for (;;) {
    const b = toBigInt(randomBytes(32).toString("hex"));
    const B = (k * verifier + pow(g, b, N)) % N;
    if (B !== 0n) return { b, B };
  }
}

/**
 * Derives the 16-byte key both sides share when the client knows the password:
 * `S = (A · v^u)^b mod N`, then HKDF-SHA256 with salt `u` and info "Caldera Derived Key".
 * Returns undefined for a degenerate `A` or `u`.
 */
export function deriveSessionKey(input: { A: bigint; B: bigint; b: bigint; verifier: bigint }, pow: ModPow = modPow): Buffer | undefined {
  const { A, B, b, verifier } = input;
  if (A % N === 0n) return undefined;
  const u = toBigInt(hexHash(padHex(A) + padHex(B)));
  if (u === 0n) return undefined;
  const S = pow((A * pow(verifier, u, N)) % N, b, N);
  const prk = createHmac("sha256", Buffer.from(padHex(u), "hex")).update(Buffer.from(padHex(S), "hex")).digest();
  const info = Buffer.concat([Buffer.from("Caldera Derived Key", "utf8"), Buffer.from([1])]);
  return createHmac("sha256", prk).update(info).digest().subarray(0, 16);
}

/** The signature the client must send: HMAC(key, poolName | userId | secretBlock | timestamp), base64. */
export function passwordClaimSignature(input: {
  key: Buffer;
  poolName: string;
  userId: string;
  secretBlock: Buffer;
  timestamp: string;
}): string {
  return createHmac("sha256", input.key)
    .update(Buffer.concat([Buffer.from(input.poolName, "utf8"), Buffer.from(input.userId, "utf8"), input.secretBlock, Buffer.from(input.timestamp, "utf8")]))
    .digest("base64");
}
