import { readFile, rm, writeFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@cogkit/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bundleCli } from "./cli-bundle.js";
import { confirmedUser, deadEndpoint, emulatorEnv, password, runNode, runOnTerminal } from "./support.js";

// The rule: while a caller awaits a result, the process stays alive until that result or a
// clear error; `cogkit credentials` never exits 0 without credentials on stdout.
describe("a Node process awaiting credentials", () => {
  let emulator: Emulator;
  let bundle: { dir: string; cli: string };
  let home: string;
  let profiles = 0;
  const env = (extra: Record<string, string> = {}) => emulatorEnv(emulator, home, `exit${++profiles}`, extra);
  const script = () => join(bundle.dir, "await-credentials-script.js");

  beforeAll(async () => {
    [emulator, bundle, home] = await Promise.all([startEmulator({ quiet: true }), bundleCli(), mkdtemp(join(tmpdir(), "cogkit-exit-"))]);
  });
  afterEach(() => emulator.clearFaults());
  afterAll(async () => {
    await emulator.stop();
    await rm(bundle.dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it("`cogkit credentials` waits out a retried GetId failure and prints the credentials", async () => {
    emulator.injectFault("GetId", { status: 503 });
    const before = emulator.callCount("GetId");
    const result = await runNode(bundle.cli, ["credentials"], env());
    // Nothing about the failure; only that no one is signed in (a guest's credentials).
    expect(result.stderr).toMatch(/^cogkit credentials: nobody is signed in, so these are guest credentials[^\n]*\n$/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.any(String) });
    expect(emulator.callCount("GetId")).toBe(before + 2);
  });

  it("a script awaiting getCredentials() at the top level waits out a retried GetId failure", async () => {
    emulator.injectFault("GetId", { status: 503 });
    const result = await runNode(script(), [], env());
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ accessKeyId: expect.any(String), authenticated: false });
  });

  it("a signed-in script waits out a retried GetCredentialsForIdentity failure, then exits by itself", async () => {
    const email = await confirmedUser(emulator);
    emulator.injectFault("GetCredentialsForIdentity", { error: "TooManyRequestsException" });
    // The session's refresh timer is armed: an idle client must still let the process end.
    const result = await runNode(script(), [], env({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password }));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ authenticated: true });
  });

  it("`cogkit credentials` with Cognito unreachable fails with exit 1 and a message after its retries", async () => {
    const nowhere = await deadEndpoint();
    const result = await runNode(bundle.cli, ["credentials"], env({ COGKIT_USER_POOL_ENDPOINT: nowhere, COGKIT_IDENTITY_POOL_ENDPOINT: nowhere }));
    expect(result.stdout).toBe("");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cogkit credentials: .*(reach|network)/i);
  });

  it("a script awaiting getCredentials() with Cognito unreachable ends with the error, not exit 13", async () => {
    const nowhere = await deadEndpoint();
    const result = await runNode(script(), [], env({ COGKIT_USER_POOL_ENDPOINT: nowhere, COGKIT_IDENTITY_POOL_ENDPOINT: nowhere }));
    expect(result.stdout).toBe("");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/AuthError|ERR_NETWORK|reach/);
  });

  it("with an expired session, `cogkit credentials` and `cogkit tokens` wait out one failed refresh and answer", async () => {
    const email = await confirmedUser(emulator);
    const first = env({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    expect((await runNode(bundle.cli, ["credentials"], first)).code).toBe(0);
    const file = join(home, "cogkit", `${first.COGKIT_PROFILE}.${emulator.config.userPoolClientId}.json`);
    const { COGKIT_PASSWORD: _, ...withoutPassword } = first;
    for (const command of [["credentials"], ["tokens", "--json"]]) {
      const stored = JSON.parse(await readFile(file, "utf8"));
      const sessionKey = `cogkit.${emulator.config.userPoolClientId}.session`;
      stored.entries[sessionKey] = JSON.stringify({ ...JSON.parse(stored.entries[sessionKey]), expiresAt: Date.now() - 1_000 });
      delete stored.entries[`cogkit.${emulator.config.identityPoolId}.credentials`];
      await writeFile(file, JSON.stringify(stored));
      const refreshes = emulator.callCount("GetTokensFromRefreshToken");
      emulator.injectFault("GetTokensFromRefreshToken", { status: 503 });
      const result = await runNode(bundle.cli, command, withoutPassword);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toBeTypeOf("object");
      expect(emulator.callCount("GetTokensFromRefreshToken") - refreshes).toBe(2);
    }
  });

  it("with an expired session and a refresh that keeps failing, `cogkit credentials` exits 1 with the error and keeps the session", async () => {
    const email = await confirmedUser(emulator);
    const first = env({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    expect((await runNode(bundle.cli, ["credentials"], first)).code).toBe(0);
    const file = join(home, "cogkit", `${first.COGKIT_PROFILE}.${emulator.config.userPoolClientId}.json`);
    const stored = JSON.parse(await readFile(file, "utf8"));
    const sessionKey = `cogkit.${emulator.config.userPoolClientId}.session`;
    stored.entries[sessionKey] = JSON.stringify({ ...JSON.parse(stored.entries[sessionKey]), expiresAt: Date.now() - 1_000 });
    delete stored.entries[`cogkit.${emulator.config.identityPoolId}.credentials`];
    await writeFile(file, JSON.stringify(stored));
    emulator.injectFault("GetTokensFromRefreshToken", { status: 503, times: 3 });
    const { COGKIT_PASSWORD: _, ...withoutPassword } = first;
    const failed = await runNode(bundle.cli, ["credentials"], withoutPassword);
    expect(failed.stdout).toBe("");
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^cogkit credentials: /);
    // The session was kept: the next run refreshes it and prints credentials.
    const next = await runNode(bundle.cli, ["credentials"], withoutPassword);
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.any(String) });
  });

  it("a command left with nothing to wait for exits 1 with a message, not 0 with nothing (input ended at the password prompt)", async () => {
    // readline waits for an answer that can no longer come and holds nothing open: the event
    // loop drains with the command unfinished.
    const result = await runOnTerminal(bundle.cli, ["login"], env(), [["Username: ", () => "someone@example.com"]], { endInput: true });
    expect(result.unanswered).toBe(0);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("cogkit: stopped before the command finished");
  });
});
