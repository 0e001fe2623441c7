import { exportJWK, generateKeyPair } from "jose";
import type { CryptoKey, JWK } from "jose";
import { createOpaqueToken } from "../ids.js";

/** One RS256 key pair with its `kid`. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** Cognito signs ID and access tokens with different keys; so does the emulator. */
export interface SigningKeys {
  id: SigningKey;
  access: SigningKey;
  /** The JWKS document served at `/<poolId>/.well-known/jwks.json`. */
  jwks(): { keys: JWK[] };
}

/**
 * Makes one RS256 key pair with a fresh `kid`.
 *
 * @example
 * const key = await createSigningKey();
 */
export async function createSigningKey(): Promise<SigningKey> {
  // Extractable so a state file can keep it: tokens issued before a restart still verify.
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const kid = `${createOpaqueToken(30)}=`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return { kid, privateKey, publicKey, publicJwk };
}

/**
 * Makes the emulator's two signing keys, fresh for every start.
 *
 * @example
 * const keys = await createSigningKeys();
 * keys.jwks().keys.length; // 2
 */
export async function createSigningKeys(): Promise<SigningKeys> {
  const [id, access] = await Promise.all([createSigningKey(), createSigningKey()]);
  return signingKeysOf(id, access);
}

/** The pool's keys from an ID-token key and an access-token key (made now or loaded from a state file). */
export function signingKeysOf(id: SigningKey, access: SigningKey): SigningKeys {
  return { id, access, jwks: () => ({ keys: [id.publicJwk, access.publicJwk] }) };
}
