import { describe, expect, it } from "vitest";
import { userFromIdToken } from "./user-from-id-token.js";

describe("userFromIdToken", () => {
  it("takes the user from the claims and types custom attributes by the schema", () => {
    const user = userFromIdToken(
      {
        sub: "s-1",
        iss: "https://cognito",
        exp: 2,
        "cognito:username": "u-1",
        "cognito:groups": ["ADMINS"],
        email: "ana@example.com",
        email_verified: true,
        "custom:is_beta": "true",
        "custom:seats": "3",
        "custom:plan": "pro",
      },
      { "custom:is_beta": { dataType: "Boolean" }, "custom:seats": { dataType: "Number" }, "custom:plan": { dataType: "String" } },
    );
    expect(user).toEqual({
      username: "u-1",
      userId: "s-1",
      groups: ["ADMINS"],
      attributes: { sub: "s-1", email: "ana@example.com", email_verified: true, "custom:is_beta": true, "custom:seats": 3, "custom:plan": "pro" },
    });
  });
});

describe("userFromIdToken with hostile claims", () => {
  it("keeps a `__proto__` claim from changing the prototype of user.attributes", () => {
    // JSON.parse makes `__proto__` an own property; copying it by assignment would set the prototype.
    const payload = JSON.parse('{"sub":"u1","__proto__":{"polluted":true,"email_verified":true},"email":"ana@example.com"}');
    const { attributes } = userFromIdToken(payload);
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect((attributes as Record<string, unknown>).polluted).toBeUndefined();
    expect(attributes).toEqual({ sub: "u1", email: "ana@example.com" });
  });
});
