import { describe, expect, it } from "vitest";
import { isAuthError } from "../errors.js";
import { grantFromResult } from "./grant-from-result.js";

const jwt = (payload: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.c2ln`;

describe("grantFromResult", () => {
  const id = jwt({ sub: "s", "cognito:username": "u", iat: 1_800_000_000, exp: 1_800_003_600 });
  const access = jwt({ sub: "s", iat: 1_800_000_000, exp: 1_800_003_600 });

  it("takes the tokens of an answer, keeping the refresh token it was made with when none comes back", () => {
    expect(grantFromResult({ IdToken: id, AccessToken: access, RefreshToken: "r", ExpiresIn: 3600 })).toEqual({
      idToken: id,
      accessToken: access,
      refreshToken: "r",
      expiresIn: 3600,
    });
    expect(grantFromResult({ IdToken: id, AccessToken: access }, "old").refreshToken).toBe("old");
    expect(grantFromResult({ IdToken: id, AccessToken: access, RefreshToken: "new" }, "old").refreshToken).toBe("new");
  });

  it("calls an answer without readable tokens a bad response", () => {
    for (const result of [undefined, { IdToken: "x", AccessToken: "y", RefreshToken: "r" }, { IdToken: jwt({}), AccessToken: jwt({}) }]) {
      let error: unknown;
      try {
        grantFromResult(result);
      } catch (e) {
        error = e;
      }
      expect(isAuthError(error, "ERR_BAD_RESPONSE")).toBe(true);
    }
  });
});
