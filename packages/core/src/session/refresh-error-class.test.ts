import { describe, expect, it } from "vitest";
import { AuthError, type AuthErrorCode } from "../errors.js";
import { serviceError } from "../transport/error-map.js";
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

  it("never calls a server's 'I do not have that' transient: retrying cannot make it appear", () => {
    // cognito-local's answer to GetTokensFromRefreshToken, a 501, and Cognito's own type.
    for (const answer of [
      { type: "CognitoLocal#Unsupported", message: "Cognito Local unsupported feature", status: 500 },
      { type: undefined, message: undefined, status: 501 },
      { type: "UnknownOperationException", message: undefined, status: 400 },
    ]) {
      expect(classifyRefreshError(serviceError(answer))).toBe("unknown");
    }
  });

  it("classifies anything that is not an AuthError as unknown", () => {
    expect(classifyRefreshError(new TypeError("boom"))).toBe("unknown");
    expect(classifyRefreshError("nope")).toBe("unknown");
  });
});
