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
