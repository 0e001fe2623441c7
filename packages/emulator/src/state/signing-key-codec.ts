import { exportJWK, importJWK } from "jose";
import type { CryptoKey, JWK } from "jose";
import type { SigningKey } from "../tokens/signing-keys.js";

/** A signing key in a state file: its private JWK (with `kid`). */
export type SavedSigningKey = JWK & { kid: string };

/** The private JWK of a key, to write into a state file. */
export async function exportSigningKey(key: SigningKey): Promise<SavedSigningKey> {
  return { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: "RS256" };
}

/** A key back from its private JWK; its `kid` and public JWK are what the JWKS served before. */
export async function importSigningKey(saved: SavedSigningKey): Promise<SigningKey> {
  if (typeof saved?.kid !== "string" || saved.kty !== "RSA" || typeof saved.d !== "string") throw new TypeError("a signing key is not a private RSA JWK");
  const privateKey = (await importJWK(saved, "RS256", { extractable: true })) as CryptoKey;
  const { kty, n, e } = saved;
  const publicKey = (await importJWK({ kty, n, e }, "RS256", { extractable: true })) as CryptoKey;
  return { kid: saved.kid, privateKey, publicKey, publicJwk: { kty, n, e, kid: saved.kid, alg: "RS256", use: "sig" } };
}
