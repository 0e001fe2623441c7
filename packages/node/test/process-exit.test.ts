import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useCliSuite } from "./cli-suite-support.js";
import { confirmedUser, deadEndpoint, password, runNode, runOnTerminal } from "./support.js";

// The rule: while a caller awaits a result, the process stays alive until that result or a
// clear error; `cogkit credentials` never exits 0 without credentials on stdout.
describe("a Node process awaiting credentials", () => {
  const suite = useCliSuite("exit");
  const env = suite.env;
  const script = () => join(suite.bundle.dir, "await-credentials-script.js");

  it("`cogkit credentials` waits out a retried GetId failure and prints the credentials", async () => {
    suite.emulator.injectFault("GetId", { status: 503 });
    const before = suite.emulator.callCount("GetId");
    const result = await runNode(suite.bundle.cli, ["credentials"], env());
    // Nothing about the failure; only that no one is signed in (a guest's credentials).
    expect(result.stderr).toMatch(/^cogkit credentials: nobody is signed in, so these are guest credentials[^\n]*\n$/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.any(String) });
    expect(suite.emulator.callCount("GetId")).toBe(before + 2);
  });

  it("a script awaiting getCredentials() at the top level waits out a retried GetId failure", async () => {
    suite.emulator.injectFault("GetId", { status: 503 });
    const result = await runNode(script(), [], env());
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ accessKeyId: expect.any(String), authenticated: false });
  });

  it("a signed-in script waits out a retried GetCredentialsForIdentity failure, then exits by itself", async () => {
    const email = await confirmedUser(suite.emulator);
    suite.emulator.injectFault("GetCredentialsForIdentity", { error: "TooManyRequestsException" });
    // The session's refresh timer is armed: an idle client must still let the process end.
    const result = await runNode(script(), [], env({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password }));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ authenticated: true });
  });

  it("`cogkit credentials` with Cognito unreachable fails with exit 1 and a message after its retries", async () => {
    const nowhere = await deadEndpoint();
    const result = await runNode(suite.bundle.cli, ["credentials"], env({ COGKIT_USER_POOL_ENDPOINT: nowhere, COGKIT_IDENTITY_POOL_ENDPOINT: nowhere }));
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
    const email = await confirmedUser(suite.emulator);
    const first = env({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    expect((await runNode(suite.bundle.cli, ["credentials"], first)).code).toBe(0);
    const file = join(suite.home, "cogkit", `${first.COGKIT_PROFILE}.${suite.emulator.config.userPoolClientId}.json`);
    const { COGKIT_PASSWORD: _, ...withoutPassword } = first;
    for (const command of [["credentials"], ["tokens", "--json"]]) {
      const stored = JSON.parse(await readFile(file, "utf8"));
      const sessionKey = `cogkit.${suite.emulator.config.userPoolClientId}.session`;
      stored.entries[sessionKey] = JSON.stringify({ ...JSON.parse(stored.entries[sessionKey]), expiresAt: Date.now() - 1_000 });
      delete stored.entries[`cogkit.${suite.emulator.config.identityPoolId}.credentials`];
      await writeFile(file, JSON.stringify(stored));
      const refreshes = suite.emulator.callCount("GetTokensFromRefreshToken");
      suite.emulator.injectFault("GetTokensFromRefreshToken", { status: 503 });
      const result = await runNode(suite.bundle.cli, command, withoutPassword);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toBeTypeOf("object");
      expect(suite.emulator.callCount("GetTokensFromRefreshToken") - refreshes).toBe(2);
    }
  });

  it("with an expired session and a refresh that keeps failing, `cogkit credentials` exits 1 with the error and keeps the session", async () => {
    const email = await confirmedUser(suite.emulator);
    const first = env({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    expect((await runNode(suite.bundle.cli, ["credentials"], first)).code).toBe(0);
    const file = join(suite.home, "cogkit", `${first.COGKIT_PROFILE}.${suite.emulator.config.userPoolClientId}.json`);
    const stored = JSON.parse(await readFile(file, "utf8"));
    const sessionKey = `cogkit.${suite.emulator.config.userPoolClientId}.session`;
    stored.entries[sessionKey] = JSON.stringify({ ...JSON.parse(stored.entries[sessionKey]), expiresAt: Date.now() - 1_000 });
    delete stored.entries[`cogkit.${suite.emulator.config.identityPoolId}.credentials`];
    await writeFile(file, JSON.stringify(stored));
    suite.emulator.injectFault("GetTokensFromRefreshToken", { status: 503, times: 3 });
    const { COGKIT_PASSWORD: _, ...withoutPassword } = first;
    const failed = await runNode(suite.bundle.cli, ["credentials"], withoutPassword);
    expect(failed.stdout).toBe("");
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^cogkit credentials: /);
    // The session was kept: the next run refreshes it and prints credentials.
    const next = await runNode(suite.bundle.cli, ["credentials"], withoutPassword);
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.any(String) });
  });

  it("a command left with nothing to wait for exits 1 with a message, not 0 with nothing (input ended at the password prompt)", async () => {
    // readline waits for an answer that can no longer come and holds nothing open: the event
    // loop drains with the command unfinished.
    const result = await runOnTerminal(suite.bundle.cli, ["login"], env(), [["Username: ", () => "someone@example.com"]], { endInput: true });
    expect(result.unanswered).toBe(0);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("cogkit: stopped before the command finished");
  });
});
