import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@cogkit/emulator";
import { getCredentials } from "@cogkit/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { confirmedUser, password } from "./support.js";

let emulator: Emulator;
let dir: string;
beforeAll(async () => {
  [emulator, dir] = await Promise.all([
    startEmulator({ quiet: true, clientSecret: true, refreshTokenRotation: { enabled: true } }),
    mkdtemp(join(tmpdir(), "cogkit-secret-")),
  ]);
});
afterAll(async () => {
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
});

it("signs in and refreshes with a client secret taken from COGKIT_CLIENT_SECRET", async () => {
  const email = await confirmedUser(emulator);
  const { clientSecret, ...config } = emulator.config;
  expect(clientSecret).toEqual(expect.any(String));
  const env = { COGKIT_CLIENT_SECRET: clientSecret, COGKIT_USERNAME: email, COGKIT_PASSWORD: password };
  const options = { config: { ...config, clientSecret: undefined }, env, dir, transport: "fetch" as const };
  const first = await getCredentials(options);
  expect(first.authenticated).toBe(true);

  // Expire what the file holds: the next call refreshes (GetTokensFromRefreshToken with the secret).
  const path = join(dir, `default.${config.userPoolClientId}.json`);
  const file = JSON.parse(await readFile(path, "utf8"));
  const sessionKey = `cogkit.${config.userPoolClientId}.session`;
  file.entries[sessionKey] = JSON.stringify({ ...JSON.parse(file.entries[sessionKey]), expiresAt: Date.now() - 1 });
  delete file.entries[`cogkit.${config.identityPoolId}.credentials`];
  await writeFile(path, JSON.stringify(file));
  const refreshes = emulator.callCount("GetTokensFromRefreshToken");
  const signIns = emulator.callCount("InitiateAuth");
  const second = await getCredentials({ ...options, env: { COGKIT_CLIENT_SECRET: clientSecret } });
  expect(second.identityId).toBe(first.identityId);
  expect(emulator.callCount("GetTokensFromRefreshToken")).toBe(refreshes + 1);
  expect(emulator.callCount("InitiateAuth")).toBe(signIns);
});
