// A pool that tracks devices binds a session's refresh token to the device it signed in on,
// and Cognito refuses to refresh for a device that was never confirmed. The CLI and
// getCredentials confirm the device themselves, so such a session outlives its access token.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createAuthClient, createMemoryStorage, defineAuth } from "@cogkit/core";
import { describe, expect, it } from "vitest";
import { useCliSuite } from "./cli-suite-support.js";
import { newEmail, password, runNode, runOnTerminal } from "./support.js";

describe("cogkit on a pool that tracks devices", () => {
  const suite = useCliSuite("devices", {
    auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "REQUIRED", sms: true } }),
    deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true },
  });

  it("keeps the session through a refresh after the access token expires", async () => {
    const { emulator } = suite;
    const email = newEmail("device");
    const client = createAuthClient(emulator.config, { platform: { storage: createMemoryStorage() } });
    await client.signUp({ username: email, password, attributes: { email, phone_number: "+15555550177" } });
    await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
    client.dispose();
    const env = suite.env();

    const login = await runOnTerminal(suite.bundle.cli, ["login", "--username", email], env, [
      ["Password: ", () => password],
      ["Sign-in code: ", () => emulator.outbox.latest(email)!.code],
    ]);
    expect(login).toMatchObject({ code: 0, unanswered: 0 });

    // Expire the session the profile holds: the next call must refresh, naming the confirmed device.
    const path = join(suite.home, "cogkit", `${env.COGKIT_PROFILE}.${emulator.config.userPoolClientId}.json`);
    const file = JSON.parse(await readFile(path, "utf8"));
    const sessionKey = `cogkit.${emulator.config.userPoolClientId}.session`;
    file.entries[sessionKey] = JSON.stringify({ ...JSON.parse(file.entries[sessionKey]), expiresAt: Date.now() - 1 });
    await writeFile(path, JSON.stringify(file));
    const refreshes = emulator.callCount("GetTokensFromRefreshToken");
    const credentials = await runNode(suite.bundle.cli, ["credentials"], env);
    expect(credentials.stderr).toBe("");
    expect(credentials.code).toBe(0);
    expect(JSON.parse(credentials.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.any(String) });
    expect(emulator.callCount("GetTokensFromRefreshToken")).toBe(refreshes + 1);
  }, 60_000);
});
