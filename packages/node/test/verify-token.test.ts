import { type Emulator, startEmulator } from "@cogkit/emulator";
import { isAuthError } from "@cogkit/core";
import { verifyToken } from "@cogkit/node";
import { base64url, exportJWK, generateKeyPair, SignJWT, decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { signedInTokens, startCountingProxy } from "./support.js";

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

describe("verifyToken against the emulator's tokens and JWKS", () => {
  let emulator: Emulator;
  let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
  let tokens: Awaited<ReturnType<typeof signedInTokens>>;
  let jwksPath: string;
  // Each test gets its own JWKS URL (a query string), so key-set caching is observed per test.
  let run = 0;
  const options = (extra: Record<string, unknown> = {}) => ({
    userPoolId: emulator.config.userPoolId,
    clientId: emulator.config.userPoolClientId,
    tokenUse: "id" as const,
    issuer: `${emulator.url}/${emulator.config.userPoolId}`,
    jwksUri: `${proxy.url}${jwksPath}?run=${run}`,
    ...extra,
  });

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
    proxy = await startCountingProxy(emulator.url);
    jwksPath = `/${emulator.config.userPoolId}/.well-known/jwks.json`;
    tokens = await signedInTokens(emulator);
  });
  afterEach(() => {
    run++;
    vi.useRealTimers();
  });
  afterAll(async () => {
    await proxy.close();
    await emulator.stop();
  });

  it("accepts an ID token and an access token, returning typed claims, with one key fetch", async () => {
    const id = await verifyToken(tokens.idToken, options());
    expect(id).toMatchObject({ token_use: "id", aud: emulator.config.userPoolClientId, email: tokens.email });
    const access = await verifyToken(tokens.accessToken, options({ tokenUse: "access" }));
    expect(access.token_use).toBe("access");
    expect(access.client_id).toBe(emulator.config.userPoolClientId);
    expect(access.sub).toBe(id.sub);
    expect(proxy.count(`${jwksPath}?run=${run}`)).toBe(1);
  });

  it("takes a list of app clients", async () => {
    const claims = await verifyToken(tokens.idToken, options({ clientId: ["other", emulator.config.userPoolClientId] }));
    expect(claims.aud).toBe(emulator.config.userPoolClientId);
  });

  it("rejects an expired token with ERR_TOKEN_EXPIRED once the emulator's clock passes exp", async () => {
    const fresh = await signedInTokens(emulator);
    await expect(verifyToken(fresh.idToken, options({ clock: { now: () => emulator.now() } }))).resolves.toBeTruthy();
    emulator.advanceTime(3600_000 + 10_000);
    const error = await failure(verifyToken(fresh.idToken, options({ clock: { now: () => emulator.now() } })));
    expect(error.code).toBe("ERR_TOKEN_EXPIRED");
  });

  it("tolerates a few seconds past exp, and no more than asked", async () => {
    const { exp } = decodeJwt(tokens.idToken);
    const at = (ms: number) => ({ now: () => exp! * 1000 + ms });
    await expect(verifyToken(tokens.idToken, options({ clock: at(3_000) }))).resolves.toBeTruthy();
    expect((await failure(verifyToken(tokens.idToken, options({ clock: at(3_000), clockToleranceSeconds: 1 })))).code).toBe("ERR_TOKEN_EXPIRED");
  });

  it("rejects a token for another app client (aud of ID tokens, client_id of access tokens)", async () => {
    const id = await failure(verifyToken(tokens.idToken, options({ clientId: "another-client" })));
    expect(id.code).toBe("ERR_TOKEN_INVALID");
    expect(id.message).toMatch(/aud/);
    const access = await failure(verifyToken(tokens.accessToken, options({ tokenUse: "access", clientId: "another-client" })));
    expect(access.code).toBe("ERR_TOKEN_INVALID");
    expect(access.message).toMatch(/client_id/);
  });

  it("rejects a token from another issuer", async () => {
    const error = await failure(verifyToken(tokens.idToken, options({ issuer: `${emulator.url}/us-east-1_Other` , jwksUri: `${proxy.url}${jwksPath}?run=${run}` })));
    expect(error.code).toBe("ERR_TOKEN_INVALID");
    expect(error.message).toMatch(/iss/);
    // And the issuer derived from the pool id (real Cognito) is not the emulator's either.
    const derived = await failure(verifyToken(tokens.idToken, { ...options(), issuer: undefined }));
    expect(derived.code).toBe("ERR_TOKEN_INVALID");
  });

  it("rejects an access token where an ID token is expected, and the reverse", async () => {
    expect((await failure(verifyToken(tokens.accessToken, options({ clientId: emulator.config.userPoolClientId })))).message).toMatch(/token_use/);
    expect((await failure(verifyToken(tokens.idToken, options({ tokenUse: "access" })))).code).toBe("ERR_TOKEN_INVALID");
  });

  it("rejects a tampered payload and a tampered signature", async () => {
    const [header, payload, signature] = tokens.idToken.split(".") as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const forged = `${header}.${base64url.encode(JSON.stringify({ ...claims, email: "admin@example.com" }))}.${signature}`;
    expect((await failure(verifyToken(forged, options()))).code).toBe("ERR_TOKEN_INVALID");
    const flipped = signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11);
    const error = await failure(verifyToken(`${header}.${payload}.${flipped}`, options()));
    expect(error.code).toBe("ERR_TOKEN_INVALID");
    expect(error.message).toMatch(/signature/);
  });

  it("refuses alg none and HS256 (signed with the public key) without fetching keys", async () => {
    const [header, payload] = tokens.idToken.split(".") as [string, string, string];
    const { kid } = JSON.parse(new TextDecoder().decode(base64url.decode(header)));
    const none = `${base64url.encode(JSON.stringify({ alg: "none", kid }))}.${payload}.`;
    expect((await failure(verifyToken(none, options()))).message).toMatch(/algorithm none/);
    const jwks = (await (await fetch(`${emulator.url}${jwksPath}`)).json()) as { keys: Array<{ kid: string; n: string }> };
    const publicKey = new TextEncoder().encode(jwks.keys.find((k) => k.kid === kid)!.n);
    const hs256 = await new SignJWT(decodeJwt(tokens.idToken)).setProtectedHeader({ alg: "HS256", kid }).sign(publicKey);
    const error = await failure(verifyToken(hs256, options()));
    expect(error.code).toBe("ERR_TOKEN_INVALID");
    expect(error.message).toMatch(/HS256/);
    expect(proxy.count(`${jwksPath}?run=${run}`)).toBe(0);
  });

  it("fetches the keys again for an unknown kid, at most once per cooldown, then rejects", async () => {
    const uri = `${jwksPath}?run=${run}`;
    await verifyToken(tokens.idToken, options());
    expect(proxy.count(uri)).toBe(1);
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const foreign = await new SignJWT(decodeJwt(tokens.idToken)).setProtectedHeader({ alg: "RS256", kid: "rotated-key" }).sign(privateKey);
    expect(JSON.stringify(await exportJWK(publicKey))).not.toContain("rotated-key");
    // Right after a fetch, an unknown kid does not fetch again (jose's 30 s cooldown).
    expect((await failure(verifyToken(foreign, options()))).message).toMatch(/kid/);
    expect(proxy.count(uri)).toBe(1);
    // Past the cooldown, it does — once — and still finds no such key.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 31_000);
    const error = await failure(verifyToken(foreign, options()));
    expect(error.code).toBe("ERR_TOKEN_INVALID");
    expect(error.message).toMatch(/kid/);
    expect(proxy.count(uri)).toBe(2);
    await failure(verifyToken(foreign, options()));
    expect(proxy.count(uri)).toBe(2);
  });

  it("says ERR_NETWORK when the keys cannot be fetched, and TypeError for misuse", async () => {
    const error = await failure(verifyToken(tokens.idToken, options({ jwksUri: "http://127.0.0.1:1/jwks.json" })));
    expect(error.code).toBe("ERR_NETWORK");
    expect(error.retryable).toBe(true);
    await expect(verifyToken(tokens.idToken, options({ userPoolId: "nope" }))).rejects.toThrow(TypeError);
    await expect(verifyToken(tokens.idToken, options({ tokenUse: "refresh" }))).rejects.toThrow(TypeError);
    expect((await failure(verifyToken("not-a-jwt", options()))).code).toBe("ERR_TOKEN_INVALID");
  });
});
