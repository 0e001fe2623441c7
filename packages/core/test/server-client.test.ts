import { createCookieStorage, defineAuth, isAuthError } from "@cogkit/core";
import { createServerClient, handleRefresh, requestCookies, verifyCognitoToken } from "@cogkit/core/server";
import { generateKeyPair, SignJWT, decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, transports } from "./journey-support.js";
import {
  appFor,
  createBrowserJar,
  formPost,
  jarWithRecord,
  lifetimeMs,
  origin,
  password,
  recordIn,
  requestWith,
  type ServerHarness,
  signedInJar,
  startServerHarness,
} from "./server-support.js";

describe.each(transports)("the server client over the $name transport", ({ make }) => {
  let harness: ServerHarness;
  let app: (request: Request) => Promise<Response>;
  beforeAll(async () => {
    harness = await startServerHarness();
    app = appFor(harness, { transport: make(harness.config) });
  });
  afterAll(() => harness.stop());

  it("signs in from a form post and redirects with the session's Set-Cookie", async () => {
    const username = await harness.newUser();
    const jar = createBrowserJar();
    const response = await app(formPost(jar, "/sign-in", { username, password }));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/account");
    const lines = jar.apply(response);
    expect(lines.some((line) => line.startsWith(`cogkit.${harness.config.userPoolClientId}.session=`))).toBe(true);
    const account = await app(requestWith(jar, "/account"));
    expect(account.status).toBe(200);
    expect((await account.json()).username).toBe(username);
    // Nothing changed: no Set-Cookie at all.
    expect(account.headers.getSetCookie()).toEqual([]);
    // A browser client over cookie storage reads the same session.
    const storage = createCookieStorage({ secure: false, document: { cookie: jar.header() } });
    const stored = JSON.parse(String(await storage.getItem(`cogkit.${harness.config.userPoolClientId}.session`)));
    expect(stored).toEqual(recordIn(jar, harness.config.userPoolClientId));
    expect(stored.refreshToken).toEqual(expect.any(String));
  });

  it("refreshes an expired session once for 10 parallel requests, each of which gets the new cookies in one setAll", async () => {
    const jar = await signedInJar(app, await harness.newUser());
    await harness.advance(lifetimeMs + 1_000);
    const refreshes = harness.refreshCalls();
    const setAlls = harness.setAllCalls();
    const responses = await Promise.all(Array.from({ length: 10 }, () => app(requestWith(jar, "/account"))));
    expect(harness.refreshCalls() - refreshes).toBe(1);
    expect(harness.setAllCalls() - setAlls).toBe(10);
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(new Set(bodies.map((body) => body.accessToken)).size).toBe(1);
    for (const response of responses) expect(response.headers.getSetCookie().length).toBeGreaterThan(0);
    jar.apply(responses[0]!);
    expect(recordIn(jar, harness.config.userPoolClientId)!.accessToken).toBe(bodies[0].accessToken);
  });

  it("reads a forged, mixed or garbled cookie as signed out and deletes it, never as another user", async () => {
    const clientId = harness.config.userPoolClientId;
    const alice = recordIn(await signedInJar(app, await harness.newUser()), clientId)!;
    const bob = recordIn(await signedInJar(app, await harness.newUser()), clientId)!;
    const { privateKey } = await generateKeyPair("RS256");
    const claims = decodeJwt(String(alice.idToken));
    const forged = await new SignJWT({ ...claims, sub: decodeJwt(String(bob.idToken)).sub })
      .setProtectedHeader({ alg: "RS256", kid: JSON.parse(atob(String(alice.idToken).split(".")[0]!)).kid })
      .sign(privateKey);
    const flipped = String(alice.idToken).slice(0, -4) + (String(alice.idToken).endsWith("AAAA") ? "BBBB" : "AAAA");
    const tampered = [
      { ...alice, idToken: bob.idToken },
      { ...alice, idToken: forged },
      { ...alice, idToken: flipped },
      { ...alice, accessToken: bob.idToken },
      { ...alice, v: 99 },
    ];
    for (const record of tampered) {
      const jar = jarWithRecord(clientId, record);
      const response = await app(requestWith(jar, "/account"));
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/sign-in");
      jar.apply(response);
      expect(jar.cookies.size).toBe(0);
    }
    const garbled = createBrowserJar({ [`cogkit.${clientId}.session`]: "1", [`cogkit.${clientId}.session.0`]: "%E0%A4%A" });
    expect((await app(requestWith(garbled, "/account"))).headers.get("location")).toBe("/sign-in");
  });

  it("keeps a 3 KB id token within 4 KB per cookie and the total limit", async () => {
    const big = await startServerHarness({
      auth: defineAuth({ loginWith: { email: true }, userAttributes: { "custom:bio": { dataType: "String", mutable: true }, "custom:notes": { dataType: "String", mutable: true } } }),
    });
    try {
      const bigApp = appFor(big, { transport: make(big.config) });
      const username = await big.newUser({ "custom:bio": "b".repeat(1_200), "custom:notes": "n".repeat(1_200) });
      const jar = createBrowserJar();
      const response = await bigApp(formPost(jar, "/sign-in", { username, password }));
      const lines = jar.apply(response);
      const record = recordIn(jar, big.config.userPoolClientId)!;
      expect(String(record.idToken).length).toBeGreaterThan(3_000);
      expect(lines.length).toBeGreaterThan(2); // chunked
      for (const line of lines) expect(line.split(";")[0]!.length).toBeLessThanOrEqual(4_000);
      expect(jar.header().length).toBeLessThanOrEqual(7_000);
      expect((await (await bigApp(requestWith(jar, "/account"))).json()).username).toBe(username);
    } finally {
      await big.stop();
    }
  });

  it("deletes chunks it no longer needs and the cookies of other app clients", async () => {
    const clientId = harness.config.userPoolClientId;
    const jar = createBrowserJar({
      [`cogkit.${clientId}.session.5`]: "stale",
      "cogkit.otherclient.session": "1",
      "cogkit.otherclient.session.0": "x",
      "cogkit.otherclient.refresh": "y",
      theme: "dark",
    });
    const response = await app(formPost(jar, "/sign-in", { username: await harness.newUser(), password }));
    jar.apply(response);
    expect([...jar.cookies.keys()].sort()).toEqual([`cogkit.${clientId}.session`, `cogkit.${clientId}.session.0`, "theme"]);
  });

  it("in read-only mode writes nothing and never refreshes: valid tokens serve, expired ones read as signed out", async () => {
    const jar = await signedInJar(app, await harness.newUser());
    const refreshes = harness.refreshCalls();
    const written: unknown[] = [];
    const readOnly = (request: Request) =>
      createServerClient(harness.config, {
        readOnly: true,
        platform: { clock: harness.clock },
        cookieOptions: { secure: false },
        transport: make(harness.config),
        cookies: { getAll: requestCookies(request, new Headers()).getAll, setAll: (list) => written.push(list) },
      });
    // Inside the refresh margin: due, but still valid.
    await harness.advance(lifetimeMs - 30_000);
    expect((await readOnly(requestWith(jar, "/account")).getSession())?.user.attributes.email).toBeDefined();
    await harness.advance(60_000);
    const server = readOnly(requestWith(jar, "/account"));
    expect(await server.getSession()).toBeNull();
    expect(await server.getSnapshot()).toEqual({ status: "signedOut", user: null });
    await expect(server.signIn({ username: "x", password })).rejects.toThrow(TypeError);
    expect(written).toEqual([]);
    expect(harness.refreshCalls()).toBe(refreshes);
    // The cookies were left alone: a writable request still refreshes them.
    expect((await app(requestWith(jar, "/account"))).status).toBe(200);
  });

  it("signs out: revokes the refresh token and deletes every session cookie", async () => {
    const jar = await signedInJar(app, await harness.newUser());
    const before = jar.copy();
    const response = await app(formPost(jar, "/sign-out", {}));
    expect(response.headers.get("location")).toBe("/sign-in");
    jar.apply(response);
    expect(jar.cookies.size).toBe(0);
    // The old cookies' refresh token is revoked: once their tokens expire they are no session.
    await harness.advance(lifetimeMs + 1_000);
    expect((await app(requestWith(before, "/account"))).headers.get("location")).toBe("/sign-in");
  });
});

describe("refresh-token rotation with no grace period", () => {
  let harness: ServerHarness;
  let app: (request: Request) => Promise<Response>;
  beforeAll(async () => {
    harness = await startServerHarness({ refreshTokenRotation: { enabled: true, gracePeriodSeconds: 0 } });
    app = appFor(harness);
  });
  afterAll(() => harness.stop());

  it("logs nobody out: a burst, and a request that still carries the old token just after, all stay signed in", async () => {
    const clientId = harness.config.userPoolClientId;
    const jar = await signedInJar(app, await harness.newUser());
    const oldRefreshToken = recordIn(jar, clientId)!.refreshToken;
    await harness.advance(lifetimeMs + 1_000);
    const refreshes = harness.refreshCalls();
    const burst = await Promise.all(Array.from({ length: 10 }, () => app(requestWith(jar, "/account"))));
    expect(burst.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(harness.refreshCalls() - refreshes).toBe(1);
    const straggler = await app(requestWith(jar, "/account"));
    expect(straggler.status).toBe(200);
    expect(harness.refreshCalls() - refreshes).toBe(1);
    jar.apply(burst[3]!);
    const rotated = recordIn(jar, clientId)!.refreshToken;
    expect(rotated).not.toBe(oldRefreshToken);
    // The rotated token works for the next refresh.
    await harness.advance(lifetimeMs + 1_000);
    const next = await app(requestWith(jar, "/account"));
    expect(next.status).toBe(200);
    expect(harness.refreshCalls() - refreshes).toBe(2);
  });
});

describe("httpOnly cookie mode", () => {
  let harness: ServerHarness;
  let app: (request: Request) => Promise<Response>;
  beforeAll(async () => {
    harness = await startServerHarness();
    app = appFor(harness, { cookieMode: "httpOnly" });
  });
  afterAll(() => harness.stop());
  const refresh = (request: Request) => handleRefresh(request, harness.config, { cookieMode: "httpOnly", platform: { clock: harness.clock }, cookieOptions: { secure: false } });

  it("keeps the refresh token in an HttpOnly cookie of its own, out of the record page scripts read", async () => {
    const clientId = harness.config.userPoolClientId;
    const jar = createBrowserJar();
    const lines = jar.apply(await app(formPost(jar, "/sign-in", { username: await harness.newUser(), password })));
    const refreshLine = lines.find((line) => line.startsWith(`cogkit.${clientId}.refresh=`))!;
    expect(refreshLine).toMatch(/; HttpOnly/);
    for (const line of lines.filter((l) => l !== refreshLine)) expect(line).not.toMatch(/HttpOnly/);
    expect(recordIn(jar, clientId)).not.toHaveProperty("refreshToken");
    expect(recordIn(jar, clientId)).toHaveProperty("idToken");
  });

  it("refreshes with the HttpOnly refresh token after a browser client removed the expired part it can see", async () => {
    const clientId = harness.config.userPoolClientId;
    const username = await harness.newUser();
    const jar = await signedInJar(app, username);
    for (const name of [...jar.cookies.keys()]) if (name.startsWith(`cogkit.${clientId}.session`)) jar.cookies.delete(name);
    expect([...jar.cookies.keys()]).toEqual([`cogkit.${clientId}.refresh`]);
    await harness.advance(lifetimeMs + 1_000);
    const refreshes = harness.refreshCalls();
    const response = await app(requestWith(jar, "/account"));
    expect(response.status).toBe(200);
    expect((await response.json()).username).toBe(username);
    expect(harness.refreshCalls() - refreshes).toBe(1);
    jar.apply(response);
    expect(recordIn(jar, clientId)).toHaveProperty("idToken");
    // While Cognito is out of reach, nothing is written: the refresh cookie waits for the next request.
    harness.emulator.injectFault("GetTokensFromRefreshToken", { error: "InternalErrorException", status: 500 });
    const onlyRefresh = createBrowserJar({ [`cogkit.${clientId}.refresh`]: jar.cookies.get(`cogkit.${clientId}.refresh`)! });
    await harness.advance(lifetimeMs + 1_000);
    const down = await app(requestWith(onlyRefresh, "/account"));
    expect(down.headers.get("location")).toBe("/sign-in");
    expect(down.headers.getSetCookie()).toEqual([]);
    // A refresh cookie Cognito refuses is no session, and goes.
    const forged = createBrowserJar({ [`cogkit.${clientId}.refresh`]: "not-a-refresh-token" });
    const refused = await app(requestWith(forged, "/account"));
    expect(refused.headers.get("location")).toBe("/sign-in");
    forged.apply(refused);
    expect(forged.cookies.size).toBe(0);
  });

  it("refreshes through the route handler: same-origin POST only", async () => {
    const jar = await signedInJar(app, await harness.newUser());
    await harness.advance(lifetimeMs - 30_000);
    expect((await refresh(requestWith(jar, "/api/auth/refresh"))).status).toBe(405);
    expect((await refresh(requestWith(jar, "/api/auth/refresh", { method: "POST", headers: { origin: "http://evil.test" } }))).status).toBe(403);
    const refreshes = harness.refreshCalls();
    const response = await refresh(requestWith(jar, "/api/auth/refresh", { method: "POST", headers: { origin } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "signedIn", expiresAt: expect.any(Number) });
    expect(harness.refreshCalls() - refreshes).toBe(1);
    expect(jar.apply(response).length).toBeGreaterThan(0);
    expect((await refresh(requestWith(createBrowserJar(), "/api/auth/refresh", { method: "POST" }))).status).toBe(401);
  });
});

describe("sign-in steps on the server", () => {
  let harness: ServerHarness;
  let app: (request: Request) => Promise<Response>;
  beforeAll(async () => {
    harness = await startServerHarness({ auth: defineAuth({ loginWith: { email: true } }) });
    app = appFor(harness);
  });
  afterAll(() => harness.stop());

  it("carries a new-password step across requests in an encrypted httpOnly cookie", async () => {
    const username = `step.${Date.now()}@example.com`;
    harness.emulator.createUser({ username, temporaryPassword: "Temp-pass-1" });
    const jar = createBrowserJar();
    const first = await app(formPost(jar, "/sign-in", { username, password: "Temp-pass-1" }));
    expect(first.headers.get("location")).toBe("/sign-in/step?type=newPasswordRequired");
    const lines = jar.apply(first);
    const stateLine = lines.find((line) => line.startsWith(`cogkit.${harness.config.userPoolClientId}.signin=`))!;
    expect(stateLine).toMatch(/; HttpOnly/);
    expect(stateLine).not.toContain(username);
    // A forged state is no step.
    const forged = jar.copy();
    forged.cookies.set(`cogkit.${harness.config.userPoolClientId}.signin`, "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z");
    expect(await app(formPost(forged, "/sign-in/step", { answer: password })).catch((e) => e.code)).toBe("ERR_NO_PENDING_SIGN_IN");
    // A refused answer keeps the step for another try.
    expect(await app(formPost(jar, "/sign-in/step", { answer: "weak" })).catch((e) => e.code)).toBe("ERR_INVALID_PASSWORD");
    const done = await app(formPost(jar, "/sign-in/step", { answer: password }));
    expect(done.headers.get("location")).toBe("/account");
    jar.apply(done);
    expect([...jar.cookies.keys()].some((name) => name.endsWith(".signin"))).toBe(false);
    expect((await (await app(requestWith(jar, "/account"))).json()).username).toBe(username);
  });

  it("refuses to sign in without a secret of 32 characters, before calling Cognito", async () => {
    const cookies = { getAll: () => [], setAll: () => {} };
    expect(() => createServerClient(harness.config, { cookies, secret: "short" })).toThrow(/at least 32/);
    const server = createServerClient(harness.config, { cookies });
    const calls = harness.emulator.callCount("InitiateAuth");
    await expect(server.signIn({ username: "someone@example.com", password })).rejects.toThrow(/secret/);
    expect(harness.emulator.callCount("InitiateAuth")).toBe(calls);
  });
});

describe("verifyCognitoToken", () => {
  let harness: ServerHarness;
  beforeAll(async () => {
    harness = await startServerHarness();
  });
  afterAll(() => harness.stop());

  it("checks signature, issuer, token use, app client and expiry with WebCrypto", async () => {
    const app = appFor(harness);
    const record = recordIn(await signedInJar(app, await harness.newUser()), harness.config.userPoolClientId)!;
    const { clock, config } = harness;
    const access = String(record.accessToken);
    expect(await verifyCognitoToken(config, access, { tokenUse: "access", clock })).toMatchObject({ token_use: "access", client_id: config.userPoolClientId });
    expect((await failure(verifyCognitoToken(config, access, { tokenUse: "id", clock }))).code).toBe("ERR_TOKEN_INVALID");
    expect((await failure(verifyCognitoToken({ ...config, userPoolClientId: "another" }, access, { tokenUse: "access", clock }))).code).toBe("ERR_TOKEN_INVALID");
    expect((await failure(verifyCognitoToken({ ...config, userPoolId: `${config.region}_Other` }, access, { tokenUse: "access", clock }))).code).not.toBe(undefined);
    await harness.advance(lifetimeMs + 10_000);
    const expired = await verifyCognitoToken(config, access, { tokenUse: "access", clock }).catch((e: unknown) => e);
    expect(isAuthError(expired, "ERR_TOKEN_EXPIRED")).toBe(true);
  });
});
