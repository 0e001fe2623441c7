import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const stepMs = 30_000;

function base32Decode(secret: string): Buffer {
  const clean = secret.replace(/=+$/, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new TypeError("generateTotp: secret must be base32 (A-Z, 2-7)");
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += alphabet[(value >>> bits) & 31];
    }
  }
  return bits > 0 ? out + alphabet[(value << (5 - bits)) & 31] : out;
}

/** A fresh authenticator secret in base32, as AssociateSoftwareToken's `SecretCode`. */
export const createTotpSecret = (): string => base32Encode(randomBytes(20));

function codeAt(key: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac("sha1", key).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

/**
 * The six-digit TOTP code (RFC 6238: HMAC-SHA-1, 30-second steps) an authenticator app
 * shows for a base32 secret at a time — pass the emulator's time to match its clock.
 *
 * @example
 * const { SecretCode } = await associateSoftwareToken(...);
 * const UserCode = generateTotp(SecretCode, emulator.now());
 */
export function generateTotp(secret: string, timeMs: number): string {
  if (!Number.isFinite(timeMs)) throw new TypeError("generateTotp: timeMs must be a finite number of milliseconds");
  return codeAt(base32Decode(secret), Math.floor(timeMs / stepMs));
}

/** Whether a code is the secret's at `nowMs`, one step early or one step late (clock drift). */
export function totpMatches(secret: string, code: string, nowMs: number): boolean {
  const key = base32Decode(secret);
  const step = Math.floor(nowMs / stepMs);
  const given = Buffer.from(code);
  return [step - 1, step, step + 1].some((counter) => {
    const wanted = Buffer.from(codeAt(key, counter));
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  });
}
