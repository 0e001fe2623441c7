import { describe, expect, it } from "vitest";
import { AuthError, type AuthErrorCode } from "../errors.js";
import { classifyRefreshError } from "./refresh-error-class.js";

describe("classifyRefreshError", () => {
  it.each<[AuthErrorCode, boolean, string]>([
    ["ERR_NETWORK", true, "transient"],
    ["ERR_TIMEOUT", false, "transient"],
    ["ERR_SERVICE", false, "transient"],
    ["ERR_THROTTLED", false, "transient"],
    ["ERR_LIMIT_EXCEEDED", true, "transient"],
    ["ERR_NOT_AUTHORIZED", false, "definitive"],
    ["ERR_TOKEN_REVOKED", false, "definitive"],
    ["ERR_USER_NOT_FOUND", false, "definitive"],
    ["ERR_PASSWORD_RESET_REQUIRED", false, "definitive"],
    ["ERR_USER_NOT_CONFIRMED", false, "definitive"],
    ["ERR_REFRESH_TOKEN_REUSED", true, "definitive"],
    ["ERR_BAD_RESPONSE", false, "unknown"],
    ["ERR_UNSUPPORTED_OPERATION", false, "unknown"],
  ])("classifies %s (retryable: %s) as %s", (code, retryable, expected) => {
    expect(classifyRefreshError(new AuthError(code, "x", { retryable }))).toBe(expected);
  });

  it("classifies anything that is not an AuthError as unknown", () => {
    expect(classifyRefreshError(new TypeError("boom"))).toBe("unknown");
    expect(classifyRefreshError("nope")).toBe("unknown");
  });
});
