import { describe, expect, it } from "vitest";
import { readJwtClaims } from "./jwt.js";
import { fakeJwt } from "../test/test-tokens.js";

describe("readJwtClaims", () => {
  it("reads the payload of a JWT, including non-ASCII claims", () => {
    expect(readJwtClaims(fakeJwt({ iat: 1, exp: 2, name: "Zoë 🎉" }))).toEqual({ iat: 1, exp: 2, name: "Zoë 🎉" });
  });

  it.each(["", "a.b", "a.b.c.d", "a.!!!.c", "a.e30x.c", `a.${Buffer.from("[1]").toString("base64url")}.c`, `a.${Buffer.from([0xff, 0xfe]).toString("base64url")}.c`])(
    "returns null for %j",
    (token) => {
      expect(readJwtClaims(token)).toBeNull();
    },
  );
});
