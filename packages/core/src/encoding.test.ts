import fc from "fast-check";
import { expect, it } from "vitest";
import { fromBase64, fromHex, toBase64, toHex } from "./encoding.js";

it("encodes base64 as Buffer does and decodes it back, url-safe or not", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString("base64"));
      expect(fromBase64(text)).toEqual(bytes);
      expect(fromBase64(Buffer.from(bytes).toString("base64url"))).toEqual(bytes);
    }),
  );
});

it("round-trips hex", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
    expect(fromHex(toHex(bytes))).toEqual(bytes);
  }));
});

it("refuses characters outside base64", () => {
  expect(() => fromBase64("ab$d")).toThrow(TypeError);
});

it("refuses a length no base64 has, and padding inside the text", () => {
  // Five characters: the last would hold less than a byte.
  expect(() => fromBase64("abcde")).toThrow(TypeError);
  expect(() => fromBase64("ab=c")).toThrow(TypeError);
  expect(() => fromBase64(" abc")).toThrow(TypeError);
});
