import { chmod, chown, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAuthError } from "@cogkit/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveMachineSettings, resolveSettings } from "./resolve-settings.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cogkit-settings-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("resolveSettings", () => {
  it("takes options over the environment over the profile's section of the config file, field by field", async () => {
    await writeFile(
      join(dir, "config.json"),
      JSON.stringify({ profiles: { ci: { userPoolId: "eu-west-1_File", userPoolClientId: "file-client", identityPoolId: "eu-west-1:file", username: "file-user" } } }),
    );
    const settings = await resolveSettings({
      dir,
      env: { COGKIT_PROFILE: "ci", COGKIT_CLIENT_ID: "env-client", COGKIT_ALLOW_GUEST_ACCESS: "false", COGKIT_PASSWORD: "pw" },
      config: { identityPoolId: "eu-west-1:option" },
    });
    expect(settings).toEqual({
      config: { region: "eu-west-1", userPoolId: "eu-west-1_File", userPoolClientId: "env-client", identityPoolId: "eu-west-1:option", allowGuestAccess: false },
      username: "file-user",
      password: "pw",
      profile: "ci",
      dir,
    });
  });

  it("names what is missing and where it could come from", async () => {
    const error = await resolveSettings({ dir, env: { COGKIT_USER_POOL_ID: "us-east-1_x" } }).catch((e: unknown) => e);
    expect(isAuthError(error, "ERR_INVALID_CONFIG")).toBe(true);
    expect((error as Error).message).toMatch(/userPoolClientId.*COGKIT_CLIENT_ID.*profile "default"/);
  });

  it("refuses a config file that another user owns or others may write to: it says where passwords go", async () => {
    const file = join(dir, "config.json");
    await writeFile(file, JSON.stringify({ profiles: { default: { userPoolId: "eu-west-1_File", userPoolClientId: "c", userPoolEndpoint: "https://attacker.example" } } }));
    await chmod(file, 0o666);
    let error = await resolveSettings({ dir, env: {} }).catch((e: unknown) => e);
    expect(isAuthError(error, "ERR_INVALID_CONFIG")).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`${file}: it can be written by anyone .*chmod 600`));
    await chmod(file, 0o644);
    await chown(file, (process.getuid?.() ?? 0) + 4242, 0);
    error = await resolveSettings({ dir, env: {} }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/owned by uid \d+, not by you/);
  });

  it("refuses a config file that is not JSON, naming it", async () => {
    await writeFile(join(dir, "config.json"), "{");
    const error = await resolveSettings({ dir, env: {} }).catch((e: unknown) => e);
    expect(isAuthError(error, "ERR_INVALID_CONFIG")).toBe(true);
    expect((error as Error).message).toContain(join(dir, "config.json"));
  });

  it("refuses a key it does not know in the config file, naming it, the file and the keys it knows", async () => {
    const file = join(dir, "config.json");
    await writeFile(file, JSON.stringify({ profiles: { default: { userPoolId: "eu-west-1_F", userPoolClientId: "c", userpoolId: "typo" } } }));
    let error = await resolveSettings({ dir, env: {} }).catch((e: unknown) => e);
    expect(isAuthError(error, "ERR_INVALID_CONFIG")).toBe(true);
    expect((error as Error).message).toContain(`"userpoolId" in profile "default" of ${file}`);
    expect((error as Error).message).toMatch(/known: region, userPoolId, userPoolClientId, .*username/);
    // A password does not belong in a file: the message says where it goes, never its value.
    await writeFile(file, JSON.stringify({ profiles: { default: { userPoolId: "eu-west-1_F", userPoolClientId: "c", password: "hunter2-secret" } } }));
    error = await resolveSettings({ dir, env: {} }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/"password" .*COGKIT_PASSWORD/);
    expect((error as Error).message).not.toContain("hunter2");
    // Beside "profiles", nothing else at the top.
    await writeFile(file, JSON.stringify({ profile: { default: {} } }));
    error = await resolveSettings({ dir, env: { COGKIT_USER_POOL_ID: "eu-west-1_F", COGKIT_CLIENT_ID: "c" } }).catch((e: unknown) => e);
    expect(isAuthError(error, "ERR_INVALID_CONFIG")).toBe(true);
    expect((error as Error).message).toContain(`"profile" at the top of ${file}`);
  });

  it("refuses a config file that was named but is not there, saying who named it; the default one may be missing", async () => {
    const env = { COGKIT_USER_POOL_ID: "eu-west-1_F", COGKIT_CLIENT_ID: "c" };
    await expect(resolveSettings({ dir, env })).resolves.toMatchObject({ config: { userPoolId: "eu-west-1_F" } });
    const missing = join(dir, "nowhere.json");
    let error = await resolveSettings({ dir, env: { ...env, COGKIT_CONFIG_FILE: missing } }).catch((e: unknown) => e);
    expect(isAuthError(error, "ERR_INVALID_CONFIG")).toBe(true);
    expect((error as Error).message).toBe(`The config file ${missing} (COGKIT_CONFIG_FILE) does not exist`);
    error = await resolveSettings({ dir, env, configFile: missing }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`The config file ${missing} (the configFile option) does not exist`);
  });

  it("reads the hosted UI domain and the callback URL like the rest, a bare host name meaning https", async () => {
    await writeFile(join(dir, "config.json"), JSON.stringify({ profiles: { default: { userPoolId: "eu-west-1_F", userPoolClientId: "c", domain: "auth.example.com", callbackUrl: "http://127.0.0.1:8765/cb" } } }));
    expect(await resolveSettings({ dir, env: {} })).toMatchObject({ domain: "https://auth.example.com", callbackUrl: "http://127.0.0.1:8765/cb" });
    expect(await resolveSettings({ dir, env: { COGKIT_DOMAIN: "http://127.0.0.1:9229/" } })).toMatchObject({ domain: "http://127.0.0.1:9229" });
    expect(await resolveSettings({ dir, env: { COGKIT_DOMAIN: "http://127.0.0.1:9229/" }, domain: "https://login.example.com" })).toMatchObject({ domain: "https://login.example.com" });
    for (const wrong of ["ftp://auth.example.com", "https://auth.example.com/?a=1", "https://user:pw@auth.example.com"]) {
      const error = await resolveSettings({ dir, env: { COGKIT_DOMAIN: wrong } }).catch((e: unknown) => e);
      expect(isAuthError(error, "ERR_INVALID_CONFIG")).toBe(true);
      expect((error as Error).message).toMatch(/domain.*COGKIT_DOMAIN/);
      expect((error as Error).message).not.toContain("pw@");
    }
  });

  it("resolves a machine client's id, secret and domain without a user pool id, naming what is missing", async () => {
    const env = { COGKIT_CLIENT_ID: "machine", COGKIT_CLIENT_SECRET: "s3cret", COGKIT_DOMAIN: "auth.example.com" };
    expect(await resolveMachineSettings({ dir, env })).toEqual({ clientId: "machine", clientSecret: "s3cret", domain: "https://auth.example.com", profile: "default", dir });
    const error = await resolveMachineSettings({ dir, env: { ...env, COGKIT_CLIENT_SECRET: "" } }).catch((e: unknown) => e);
    expect(isAuthError(error, "ERR_INVALID_CONFIG")).toBe(true);
    expect((error as Error).message).toMatch(/No clientSecret: pass config.clientSecret, set COGKIT_CLIENT_SECRET/);
  });
});
