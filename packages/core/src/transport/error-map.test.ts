import { describe, expect, it } from "vitest";
import { isAuthError } from "../errors.js";
import { readFileSync } from "node:fs";
import { redact, secretsOf, serviceError, serviceErrorCode } from "./error-map.js";

describe("serviceError", () => {
  it.each([
    ["NotAuthorizedException", "ERR_NOT_AUTHORIZED", false],
    ["UserNotFoundException", "ERR_USER_NOT_FOUND", false],
    ["UserNotConfirmedException", "ERR_USER_NOT_CONFIRMED", false],
    ["UsernameExistsException", "ERR_USERNAME_EXISTS", false],
    ["InvalidPasswordException", "ERR_INVALID_PASSWORD", false],
    ["CodeMismatchException", "ERR_CODE_MISMATCH", false],
    ["ExpiredCodeException", "ERR_CODE_EXPIRED", false],
    ["InvalidParameterException", "ERR_INVALID_PARAMETER", false],
    ["TooManyRequestsException", "ERR_THROTTLED", true],
    ["ThrottlingException", "ERR_THROTTLED", true],
    ["LimitExceededException", "ERR_LIMIT_EXCEEDED", true],
    ["PasswordResetRequiredException", "ERR_PASSWORD_RESET_REQUIRED", false],
    ["TooManyFailedAttemptsException", "ERR_TOO_MANY_ATTEMPTS", false],
    ["CodeDeliveryFailureException", "ERR_CODE_DELIVERY_FAILED", false],
    ["AliasExistsException", "ERR_ALIAS_EXISTS", false],
    ["ResourceNotFoundException", "ERR_RESOURCE_NOT_FOUND", false],
    ["InternalErrorException", "ERR_SERVICE", true],
    ["UnsupportedOperationException", "ERR_UNSUPPORTED_OPERATION", false],
    ["UnknownOperationException", "ERR_UNSUPPORTED_OPERATION", false],
    ["UserLambdaValidationException", "ERR_TRIGGER_FAILED", false],
  ] as const)("maps %s to %s", (type, code, retryable) => {
    const error = serviceError({ type, message: "The service said so.", status: 400 });
    expect(isAuthError(error, code)).toBe(true);
    expect(error).toMatchObject({ retryable, serviceCode: type, status: 400, message: "The service said so." });
  });

  it("maps every type of its documented table to the documented code", () => {
    const doc = readFileSync(new URL("./error-map.ts", import.meta.url), "utf8");
    const rows = [...doc.matchAll(/^ \* \| ([A-Z][\w*, ]+) \| (ERR_[A-Z_]+)/gm)];
    expect(rows.length).toBeGreaterThan(20);
    for (const [, types, code] of rows) {
      for (const type of types!.split(", ")) {
        const name = type.replace("*", "AccessPolicyException");
        expect([name, serviceErrorCode(name)]).toEqual([name, code]);
      }
    }
  });

  it("strips a namespace prefix and a header suffix from the type", () => {
    expect(serviceError({ type: "com.amazonaws.cognito#CodeMismatchException", message: "m" }).serviceCode).toBe("CodeMismatchException");
    expect(serviceError({ type: "ExpiredCodeException:http://internal.amazon.com/", message: "m" }).code).toBe("ERR_CODE_EXPIRED");
  });

  it("calls an unknown type a retryable service failure when the status is 5xx, unknown otherwise", () => {
    expect(serviceError({ type: "BrandNewException", message: "m", status: 503 })).toMatchObject({ code: "ERR_SERVICE", retryable: true });
    expect(serviceError({ type: "BrandNewException", message: "m", status: 400 })).toMatchObject({ code: "ERR_UNKNOWN", retryable: false });
    expect(serviceError({ type: undefined, message: undefined, status: 500 }).message).toMatch(/500/);
  });

  it("calls an emulator's own Unsupported type, in any namespace, an unsupported operation that no retry can fix", () => {
    const error = serviceError({ type: "CognitoLocal#Unsupported", message: "Cognito Local unsupported feature: InitAuth with AuthFlow=USER_SRP_AUTH", status: 500 });
    expect(error).toMatchObject({ code: "ERR_UNSUPPORTED_OPERATION", retryable: false, serviceCode: "Unsupported", status: 500 });
  });

  it("calls a 501 without a known type an unsupported operation that no retry can fix", () => {
    expect(serviceError({ type: undefined, message: undefined, status: 501 })).toMatchObject({ code: "ERR_UNSUPPORTED_OPERATION", retryable: false });
    expect(serviceError({ type: "NotImplemented", message: "m", status: 501 })).toMatchObject({ code: "ERR_UNSUPPORTED_OPERATION", retryable: false });
  });

  it("cuts secrets of the request out of the service's message", () => {
    const secrets = secretsOf({ Username: "ana", AuthParameters: { PASSWORD: "Sup3r-secret!", USERNAME: "ana" }, AccessToken: "eyJabc.def.ghi" });
    expect(secrets).toEqual(["Sup3r-secret!", "eyJabc.def.ghi"]);
    const error = serviceError({ type: "InvalidParameterException", message: "bad Sup3r-secret! and eyJabc.def.ghi", secrets });
    expect(error.message).toBe("bad [redacted] and [redacted]");
    expect(redact("ana", ["ana"])).toBe("ana"); // too short to be a secret worth hiding
  });
});
