/**
 * Reads the payload of a JWT without verifying it. The session only needs `iat` and `exp`
 * to schedule refreshes; the signature is the server's business (and `verifyToken`'s in
 * `@cogkit/node`). Returns `null` for anything that is not a readable JWT, never throws.
 *
 * @example
 * const claims = readJwtClaims(accessToken); // { iat: 1700000000, exp: 1700003600, ... }
 */
export function readJwtClaims(token: string): Record<string, unknown> | null {
  if (typeof token !== "string") return null;
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === undefined) return null;
  const bytes = decodeBase64Url(parts[1]);
  if (bytes === null) return null;
  try {
    const payload: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof payload === "object" && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Hand-written so core depends on neither `atob` (absent on older React Native) nor Buffer.
function decodeBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of text) {
    const value = alphabet.indexOf(char);
    if (value < 0) return null;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, index);
}
