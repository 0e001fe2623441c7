import { EncryptJWT, jwtDecrypt } from "jose";
import type { PendingChallenge } from "../client-context.js";
import { isRecord } from "../is-record.js";

/** Cognito ends a challenge step after 3 minutes; its state cookie lives as long. */
export const signInStateSeconds = 180;
/** At least 32 characters: the key is derived from it, and a guessable one would expose challenge sessions. */
export const minSecretLength = 32;

/** Throws a `TypeError` unless `secret` is a string of at least {@link minSecretLength} characters. */
export function checkSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== "string" || secret.length < minSecretLength) {
    throw new TypeError(`createServerClient: \`secret\` must be a string of at least ${minSecretLength} random characters to keep sign-in steps in an encrypted cookie`);
  }
}

async function keyOf(secret: string, subtle: SubtleCrypto): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest("SHA-256", new TextEncoder().encode(`cogkit sign-in state\0${secret}`)));
}

/** Encrypts a pending challenge (A256GCM, direct key from the secret) for an httpOnly cookie. */
export async function sealSignInState(challenge: PendingChallenge, secret: string, now: number, subtle: SubtleCrypto): Promise<string> {
  return new EncryptJWT({ challenge: { ...challenge } })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + signInStateSeconds)
    .encrypt(await keyOf(secret, subtle));
}

/** The challenge a cookie of {@link sealSignInState} holds, or undefined if it is absent, expired, forged or unreadable. */
export async function openSignInState(sealed: string | undefined, secret: string, now: number, subtle: SubtleCrypto): Promise<PendingChallenge | undefined> {
  if (!sealed) return undefined;
  try {
    const { payload } = await jwtDecrypt(sealed, await keyOf(secret, subtle), { currentDate: new Date(now) });
    const challenge = payload.challenge;
    if (!isRecord(challenge) || typeof challenge.name !== "string" || typeof challenge.username !== "string") return undefined;
    return challenge as unknown as PendingChallenge;
  } catch {
    return undefined;
  }
}
