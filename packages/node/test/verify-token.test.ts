import { type Emulator, startEmulator } from "@cogkit/emulator";
import { isAuthError } from "@cogkit/core";
import { verifyToken } from "@cogkit/node";
import { base64url, exportJWK, generateKeyPair, SignJWT, decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateKeyPairSync, createSign } from "node:crypto";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
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
    // From the token's own iat: an earlier test moved the emulator's clock past its exp.
    let now = decodeJwt(tokens.idToken).iat! * 1000;
    const clock = { now: () => now };
    await verifyToken(tokens.idToken, options({ clock }));
    expect(proxy.count(uri)).toBe(1);
    const { privateKey } = await generateKeyPair("RS256");
    const foreign = await new SignJWT(decodeJwt(tokens.idToken)).setProtectedHeader({ alg: "RS256", kid: "rotated-key" }).sign(privateKey);
    // Right after a fetch, an unknown kid does not fetch again (a 30 s cooldown).
    expect((await failure(verifyToken(foreign, options({ clock })))).message).toMatch(/kid/);
    expect(proxy.count(uri)).toBe(1);
    // Past the cooldown, it does — once — and still finds no such key.
    now += 31_000;
    const error = await failure(verifyToken(foreign, options({ clock })));
    expect(error.code).toBe("ERR_TOKEN_INVALID");
    expect(error.message).toMatch(/kid/);
    expect(proxy.count(uri)).toBe(2);
    await failure(verifyToken(foreign, options({ clock })));
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

// The JWKS endpoint as msw serves it: the emulator's own key set (read from it once) while
// up, a network failure while down, every request counted. Each test has its own URL.
describe("verifyToken when the JWKS endpoint fails or serves what it should not", () => {
  let emulator: Emulator;
  let tokens: Awaited<ReturnType<typeof signedInTokens>>;
  let emulatorKeys: object[];
  let run = 0;
  const server = setupServer();
  const jwks = { up: true, keys: [] as object[], requests: 0 };
  const uri = () => `https://jwks.cogkit.test/run-${run}/jwks.json`;
  const options = (now: () => number, extra: Record<string, unknown> = {}) => ({
    userPoolId: emulator.config.userPoolId,
    clientId: emulator.config.userPoolClientId,
    tokenUse: "id" as const,
    issuer: `${emulator.url}/${emulator.config.userPoolId}`,
    jwksUri: uri(),
    clock: { now },
    ...extra,
  });
  // A token the emulator would issue, signed by a key of our own under `kid`.
  const signedBy = async (privateKey: Parameters<SignJWT["sign"]>[0], kid: string) =>
    new SignJWT(decodeJwt(tokens.idToken)).setProtectedHeader({ alg: "RS256", kid }).sign(privateKey);

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
    tokens = await signedInTokens(emulator);
    emulatorKeys = ((await (await fetch(`${emulator.url}/${emulator.config.userPoolId}/.well-known/jwks.json`)).json()) as { keys: object[] }).keys;
    server.use(
      http.get("https://jwks.cogkit.test/*", () => {
        jwks.requests++;
        return jwks.up ? HttpResponse.json({ keys: jwks.keys }) : HttpResponse.error();
      }),
    );
    server.listen({ onUnhandledRequest: "bypass" });
  });
  beforeEach(() => {
    run++;
    Object.assign(jwks, { up: true, keys: emulatorKeys, requests: 0 });
  });
  afterAll(async () => {
    server.close();
    await emulator.stop();
  });

  it("keeps accepting tokens signed by known keys through an outage, long after the keys are 10 minutes old", async () => {
    let now = emulator.now();
    const { privateKey } = await generateKeyPair("RS256");
    const unknownKid = await signedBy(privateKey, "unknown-kid");
    await verifyToken(tokens.idToken, options(() => now));
    expect(jwks.requests).toBe(1);
    jwks.up = false;
    now += 11 * 60_000;
    // Ten 30-second cooldowns into the outage (the token lives an hour): every call with a
    // known kid succeeds at once, and the stale keys are fetched again at most once per cooldown.
    for (let period = 1; period <= 10; period++) {
      const claims = await Promise.all(Array.from({ length: 5 }, () => verifyToken(tokens.idToken, options(() => now))));
      expect(claims.map((c) => c.email)).toEqual(Array(5).fill(tokens.email));
      // An unknown kid waits for the fetch in flight, or sees it failed: no fetch of its own.
      const error = await failure(verifyToken(unknownKid, options(() => now)));
      expect(error).toMatchObject({ code: "ERR_NETWORK", retryable: true });
      expect(jwks.requests).toBe(1 + period);
      now += 31_000;
    }
  });

  it("fetches at most once per cooldown, however many callers, while the endpoint is down", async () => {
    let now = emulator.now();
    jwks.up = false;
    const first = await Promise.all(Array.from({ length: 20 }, () => failure(verifyToken(tokens.idToken, options(() => now)))));
    expect(first.every((e) => e.code === "ERR_NETWORK" && e.retryable)).toBe(true);
    expect(jwks.requests).toBe(1);
    for (let i = 0; i < 20; i++) expect((await failure(verifyToken(tokens.idToken, options(() => now)))).code).toBe("ERR_NETWORK");
    now += 29_000;
    await failure(verifyToken(tokens.idToken, options(() => now)));
    expect(jwks.requests).toBe(1);
    now += 2_000;
    await failure(verifyToken(tokens.idToken, options(() => now)));
    expect(jwks.requests).toBe(2);
    // Back up: the next call past the cooldown fetches and verifies.
    jwks.up = true;
    now += 31_000;
    expect((await verifyToken(tokens.idToken, options(() => now))).email).toBe(tokens.email);
    expect(jwks.requests).toBe(3);
  });

  it("picks up a rotated key: a token with a new kid fetches the keys again and verifies", async () => {
    let now = emulator.now();
    await verifyToken(tokens.idToken, options(() => now));
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    jwks.keys = [...emulatorKeys, { ...(await exportJWK(publicKey)), kid: "rotated-key", alg: "RS256", use: "sig" }];
    const rotated = await signedBy(privateKey, "rotated-key");
    now += 31_000;
    expect((await verifyToken(rotated, options(() => now))).email).toBe(tokens.email);
    expect(jwks.requests).toBe(2);
    // The emulator's key is still in the set, and still trusted.
    expect((await verifyToken(tokens.idToken, options(() => now))).email).toBe(tokens.email);
  });

  it("fetches keys past 10 minutes old again in the background, and stops trusting a key the pool dropped", async () => {
    let now = emulator.now();
    await verifyToken(tokens.idToken, options(() => now));
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    jwks.keys = [{ ...(await exportJWK(publicKey)), kid: "rotated-key", alg: "RS256", use: "sig" }];
    now += 11 * 60_000;
    // The key it holds still serves this call; the fetch it starts replaces the set.
    expect((await verifyToken(tokens.idToken, options(() => now))).email).toBe(tokens.email);
    // A new kid waits for that fetch rather than making its own.
    expect((await verifyToken(await signedBy(privateKey, "rotated-key"), options(() => now))).email).toBe(tokens.email);
    expect(jwks.requests).toBe(2);
    const dropped = await failure(verifyToken(tokens.idToken, options(() => now)));
    expect(dropped).toMatchObject({ code: "ERR_TOKEN_INVALID" });
    expect(dropped.message).toMatch(/kid/);
    expect(jwks.requests).toBe(2);
  });

  it("rejects a token signed by a 1024-bit key with ERR_TOKEN_INVALID naming the key size, not ERR_NETWORK", async () => {
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 });
    jwks.keys = [...emulatorKeys, { ...weak.publicKey.export({ format: "jwk" }), kid: "weak-key", alg: "RS256", use: "sig" }];
    // Signed by hand: jose itself refuses to sign with a key under 2048 bits.
    const header = base64url.encode(JSON.stringify({ alg: "RS256", kid: "weak-key" }));
    const payload = base64url.encode(JSON.stringify(decodeJwt(tokens.idToken)));
    const signature = base64url.encode(createSign("RSA-SHA256").update(`${header}.${payload}`).sign(weak.privateKey));
    const error = await failure(verifyToken(`${header}.${payload}.${signature}`, options(() => emulator.now())));
    expect(error).toMatchObject({ code: "ERR_TOKEN_INVALID", retryable: false });
    expect(error.message).toMatch(/1024/);
  });

  it("refuses a jwksUri or issuer that is not an https URL (http only on loopback) with a TypeError, and fetches nothing", async () => {
    const now = () => emulator.now();
    for (const jwksUri of ["not a url", "/relative/jwks.json", "http://jwks.cogkit.test/jwks.json", "ftp://jwks.cogkit.test/jwks.json", "https://user:secret@jwks.cogkit.test/jwks.json"]) {
      const error = await verifyToken(tokens.idToken, options(now, { jwksUri })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/jwksUri/);
      expect((error as Error).message).not.toContain("secret");
    }
    const derived = await verifyToken(tokens.idToken, options(now, { jwksUri: undefined, issuer: "http://issuer.cogkit.test/pool" })).catch((e: unknown) => e);
    expect(derived).toBeInstanceOf(TypeError);
    expect((derived as Error).message).toMatch(/issuer/);
    expect(jwks.requests).toBe(0);
  });

  it("says ERR_BAD_RESPONSE when the endpoint answers something that is not a key set", async () => {
    server.use(http.get(uri(), () => HttpResponse.text("<html>gateway</html>", { status: 200 })));
    expect(await failure(verifyToken(tokens.idToken, options(() => emulator.now())))).toMatchObject({ code: "ERR_BAD_RESPONSE" });
    server.use(http.get(uri(), () => HttpResponse.json({ message: "down" }, { status: 503 })));
    const error = await failure(verifyToken(tokens.idToken, options(() => emulator.now() + 31_000)));
    expect(error).toMatchObject({ code: "ERR_BAD_RESPONSE", retryable: true, status: 503 });
  });
});
