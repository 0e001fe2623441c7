// completeSignIn's token request against a stand-in token endpoint (platform.fetch): what it
// sends, each way the answer can go wrong, and tokens that are not this sign-in's. The
// real exchange against the emulator is in oauth-redirect.test.ts.
import { describe, expect, it } from "vitest";
import { type AuthEvent } from "@cogkit/core";
import { completeSignIn } from "@cogkit/core/hosted-ui";
import { failure } from "./journey-support.js";
import { standInClient, storedRequests, tokenAnswer } from "./oauth-support.js";

describe("completeSignIn's token request", () => {
  it("posts the code with the PKCE verifier and redirect URI, form-encoded, and signs the user in", async () => {
    const { client, calls, made, startSignIn, storage } = standInClient();
    const events: AuthEvent[] = [];
    client.subscribe((event) => events.push(event));
    const { callback } = await startSignIn({ customState: "/orders" });
    expect(await completeSignIn(client, { url: callback })).toEqual({ customState: "/orders" });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("https://auth.example.com/oauth2/token");
    expect(calls[0]!.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(calls[0]!.headers.get("authorization")).toBeNull();
    expect(calls[0]!.form).toEqual({
      grant_type: "authorization_code",
      client_id: "client1",
      code: "c0de-1",
      redirect_uri: "http://localhost:3000/callback",
      code_verifier: made[0]!.verifier,
    });
    expect(client.getSnapshot()).toMatchObject({ status: "signedIn", user: { userId: "u-1" } });
    expect((await client.getTokens()).refreshToken).toBe("rt-hosted");
    expect(events.some((event) => event.type === "signedIn")).toBe(true);
    // Kept only as done, without verifier or nonce.
    expect(await storedRequests(storage)).toEqual([{ state: made[0]!.state, done: true, customState: "/orders", expiresAt: expect.any(Number) }]);
  });

  it("authenticates with HTTP Basic when the client has a secret", async () => {
    const { client, calls, startSignIn } = standInClient({ config: { clientSecret: "s3cret" } });
    await completeSignIn(client, { url: (await startSignIn()).callback });
    expect(calls[0]!.headers.get("authorization")).toBe(`Basic ${btoa("client1:s3cret")}`);
  });

  it("shares one exchange between concurrent calls with the same URL and answers later calls the same", async () => {
    const { client, calls, startSignIn } = standInClient();
    const { callback } = await startSignIn({ customState: "x" });
    const [first, second] = await Promise.all([completeSignIn(client, { url: callback }), completeSignIn(client, { url: callback })]);
    expect(first).toEqual({ customState: "x" });
    expect(second).toBe(first);
    expect(await completeSignIn(client, { url: new URL(callback) })).toBe(first);
    expect(calls).toHaveLength(1);
  });

  it("answers a reload of the callback page (a new client, the same storage) without a second exchange", async () => {
    const { client, calls, startSignIn, storage, clock } = standInClient();
    const { callback } = await startSignIn({ customState: "/back" });
    await completeSignIn(client, { url: callback });
    const { createAuthClient } = await import("@cogkit/core");
    const reloaded = createAuthClient(client.config, { platform: { storage, clock, fetch: () => Promise.reject(new Error("no request expected")) } });
    expect(await completeSignIn(reloaded, { url: callback })).toEqual({ customState: "/back" });
    expect(calls).toHaveLength(1);
  });

  const faults: Array<[string, () => Response | Promise<Response>, Record<string, unknown>]> = [
    ["no answer", () => Promise.reject(new TypeError("fetch failed")), { code: "ERR_NETWORK", retryable: true }],
    ["a 500", () => new Response("oops", { status: 500 }), { code: "ERR_SERVICE", retryable: true, status: 500 }],
    ["a 503 with JSON", () => Response.json({ error: "server_error" }, { status: 503 }), { code: "ERR_SERVICE", retryable: true }],
    ["a 429", () => new Response("slow down", { status: 429 }), { code: "ERR_THROTTLED", retryable: true }],
    ["an answer that is not JSON", () => new Response("<html>", { status: 200 }), { code: "ERR_BAD_RESPONSE" }],
    ["a JSON array", () => Response.json([1]), { code: "ERR_BAD_RESPONSE" }],
    ["invalid_grant", () => Response.json({ error: "invalid_grant" }, { status: 400 }), { code: "ERR_NOT_AUTHORIZED", serviceCode: "invalid_grant", status: 400 }],
    ["invalid_client", () => Response.json({ error: "invalid_client" }, { status: 401 }), { code: "ERR_INVALID_CONFIG", serviceCode: "invalid_client" }],
    ["an error without its name", () => Response.json({ message: "no" }, { status: 400 }), { code: "ERR_BAD_RESPONSE" }],
    ["no id token (openid not granted)", () => Response.json({ ...tokenAnswer(undefined, Date.now()), id_token: undefined }), { code: "ERR_BAD_RESPONSE", message: expect.stringContaining("openid") }],
    ["no access token", () => Response.json({ id_token: "x.y.z" }), { code: "ERR_BAD_RESPONSE" }],
  ];
  for (const [what, answer, expected] of faults) {
    it(`turns ${what} into an AuthError, signs nobody in and uses the request up`, async () => {
      const { client, startSignIn, storage, calls } = standInClient({ answer });
      const { callback } = await startSignIn();
      const error = await failure(completeSignIn(client, { url: callback }));
      expect(error).toMatchObject(expected);
      expect(error.message).not.toMatch(/c0de|verifier/);
      expect(client.getSnapshot().status).toBe("signedOut");
      expect(await storedRequests(storage)).toEqual([]);
      // The same callback again: the same answer, no second request.
      expect(await completeSignIn(client, { url: callback }).catch((e: unknown) => e)).toBe(error);
      expect(calls).toHaveLength(1);
    });
  }

  it("gives up after 15 s without an answer (ERR_TIMEOUT)", async () => {
    // An endpoint that never answers: only the abort ends the request, as with a real fetch.
    const never = (call: { signal: AbortSignal | undefined }) =>
      new Promise<Response>((_, reject) => call.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    const { client, startSignIn, clock } = standInClient({ answer: never });
    const { callback } = await startSignIn();
    let outcome: unknown;
    const completing = completeSignIn(client, { url: callback }).then(
      () => (outcome = "resolved"),
      (error: unknown) => (outcome = error),
    );
    await clock.advance(14_999);
    expect(outcome).toBeUndefined();
    await clock.advance(1);
    await completing;
    expect(outcome).toMatchObject({ code: "ERR_TIMEOUT", retryable: true });
  });

  const tampered: Array<[string, Record<string, unknown>, string]> = [
    ["a nonce of another sign-in", { nonce: "someone-else" }, "ERR_TOKEN_INVALID"],
    ["another app client", { aud: "client2" }, "ERR_TOKEN_INVALID"],
    ["another user pool", { iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other" }, "ERR_TOKEN_INVALID"],
    ["an access token for an id token", { token_use: "access" }, "ERR_TOKEN_INVALID"],
  ];
  for (const [what, claims, code] of tampered) {
    it(`refuses an id token with ${what}`, async () => {
      const { client, startSignIn, clock } = standInClient({ answer: (_, request) => Response.json(tokenAnswer(request, clock.now(), claims)) });
      const error = await failure(completeSignIn(client, { url: (await startSignIn()).callback }));
      expect(error.code).toBe(code);
      expect(client.getSnapshot().status).toBe("signedOut");
    });
  }

  it("refuses tokens that had expired when they came (ERR_TOKEN_EXPIRED)", async () => {
    const { client, startSignIn, clock } = standInClient({
      answer: (_, request) => {
        const iat = Math.floor(clock.now() / 1000);
        return Response.json(tokenAnswer(request, clock.now(), { exp: iat - 1 }));
      },
    });
    // The access token's exp is fine; the id token's has passed: the session's expiry is the earlier.
    expect((await failure(completeSignIn(client, { url: (await startSignIn()).callback }))).code).toBe("ERR_TOKEN_EXPIRED");
    expect(client.getSnapshot().status).toBe("signedOut");
  });
});
