import { createHmac } from "node:crypto";
import { expect, it } from "vitest";
import { secretHash } from "./secret-hash.js";

it("computes SECRET_HASH as base64 HMAC-SHA-256(secret, username + clientId)", async () => {
  const input = { secret: "1q2w3e4r5t6y7u8i9o0p1q2w3e4r5t6y7u8i9o0p1q2w3e4r", username: "ana@example.com", clientId: "4tq2jz0example" };
  const expected = createHmac("sha256", input.secret).update(input.username + input.clientId).digest("base64");
  expect(await secretHash({ subtle: crypto.subtle, ...input })).toBe(expected);
  expect(await secretHash({ subtle: crypto.subtle, ...input })).toMatchInlineSnapshot(`"THbHK61CzbjRAJStMkWrQqci1EzoWKbfIPp5709jxBs="`);
});
