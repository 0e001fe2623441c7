import { describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/test-tokens.js";
import { federatedLoginKey, loginsSubject, userPoolLoginKey } from "./logins.js";

describe("login keys", () => {
  it("names the user pool login as Cognito does", () => {
    expect(userPoolLoginKey("eu-west-1", "eu-west-1_abc")).toBe("cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc");
  });

  it.each([
    ["google", "accounts.google.com"],
    ["apple", "appleid.apple.com"],
    ["amazon", "www.amazon.com"],
    ["facebook", "graph.facebook.com"],
  ] as const)("keys %s logins as %s", (provider, key) => {
    expect(federatedLoginKey(provider)).toBe(key);
  });

  it("keys an OIDC issuer by its host and path, without https:// or a trailing slash", () => {
    expect(federatedLoginKey({ oidc: "https://login.example.com/tenant/" })).toBe("login.example.com/tenant");
    expect(federatedLoginKey({ oidc: "login.example.com" })).toBe("login.example.com");
  });

  it.each([["twitter"], [{ oidc: "" }], [{ oidc: "http://insecure.example.com" }], [{ oidc: "a b" }], [undefined], [{}]])(
    "throws a TypeError for the provider %j",
    (provider) => {
      expect(() => federatedLoginKey(provider as never)).toThrow(TypeError);
    },
  );
});

describe("loginsSubject", () => {
  it("is null for a guest", () => {
    expect(loginsSubject(undefined)).toBeNull();
  });

  it("names each login's key and sub, in key order", () => {
    expect(loginsSubject({ "z.example": fakeJwt({ sub: "2" }), "a.example": fakeJwt({ sub: "1" }) })).toBe("a.example#1 z.example#2");
  });

  it("is empty, matching no stored identity, when a token's user cannot be read", () => {
    expect(loginsSubject({ "graph.facebook.com": "EAAB-opaque" })).toBe("");
    expect(loginsSubject({ "a.example": fakeJwt({ iss: "no sub" }) })).toBe("");
  });
});
