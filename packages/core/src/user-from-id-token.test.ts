import { describe, expect, it } from "vitest";
import { isAuthError } from "../errors.js";
import { sessionFromResult, userFromIdToken } from "./session-from-result.js";

const jwt = (payload: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.c2ln`;

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

describe("sessionFromResult", () => {
  it("turns tokens into a session timed on the local clock", () => {
    const now = 1_800_000_000_000;
    const id = jwt({ sub: "s", "cognito:username": "u", iat: 1_800_000_000, exp: 1_800_003_600 });
    const access = jwt({ sub: "s", iat: 1_800_000_000, exp: 1_800_003_600 });
    const session = sessionFromResult({ IdToken: id, AccessToken: access, RefreshToken: "r", ExpiresIn: 3600 }, now);
    expect(session.tokens).toMatchObject({ idToken: id, accessToken: access, refreshToken: "r", expiresAt: now + 3_600_000 });
    expect(session.user.username).toBe("u");
  });

  it("calls an answer without readable tokens a bad response", () => {
    for (const result of [undefined, { IdToken: "x", AccessToken: "y", RefreshToken: "r" }, { IdToken: jwt({}), AccessToken: jwt({}) }]) {
      let error: unknown;
      try {
        sessionFromResult(result, 0);
      } catch (e) {
        error = e;
      }
      expect(isAuthError(error, "ERR_BAD_RESPONSE")).toBe(true);
    }
  });
});
