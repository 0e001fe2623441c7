// Byte codecs shared by SRP, SECRET_HASH and JWT decoding. Base64 goes through atob/btoa
// (browsers, Node, Deno, workers, and React Native's Hermes since 0.74) rather than a
// hand-written alphabet, because this ships in every browser bundle. They are binary-safe
// here since each byte travels as one char code below 256; Buffer is Node's alone.

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Joins byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(parts.flatMap((part) => [...part]));
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** Bytes of an even-length hex string. */
export function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../gs) ?? [], (pair) => parseInt(pair, 16));
}

/** Standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Decodes base64 or base64url, padded or not. Throws `TypeError` on a foreign character or a
 * length no base64 has (4n+1: a lone last character holds less than a byte).
 */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  // Checked here: atob would skip white space, and throws a DOMException, not a TypeError.
  if (!/^[\w+/]*$/.test(clean) || clean.length % 4 == 1) throw new TypeError("Invalid base64 text");
  return Uint8Array.from(atob(clean), (char) => char.charCodeAt(0));
}
