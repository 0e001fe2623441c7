import { toBase64 } from "../encoding.js";
import type { Platform } from "../platform/types.js";

/** Base64url without padding (RFC 4648 §5), the alphabet of PKCE and of URL parameters. */
export function base64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * A random string of `bytes` random bytes in base64url: 32 bytes (43 characters, 256 bits)
 * for `state` and `nonce`, and a PKCE code verifier (RFC 7636 asks 43 to 128 characters).
 */
export function randomToken(platform: Pick<Platform, "randomBytes">, bytes = 32): string {
  const random = platform.randomBytes(bytes);
  if (!(random instanceof Uint8Array) || random.length !== bytes) throw new TypeError("platform.randomBytes gave no random bytes");
  return base64Url(random);
}

/**
 * The PKCE S256 challenge of a verifier: base64url(SHA-256(ascii(verifier))).
 *
 * @example
 * await pkceChallenge(crypto.subtle, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
 * // "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" (RFC 7636, appendix B)
 */
export async function pkceChallenge(subtle: SubtleCrypto, verifier: string): Promise<string> {
  return base64Url(new Uint8Array(await subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}
