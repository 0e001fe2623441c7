import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isAuthError } from "@cogkit/core";
import { type Emulator, startEmulator } from "@cogkit/emulator";
import { getAccessToken, verifyToken } from "@cogkit/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleCli } from "./cli-bundle.js";
import { deadEndpoint, runNode, startCountingProxy } from "./support.js";

const api = "https://api.example.com";
const read = `${api}/read`;
const write = `${api}/write`;

describe("getAccessToken: the client credentials grant, against the emulator over HTTP", () => {
  let emulator: Emulator;
  let machine: NonNullable<Emulator["machineClient"]>;
  // Counts the requests that reach the token endpoint.
  let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
  let bundle: { dir: string; cli: string };
  let home: string;
  let profiles = 0;
  const tokenRequests = () => proxy.count("/oauth2/token");
  /** The settings of the machine client, in a profile of its own. */
  const machineEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
    XDG_CONFIG_HOME: home,
    HOME: home,
    COGKIT_CLIENT_ID: machine.clientId,
    COGKIT_CLIENT_SECRET: machine.clientSecret,
    COGKIT_DOMAIN: proxy.url,
    COGKIT_PROFILE: `m${++profiles}`,
    ...extra,
  });
  const verify = (token: string) =>
    verifyToken(token, { userPoolId: emulator.config.userPoolId, clientId: machine.clientId, tokenUse: "access", issuer: `${emulator.url}/${emulator.config.userPoolId}`, clock: emulator });
  const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("it succeeded"), (error: unknown) => error as Error & { code?: string; retryable?: boolean });

  beforeAll(async () => {
    [emulator, bundle, home] = await Promise.all([
      startEmulator({ quiet: true, resourceServers: [{ identifier: api, scopes: ["read", "write"] }] }),
      bundleCli({ "access-token-script": fileURLToPath(new URL("./access-token-script.ts", import.meta.url)) }),
      mkdtemp(join(tmpdir(), "cogkit-home-")),
    ]);
    machine = emulator.machineClient!;
    proxy = await startCountingProxy(emulator.url);
  });
  afterAll(async () => {
    await Promise.all([emulator.stop(), proxy.close()]);
    await rm(bundle.dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it("gets a token of the machine client with the scopes asked for, which verifies", async () => {
    const before = tokenRequests();
    const token = await getAccessToken({ scopes: [read], env: machineEnv(), clock: emulator });
    expect(tokenRequests() - before).toBe(1);
    expect(token).toEqual({ accessToken: expect.any(String), expiresAt: expect.any(Date), scopes: [read] });
    expect(token.expiresAt.getTime()).toBeGreaterThan(emulator.now() + 5 * 60_000);
    const claims = await verify(token.accessToken);
    expect(claims).toMatchObject({ iss: `${emulator.url}/${emulator.config.userPoolId}`, client_id: machine.clientId, token_use: "access", scope: read });
  });

  it("asked for no scope, gets every scope the client is allowed", async () => {
    const token = await getAccessToken({ env: machineEnv(), clock: emulator });
    expect([...token.scopes].sort()).toEqual([read, write]);
  });

  it("serves the cached token without a request, per set of scopes in any order, until shortly before it expires", async () => {
    const env = machineEnv();
    const first = await getAccessToken({ scopes: [read, write], env, clock: emulator });
    let before = tokenRequests();
    const again = await getAccessToken({ scopes: [write, read], env, clock: emulator });
    expect(again).toEqual(first);
    expect(tokenRequests() - before).toBe(0);
    // Another set of scopes is another token.
    const readOnly = await getAccessToken({ scopes: [read], env, clock: emulator });
    expect(tokenRequests() - before).toBe(1);
    expect(readOnly.accessToken).not.toBe(first.accessToken);

    // Within the last minute of its life, a token is renewed.
    emulator.advanceTime(first.expiresAt.getTime() - emulator.now() - 30_000);
    before = tokenRequests();
    const renewed = await getAccessToken({ scopes: [read, write], env, clock: emulator });
    expect(tokenRequests() - before).toBe(1);
    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(first.expiresAt.getTime());
    await expect(verify(renewed.accessToken)).resolves.toMatchObject({ scope: `${read} ${write}` });
  });

  it("with forceRefresh, asks for a new token even when the cached one is fresh", async () => {
    const env = machineEnv();
    const first = await getAccessToken({ scopes: [read], env, clock: emulator });
    const before = tokenRequests();
    const forced = await getAccessToken({ scopes: [read], env, clock: emulator, forceRefresh: true });
    expect(tokenRequests() - before).toBe(1);
    expect(forced.accessToken).not.toBe(first.accessToken);
  });

  it("keeps the token in the profile's private file, readable by its owner only", async () => {
    const env = machineEnv();
    const token = await getAccessToken({ scopes: [read], env, clock: emulator });
    const file = join(home, "cogkit", `${env.COGKIT_PROFILE}.${machine.clientId}.json`);
    const content = await readFile(file, "utf8");
    expect(content).toContain(token.accessToken);
    expect(content).not.toContain(machine.clientSecret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("makes one token request for processes that start at once, which all get its token", async () => {
    const env = machineEnv();
    const before = tokenRequests();
    const runs = await Promise.all(Array.from({ length: 4 }, () => runNode(join(bundle.dir, "access-token-script.js"), [read], env)));
    const outcomes = runs.map((run) => JSON.parse(run.stdout));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(new Set(outcomes.map((outcome) => outcome.accessToken)).size).toBe(1);
    expect(tokenRequests() - before).toBe(1);
  });

  it("refuses a scope the client may not have with ERR_INVALID_PARAMETER naming it", async () => {
    const error = await failure(getAccessToken({ scopes: [read, `${api}/admin`], env: machineEnv(), clock: emulator }));
    expect(isAuthError(error, "ERR_INVALID_PARAMETER")).toBe(true);
    expect(error.message).toContain(`${api}/admin`);
    expect(error.message).toContain("invalid_scope");
  });

  it("refuses a wrong secret with ERR_NOT_AUTHORIZED, and no message holds the secret", async () => {
    const wrongSecret = `${machine.clientSecret.slice(0, -4)}xxxx`;
    const error = await failure(getAccessToken({ scopes: [read], env: machineEnv({ COGKIT_CLIENT_SECRET: wrongSecret }), clock: emulator }));
    expect(isAuthError(error, "ERR_NOT_AUTHORIZED")).toBe(true);
    expect(error.message).toMatch(/invalid_client/);
    expect(error.message).not.toContain(wrongSecret);
    expect(error.message).not.toContain(machine.clientSecret);
  });

  it("says what is missing when the client secret or the domain is not set", async () => {
    const noSecret = await failure(getAccessToken({ env: machineEnv({ COGKIT_CLIENT_SECRET: "" }) }));
    expect(isAuthError(noSecret, "ERR_INVALID_CONFIG")).toBe(true);
    expect(noSecret.message).toMatch(/No clientSecret.*COGKIT_CLIENT_SECRET/);
    const noDomain = await failure(getAccessToken({ env: machineEnv({ COGKIT_DOMAIN: "" }) }));
    expect(noDomain.message).toMatch(/No domain.*COGKIT_DOMAIN/);
  });

  it("is a retryable ERR_NETWORK when the domain cannot be reached", async () => {
    const error = await failure(getAccessToken({ scopes: [read], env: machineEnv({ COGKIT_DOMAIN: await deadEndpoint() }) }));
    expect(isAuthError(error, "ERR_NETWORK")).toBe(true);
    expect(error.retryable).toBe(true);
  });

  it("is ERR_BAD_RESPONSE for an answer that is not a token, and caches nothing", async () => {
    const env = machineEnv();
    const answers = [{ access_token: "", expires_in: 3600 }, { access_token: "x.y.z" }, { access_token: "x.y.z", expires_in: 3600, token_type: "mac" }, "not json"];
    for (const answer of answers) {
      const fetchAnswer = async () => new Response(typeof answer === "string" ? answer : JSON.stringify(answer), { status: 200 });
      const error = await failure(getAccessToken({ scopes: [read], env, fetch: fetchAnswer }));
      expect(isAuthError(error, "ERR_BAD_RESPONSE")).toBe(true);
    }
    const before = tokenRequests();
    await getAccessToken({ scopes: [read], env, clock: emulator });
    expect(tokenRequests() - before).toBe(1);
  });

  it("throws a TypeError at once for a scope that is not a scope name", async () => {
    await expect(getAccessToken({ scopes: ["two words"], env: machineEnv() })).rejects.toThrow(TypeError);
    await expect(getAccessToken({ scopes: [""], env: machineEnv() })).rejects.toThrow(/scopes\[0\]/);
    await expect(getAccessToken({ scopes: read as unknown as string[], env: machineEnv() })).rejects.toThrow(TypeError);
  });

  it("cogkit access-token prints the token, or its JSON with --json", async () => {
    const env = machineEnv();
    const plain = await runNode(bundle.cli, ["access-token", "--scopes", `${read} ${write}`], env);
    expect(plain).toMatchObject({ code: 0, stderr: "" });
    const token = plain.stdout.trim();
    await expect(verify(token)).resolves.toMatchObject({ client_id: machine.clientId });
    const json = await runNode(bundle.cli, ["access-token", "--scopes", `${write},${read}`, "--json"], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ accessToken: token, expiresAt: expect.stringMatching(/Z$/), scopes: expect.arrayContaining([read, write]) });
    const refused = await runNode(bundle.cli, ["access-token", "--scopes", `${api}/admin`], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/invalid_scope/);
    // What is typed in the wrong place may be a secret: it is not repeated.
    const malformed = await runNode(bundle.cli, ["access-token", "--scopes", 'Hunter"2'], env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/--scopes: a scope name is printable ASCII/);
    expect(malformed.stderr).not.toContain("Hunter");
    const wrong = await runNode(bundle.cli, ["access-token"], { ...env, COGKIT_CLIENT_SECRET: "not-the-secret" });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).not.toContain("not-the-secret");
  });
});
