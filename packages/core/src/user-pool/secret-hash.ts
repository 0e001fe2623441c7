import { toBase64, utf8 } from "../encoding.js";
import { hmacSha256 } from "../srp/srp.js";

/**
 * Cognito's `SECRET_HASH` for an app client with a secret: base64 HMAC-SHA-256 under the
 * client secret of `username + clientId`.
 *
 * @example
 * const hash = await secretHash({ subtle, secret, username: "alice", clientId });
 */
export async function secretHash(options: { subtle: SubtleCrypto; secret: string; username: string; clientId: string }): Promise<string> {
  return toBase64(await hmacSha256(options.subtle, utf8(options.secret), utf8(options.username + options.clientId)));
}
