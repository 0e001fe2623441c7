import { describe, expect, it } from "vitest";
import type { ClientContext } from "../client-context.js";
import { AuthError, isAuthError } from "../errors.js";
import type { WebAuthnLike } from "../platform/types.js";
import { createTestClock, settle } from "../../test/test-clock.js";
import { askAuthenticator, base64url, credentialToJson, passkeyCall, passkeyError, publicKeyFromJson } from "./web-authn.js";

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (buffer: unknown) => base64url(buffer as ArrayBuffer);

/** A context whose only part in use is the platform (clock and authenticator). */
function contextWith(webAuthn: WebAuthnLike | undefined, clock = createTestClock()) {
  return { platform: { clock, webAuthn } } as unknown as ClientContext<any>;
}

/** A PublicKeyCredential as a browser answers `get`, with ArrayBuffers. */
const assertion = {
  id: "AQID",
  rawId: bytes(1, 2, 3).buffer,
  type: "public-key",
  authenticatorAttachment: "platform",
  response: { clientDataJSON: bytes(123, 125).buffer, authenticatorData: bytes(0xff, 0xfe).buffer, signature: bytes(9), userHandle: null },
  getClientExtensionResults: () => ({}),
};

const requestOptions = { challenge: "3q2-7w", timeout: 60_000, rpId: "localhost", allowCredentials: [{ type: "public-key", id: "AQID", transports: ["internal"] }], userVerification: "required" };

describe("the WebAuthn JSON of Cognito and the ArrayBuffers of navigator.credentials", () => {
  it("turns request options' challenge and credential ids into bytes, and keeps the rest", () => {
    const options = publicKeyFromJson(requestOptions);
    expect(new Uint8Array(options.challenge)).toEqual(bytes(0xde, 0xad, 0xbe, 0xef));
    expect(new Uint8Array(options.allowCredentials[0].id)).toEqual(bytes(1, 2, 3));
    expect(options).toMatchObject({ timeout: 60_000, rpId: "localhost", userVerification: "required", allowCredentials: [{ type: "public-key", transports: ["internal"] }] });
  });

  it("turns creation options' user id and excluded credentials into bytes", () => {
    const options = publicKeyFromJson({ challenge: "AA", rp: { id: "localhost", name: "App" }, user: { id: "_-8", name: "ana", displayName: "Ana" }, excludeCredentials: [{ type: "public-key", id: "AQID" }] });
    expect(new Uint8Array(options.user.id)).toEqual(bytes(0xff, 0xef));
    expect(options.user).toMatchObject({ name: "ana", displayName: "Ana" });
    expect(new Uint8Array(options.excludeCredentials[0].id)).toEqual(bytes(1, 2, 3));
  });

  it("refuses options without a challenge, or with a field that is not base64url, as a bad answer", () => {
    for (const bad of [undefined, "{}", {}, { challenge: 3 }, { challenge: "a*b" }, { challenge: "AA", user: { id: "!" } }]) {
      expect(() => publicKeyFromJson(bad)).toThrow(expect.objectContaining({ code: "ERR_BAD_RESPONSE" }));
    }
  });

  it("writes a credential's bytes as unpadded base64url, whether buffers or views", () => {
    expect(credentialToJson(assertion)).toEqual({
      id: "AQID",
      rawId: "AQID",
      type: "public-key",
      response: { clientDataJSON: "e30", authenticatorData: "__4", signature: "CQ" },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    });
    const view = new Uint8Array([0, 0xfb, 0xff, 0]).subarray(1, 3);
    expect(text(view)).toBe("-_8");
  });

  it("adds a registration's attestation and transports", () => {
    const json = credentialToJson({
      id: "AQID",
      rawId: bytes(1, 2, 3).buffer,
      type: "public-key",
      response: { clientDataJSON: bytes(123, 125).buffer, attestationObject: bytes(0xa0).buffer, getTransports: () => ["internal", "hybrid"] },
    });
    expect(json.response).toEqual({ clientDataJSON: "e30", attestationObject: "oA", transports: ["internal", "hybrid"] });
    expect(json).not.toHaveProperty("authenticatorAttachment");
    expect(json.clientExtensionResults).toEqual({});
  });
});

describe("what the browser's refusals become", () => {
  const domError = (name: string) => new DOMException("refused", name);

  it.each([
    ["NotAllowedError", "ERR_PASSKEY_CANCELED"],
    ["SecurityError", "ERR_PASSKEY_NOT_ALLOWED"],
    ["NotSupportedError", "ERR_PASSKEY_UNSUPPORTED"],
    ["ConstraintError", "ERR_PASSKEY_UNSUPPORTED"],
    ["InvalidStateError", "ERR_PASSKEY_EXISTS"],
    ["TypeError", "ERR_BAD_RESPONSE"],
    ["UnknownError", "ERR_UNKNOWN"],
  ])("%s is %s, keeping the cause", (name, code) => {
    const cause = domError(name);
    expect(passkeyError(cause)).toMatchObject({ code, cause });
  });

  it("a NotAllowedError or AbortError when the time was up is a timeout", () => {
    expect(passkeyError(domError("NotAllowedError"), { timedOut: true }).code).toBe("ERR_PASSKEY_TIMEOUT");
    expect(passkeyError(domError("AbortError"), { timedOut: true }).code).toBe("ERR_PASSKEY_TIMEOUT");
  });

  it("anything after the caller aborted is ERR_ABORTED", () => {
    expect(passkeyError(domError("NotAllowedError"), { aborted: true }).code).toBe("ERR_ABORTED");
  });

  it("gives Cognito's WebAuthn refusals passkey codes, and leaves other errors alone", async () => {
    const refused = (serviceCode: string) => Promise.reject(new AuthError("ERR_UNKNOWN", "no", { serviceCode, status: 400 }));
    await expect(passkeyCall(refused("WebAuthnOriginNotAllowedException"))).rejects.toMatchObject({ code: "ERR_PASSKEY_NOT_ALLOWED", serviceCode: "WebAuthnOriginNotAllowedException", status: 400 });
    await expect(passkeyCall(refused("WebAuthnRelyingPartyMismatchException"))).rejects.toMatchObject({ code: "ERR_PASSKEY_NOT_ALLOWED" });
    await expect(passkeyCall(refused("WebAuthnNotEnabledException"))).rejects.toMatchObject({ code: "ERR_PASSKEY_UNSUPPORTED" });
    await expect(passkeyCall(refused("WebAuthnCredentialNotSupportedException"))).rejects.toMatchObject({ code: "ERR_PASSKEY_UNSUPPORTED" });
    await expect(passkeyCall(refused("NotAuthorizedException"))).rejects.toMatchObject({ code: "ERR_UNKNOWN" });
    await expect(passkeyCall(Promise.resolve(7))).resolves.toBe(7);
  });
});

describe("asking the authenticator", () => {
  it("hands it ArrayBuffer options with a signal, and answers Cognito's JSON", async () => {
    let asked: any;
    const context = contextWith({
      create: () => Promise.reject(new Error("not this one")),
      get: async (options) => ((asked = options), assertion),
    });
    const json = await askAuthenticator(context, "get", requestOptions);
    expect(json).toMatchObject({ id: "AQID", response: { signature: "CQ" } });
    expect(asked.publicKey.challenge).toBeInstanceOf(ArrayBuffer);
    expect(asked.signal).toBeInstanceOf(AbortSignal);
  });

  it("is ERR_PASSKEY_UNSUPPORTED where there is no WebAuthn", async () => {
    expect(globalThis.navigator?.credentials).toBeUndefined();
    await expect(askAuthenticator(contextWith(undefined), "get", requestOptions)).rejects.toMatchObject({ code: "ERR_PASSKEY_UNSUPPORTED" });
  });

  it("reads navigator.credentials when the platform has no authenticator", async () => {
    const navigator = Object.getOwnPropertyDescriptor(globalThis, "navigator");
    Object.defineProperty(globalThis, "navigator", { value: { credentials: { get: async () => assertion, create: async () => null } }, configurable: true });
    try {
      await expect(askAuthenticator(contextWith(undefined), "get", requestOptions)).resolves.toMatchObject({ id: "AQID" });
      await expect(askAuthenticator(contextWith(undefined), "create", { challenge: "AA", user: { id: "AA" } })).rejects.toMatchObject({ code: "ERR_PASSKEY_CANCELED" });
    } finally {
      if (navigator) Object.defineProperty(globalThis, "navigator", navigator);
      else delete (globalThis as { navigator?: unknown }).navigator;
    }
  });

  /** An authenticator whose prompt stays open until its signal aborts, then rejects as a browser does. */
  const patient: WebAuthnLike = {
    create: () => new Promise(() => undefined),
    get: ({ signal }) =>
      new Promise((_, reject) => signal!.addEventListener("abort", () => reject(signal!.reason ?? new DOMException("aborted", "AbortError")))),
  };

  it("ends an unanswered prompt at the options' timeout, on the platform's clock", async () => {
    const clock = createTestClock();
    const asking = askAuthenticator(contextWith(patient, clock), "get", requestOptions).catch((e: unknown) => e);
    await settle();
    expect(clock.nextTimerAt()).toBe(clock.now() + 60_000);
    await clock.advance(60_000);
    expect(await asking).toMatchObject({ code: "ERR_PASSKEY_TIMEOUT" });
    expect(clock.pendingTimers()).toBe(0);
  });

  it("says timed out for a browser's NotAllowedError that comes when the time is up", async () => {
    const clock = createTestClock();
    const late: WebAuthnLike = { create: patient.create, get: async () => (await clock.advance(60_000), Promise.reject(new DOMException("timed out or not allowed", "NotAllowedError"))) };
    expect(await askAuthenticator(contextWith(late, clock), "get", requestOptions).catch((e: unknown) => e)).toMatchObject({ code: "ERR_PASSKEY_TIMEOUT" });
  });

  it("stops the prompt when the caller's signal aborts, and refuses at once when it already has", async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    const asking = askAuthenticator(contextWith(patient, clock), "get", requestOptions, controller.signal).catch((e: unknown) => e);
    await settle();
    controller.abort();
    expect(await asking).toMatchObject({ code: "ERR_ABORTED" });
    expect(clock.pendingTimers()).toBe(0);
    const error = await askAuthenticator(contextWith(patient, clock), "get", requestOptions, controller.signal).catch((e: unknown) => e);
    expect(isAuthError(error, "ERR_ABORTED")).toBe(true);
  });

  it("takes an empty answer as a dismissed prompt", async () => {
    const empty: WebAuthnLike = { create: async () => null, get: async () => null };
    await expect(askAuthenticator(contextWith(empty), "get", requestOptions)).rejects.toMatchObject({ code: "ERR_PASSKEY_CANCELED" });
  });
});
