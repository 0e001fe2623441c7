import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { fromProcess } from "@aws-sdk/credential-provider-process";
import { type Emulator, startEmulator } from "@cogkit/emulator";
import { getCredentials, cognitoCredentials, verifyToken } from "@cogkit/node";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bundleCli } from "./cli-bundle.js";
import { createAuthClient, createMemoryStorage } from "@cogkit/core";
import { confirmedUser, emulatorEnv, newEmail, password, type Run, runNode, runOnTerminal as runCliOnTerminal } from "./support.js";

const run = runNode;

describe("credentials across processes, against the emulator over HTTP", () => {
  let emulator: Emulator;
  let bundle: { dir: string; cli: string };
  const runOnTerminal = (args: string[], env: Record<string, string>, answers: Array<[prompt: string, answer: (shown: string) => string]>) =>
    runCliOnTerminal(bundle.cli, args, env, answers);
  let home: string;
  let profiles = 0;
  const cogkitEnv = (extra: Record<string, string> = {}) => emulatorEnv(emulator, home, `p${++profiles}`, extra);
  const sessionFile = (env: Record<string, string>) => join(home, "cogkit", `${env.COGKIT_PROFILE}.${emulator.config.userPoolClientId}.json`);
  const calls = () =>
    Object.fromEntries(
      ["InitiateAuth", "RespondToAuthChallenge", "GetTokensFromRefreshToken", "GetId", "GetCredentialsForIdentity"].map((op) => [op, emulator.callCount(op)]),
    );
  const delta = (before: Record<string, number>) => {
    const after = calls();
    return Object.fromEntries(Object.entries(after).map(([op, n]) => [op, n - before[op]!]));
  };
  /** Makes the stored session's tokens and the cached credentials look expired to the next process. */
  async function expireStored(env: Record<string, string>) {
    const file = JSON.parse(await readFile(sessionFile(env), "utf8"));
    const key = `cogkit.${emulator.config.userPoolClientId}.session`;
    const session = JSON.parse(file.entries[key]);
    file.entries[key] = JSON.stringify({ ...session, expiresAt: Date.now() - 1_000 });
    const credentialsKey = `cogkit.${emulator.config.identityPoolId}.credentials`;
    file.entries[credentialsKey] = JSON.stringify({ ...JSON.parse(file.entries[credentialsKey]), expiration: Date.now() - 1_000 });
    await writeFile(sessionFile(env), JSON.stringify(file));
    return session.refreshToken as string;
  }

  beforeAll(async () => {
    [emulator, bundle, home] = await Promise.all([
      startEmulator({ quiet: true, refreshTokenRotation: { enabled: true, gracePeriodSeconds: 0 } }),
      bundleCli(),
      mkdtemp(join(tmpdir(), "cogkit-home-")),
    ]);
  });
  afterAll(async () => {
    await emulator.stop();
    await rm(bundle.dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it("signs in on the first run and persists (0600); a second process reuses the file without a request", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    let before = calls();
    const first = await run(bundle.cli, ["credentials"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const output = JSON.parse(first.stdout);
    expect(output).toEqual({
      Version: 1,
      AccessKeyId: expect.any(String),
      SecretAccessKey: expect.any(String),
      SessionToken: expect.any(String),
      Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(delta(before)).toMatchObject({ InitiateAuth: 1, RespondToAuthChallenge: 1, GetId: 1, GetCredentialsForIdentity: 1 });
    expect((await stat(sessionFile(env))).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, "cogkit"))).mode & 0o777).toBe(0o700);

    before = calls();
    const second = await run(bundle.cli, ["credentials"], env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(output);
    expect(delta(before)).toEqual({ InitiateAuth: 0, RespondToAuthChallenge: 0, GetTokensFromRefreshToken: 0, GetId: 0, GetCredentialsForIdentity: 0 });

    // A script's getCredentials() in yet another process: the same identity, authenticated.
    const script = await run(join(bundle.dir, "get-credentials-script.js"), [], env);
    expect(JSON.parse(script.stdout)).toMatchObject({ ok: true, accessKeyId: output.AccessKeyId, authenticated: true });
  });

  it("warm, loads no package at all: the same bundle runs where no node_modules can be found", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    expect((await run(bundle.cli, ["credentials"], env)).code).toBe(0);
    const isolated = await mkdtemp(join(tmpdir(), "cogkit-isolated-"));
    try {
      await cp(bundle.dir, isolated, { recursive: true });
      const warm = await run(join(isolated, "cli.js"), ["credentials"], env);
      expect(warm.stderr).toBe("");
      expect(warm.code).toBe(0);
      // And the check can fail: no package can be found from there (the CLI's own cold run
      // needs none either, since it uses the fetch transport).
      await writeFile(join(isolated, "probe.mjs"), 'await import("@aws-sdk/client-cognito-identity-provider");\n');
      const probe = await run(join(isolated, "probe.mjs"), [], env);
      expect(probe.code).not.toBe(0);
      expect(probe.stderr).toMatch(/Cannot find (package|module)/);
    } finally {
      await rm(isolated, { recursive: true, force: true });
    }
  });

  it("8 processes at once with an expired access token and rotation (grace 0): all get credentials, one refresh, nobody signed out", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    expect((await run(bundle.cli, ["credentials"], env)).code).toBe(0);
    const oldRefreshToken = await expireStored(env);
    // No password from here on: a process that lost the session could not sign in again unseen.
    const { COGKIT_PASSWORD: _, ...withoutPassword } = env;
    const before = calls();
    const runs = await Promise.all(Array.from({ length: 8 }, () => run(bundle.cli, ["credentials"], withoutPassword)));
    for (const result of runs) {
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).Version).toBe(1);
    }
    expect(delta(before)).toEqual({ InitiateAuth: 0, RespondToAuthChallenge: 0, GetTokensFromRefreshToken: 1, GetId: 0, GetCredentialsForIdentity: 1 });
    // The rotated refresh token was kept, and it works: the session lives on.
    const rotated = await expireStored(env);
    expect(rotated).not.toBe(oldRefreshToken);
    const after = await run(bundle.cli, ["credentials"], withoutPassword);
    expect(after.code).toBe(0);
    expect(emulator.callCount("GetTokensFromRefreshToken")).toBe(before.GetTokensFromRefreshToken! + 2);
  });

  it("8 processes asking for tokens at once refresh once, through the file lock and the re-read session file", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    expect((await run(bundle.cli, ["credentials"], env)).code).toBe(0);
    await expireStored(env);
    const { COGKIT_PASSWORD: _, ...withoutPassword } = env;
    const before = calls();
    const runs = await Promise.all(Array.from({ length: 8 }, () => run(bundle.cli, ["tokens", "--access"], withoutPassword)));
    expect(runs.map((result) => result.code)).toEqual(Array(8).fill(0));
    expect(new Set(runs.map((result) => result.stdout)).size).toBe(1);
    expect(delta(before)).toMatchObject({ InitiateAuth: 0, GetTokensFromRefreshToken: 1 });
  });

  it("says the session ended (exit 3) instead of handing out a guest's credentials when the refresh is refused", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    expect((await run(bundle.cli, ["credentials"], env)).code).toBe(0);
    // Signed in under another profile, the user signs out everywhere: every token is revoked.
    const other = cogkitEnv({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    expect((await run(bundle.cli, ["credentials"], other)).code).toBe(0);
    expect((await run(bundle.cli, ["logout", "--global"], other)).code).toBe(0);
    await expireStored(env);
    const { COGKIT_PASSWORD: _, ...withoutPassword } = env;
    const before = calls();
    const result = await run(bundle.cli, ["credentials"], withoutPassword);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/has ended; run `cogkit login --profile p\d+`/);
    expect(result.stdout).toBe("");
    expect(delta(before)).toMatchObject({ GetTokensFromRefreshToken: 1, GetCredentialsForIdentity: 0 });
  });

  it("reads a corrupted file as no session, with a message that names it", async () => {
    const env = cogkitEnv();
    const file = sessionFile(env);
    await mkdir(join(home, "cogkit"), { recursive: true });
    await writeFile(file, "{ not json", { mode: 0o600 });
    const result = await run(bundle.cli, ["whoami"], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file} is not a cogkit session file (corrupted?)`);
    expect(result.stderr).toMatch(/cogkit whoami: .*run cogkit login/);
  });

  it("logout leaves no token on disk, not even in a temporary file that a crashed writer left", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    const printed = JSON.parse((await run(bundle.cli, ["credentials"], env)).stdout);
    const file = sessionFile(env);
    const stored = await readFile(file, "utf8");
    const { refreshToken } = JSON.parse(JSON.parse(stored).entries[`cogkit.${emulator.config.userPoolClientId}.session`]);
    // A writer killed between writing its temporary file and renaming it over the session file.
    await writeFile(`${file}.4194303.0badf00d.tmp`, stored, { mode: 0o600 });
    const { COGKIT_USERNAME: _, COGKIT_PASSWORD: __, ...signedIn } = env;
    const logout = await run(bundle.cli, ["logout"], signedIn);
    expect(logout.code).toBe(0);
    const dir = join(home, "cogkit");
    const left = (await readdir(dir)).filter((name) => name.startsWith(`${env.COGKIT_PROFILE}.`));
    for (const name of left) {
      const text = await readFile(join(dir, name), "utf8");
      for (const secret of [refreshToken, printed.SecretAccessKey, printed.SessionToken]) expect(text).not.toContain(secret);
    }
    expect(left.filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses a session file that others may write to (exit 2), naming it and the fix", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    expect((await run(bundle.cli, ["credentials"], env)).code).toBe(0);
    await chmod(sessionFile(env), 0o666);
    const result = await run(bundle.cli, ["credentials"], env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`cogkit credentials: cogkit will not use the file ${sessionFile(env)}: it can be written by anyone (mode 666); run chmod 600`);
    await chmod(sessionFile(env), 0o600);
  });

  describe("a profile someone signed in to never silently turns guest", () => {
    const sessionEntry = () => `cogkit.${emulator.config.userPoolClientId}.session`;
    /** A profile signed in with `cogkit login` (no user configured), then `change`d on disk. */
    async function signedInProfile(change: (entries: Record<string, string>) => void, options: { credentialsFirst?: boolean } = {}) {
      const email = await confirmedUser(emulator);
      const env = cogkitEnv();
      expect((await run(bundle.cli, ["login", "--username", email, "--password-stdin"], env, `${password}\n`)).code).toBe(0);
      if (options.credentialsFirst) expect(JSON.parse((await run(bundle.cli, ["credentials"], env)).stdout).Version).toBe(1);
      const file = JSON.parse(await readFile(sessionFile(env), "utf8"));
      change(file.entries);
      await writeFile(sessionFile(env), JSON.stringify(file));
      return env;
    }
    const expectRefused = (result: Run, profile: string) => {
      expect(result.stdout).toBe("");
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`run \`cogkit login --profile ${profile}\``);
    };

    it("refuses (exit 3, run cogkit login) when the session record is corrupt", async () => {
      const env = await signedInProfile((entries) => (entries[sessionEntry()] = "{ not a session"));
      const before = calls();
      expectRefused(await run(bundle.cli, ["credentials"], env), env.COGKIT_PROFILE!);
      expect(delta(before)).toMatchObject({ GetId: 0, GetCredentialsForIdentity: 0 });
    });

    it("refuses when the session record is missing but credentials of the user are cached", async () => {
      const env = await signedInProfile((entries) => delete entries[sessionEntry()], { credentialsFirst: true });
      expectRefused(await run(bundle.cli, ["credentials"], env), env.COGKIT_PROFILE!);
    });

    it("refuses when the session record is missing right after login, before any credentials", async () => {
      const env = await signedInProfile((entries) => delete entries[sessionEntry()]);
      expectRefused(await run(bundle.cli, ["credentials"], env), env.COGKIT_PROFILE!);
    });

    it("refuses in a script's getCredentials() too, with ERR_NOT_SIGNED_IN", async () => {
      const env = await signedInProfile((entries) => (entries[sessionEntry()] = JSON.stringify({ v: 99 })));
      const result = await run(join(bundle.dir, "get-credentials-script.js"), [], env);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, code: "ERR_NOT_SIGNED_IN", message: expect.stringContaining("cogkit login") });
    });

    it("refuses when the whole session file is unreadable: nobody can tell that no one signed in", async () => {
      const env = await signedInProfile(() => undefined);
      await writeFile(sessionFile(env), "{ not json", { mode: 0o600 });
      const result = await run(bundle.cli, ["credentials"], env);
      expectRefused(result, env.COGKIT_PROFILE!);
      expect(result.stderr).toContain("is not a cogkit session file");
    });

    it("gives guest credentials again after cogkit logout", async () => {
      const env = await signedInProfile((entries) => delete entries[sessionEntry()], { credentialsFirst: true });
      expect((await run(bundle.cli, ["logout"], env)).code).toBe(0);
      const result = await run(bundle.cli, ["credentials"], env);
      expect(result.stderr).toMatch(/^cogkit credentials: nobody is signed in, so these are guest credentials/);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).Version).toBe(1);
      expect((await getCredentials({ env })).authenticated).toBe(false);
    });
  });

  it("gives a guest's credentials when no user is configured and the pool allows guests", async () => {
    const env = cogkitEnv();
    const credentials = await getCredentials({ env });
    expect(credentials.authenticated).toBe(false);
    const again = await getCredentials({ env });
    expect(again).toEqual(credentials);
  });

  it("logs in with --password-stdin, refuses without a terminal otherwise, and whoami / tokens / logout follow", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv();
    const refused = await run(bundle.cli, ["login", "--username", email], env, `${password}\n`);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--password-stdin/);
    const wrong = await run(bundle.cli, ["login", "--username", email, "--password-stdin"], env, "Wr0ng-password!\n");
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).not.toContain("Wr0ng");
    const login = await run(bundle.cli, ["login", "--username", email, "--password-stdin", "--json"], env, `${password}\n`);
    expect(login.code).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ email });
    const whoami = await run(bundle.cli, ["whoami", "--json"], env);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ email, profile: env.COGKIT_PROFILE });
    const access = await run(bundle.cli, ["tokens", "--access"], env);
    const claims = await verifyToken(access.stdout.trim(), {
      userPoolId: emulator.config.userPoolId,
      clientId: emulator.config.userPoolClientId,
      tokenUse: "access",
      issuer: `${emulator.url}/${emulator.config.userPoolId}`,
    });
    expect(claims.token_use).toBe("access");
    expect((await run(bundle.cli, ["logout"], env)).code).toBe(0);
    const after = await run(bundle.cli, ["whoami"], env);
    expect(after.code).toBe(3);
  });


  it("logs in on a terminal: prompts for username and password, never echoing the password", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv();
    const result = await runOnTerminal(["login"], env, [
      ["Username: ", () => email],
      ["Password: ", () => password],
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(email);
    expect(result.stdout).toContain(`Signed in as ${email}`);
    expect(result.stdout).not.toContain(password);
    expect(JSON.parse((await run(bundle.cli, ["whoami", "--json"], env)).stdout)).toMatchObject({ email });
  });

  it("on a terminal, takes an unconfirmed account through its confirmation code", async () => {
    const email = newEmail("unconfirmed");
    const signUp = createAuthClient(emulator.config, { platform: { storage: createMemoryStorage() } });
    await signUp.signUp({ username: email, password, attributes: { email } });
    const env = cogkitEnv();
    const result = await runOnTerminal(["login", "--username", email], env, [
      ["Password: ", () => password],
      ["Confirmation code: ", () => emulator.outbox.latest(email)!.code],
    ]);
    expect(result.stdout).toContain("not confirmed");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Signed in as ${email}`);
  });

  it("documents its exit codes in --help, and exits 2 for an unknown command", async () => {
    const help = await run(bundle.cli, ["--help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*0 {2}success[\s\S]*3 {2}not signed in/);
    const unknown = await run(bundle.cli, ["fly"], {});
    expect(unknown.code).toBe(2);
    const noConfig = await run(bundle.cli, ["credentials"], { XDG_CONFIG_HOME: home });
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toMatch(/COGKIT_USER_POOL_ID/);
  });

  it("feeds the AWS SDK's credential_process provider, whose credentials sign a GetCallerIdentity the emulator accepts", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    const configFile = join(home, `aws-config-${env.COGKIT_PROFILE}`);
    const envPrefix = Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    await writeFile(configFile, `[profile cogkit]\ncredential_process = env ${envPrefix} ${process.execPath} ${bundle.cli} credentials\n`);
    const credentials = fromProcess({ profile: "cogkit", configFilepath: configFile, filepath: join(home, "no-credentials-file") });
    const sts = new STSClient({ region: emulator.config.region, endpoint: emulator.url, credentials });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toMatch(/^arn:aws:sts::\d{12}:assumed-role\/.+\/CognitoIdentityCredentials$/);
    // Signed with other keys, the emulator refuses.
    const forged = new STSClient({ region: emulator.config.region, endpoint: emulator.url, credentials: { ...(await credentials()), secretAccessKey: "x".repeat(40) } });
    await expect(forged.send(new GetCallerIdentityCommand({}))).rejects.toThrow();
  });

  it("hands out cached credentials as a plain object that an AWS SDK client can sign with", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    const first = await getCredentials({ env });
    const before = calls();
    const cached = await getCredentials({ env });
    expect(delta(before)).toMatchObject({ GetCredentialsForIdentity: 0 });
    expect(cached.accessKeyId).toBe(first.accessKeyId);
    // The SDK writes onto the credentials it is given (its feature markers), as its own providers allow.
    expect(Object.isFrozen(cached)).toBe(false);
    const sts = new STSClient({ region: emulator.config.region, endpoint: emulator.url, credentials: cached, maxAttempts: 1 });
    try {
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      expect(identity.Arn).toMatch(/assumed-role\/.+\/CognitoIdentityCredentials$/);
    } finally {
      sts.destroy();
    }
  });

  it("cognitoCredentials() serves an AWS SDK client and keeps the credentials between calls", async () => {
    const email = await confirmedUser(emulator);
    const env = cogkitEnv({ COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
    const provider = cognitoCredentials({ env });
    const sts = new STSClient({ region: emulator.config.region, endpoint: emulator.url, credentials: provider });
    const before = calls();
    await sts.send(new GetCallerIdentityCommand({}));
    await sts.send(new GetCallerIdentityCommand({}));
    expect(delta(before)).toMatchObject({ InitiateAuth: 1, GetCredentialsForIdentity: 1 });
    const { expiration } = await provider();
    expect(expiration!.getTime()).toBeGreaterThan(Date.now() + 5 * 60_000);
    // Within five minutes of their expiry, the provider asks again (file first, then Cognito).
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(expiration!.getTime() - 4 * 60_000);
      const renewed = await provider();
      expect(renewed.expiration!.getTime()).toBeGreaterThan(expiration!.getTime());
      expect(delta(before)).toMatchObject({ InitiateAuth: 1, GetCredentialsForIdentity: 2 });
    } finally {
      vi.useRealTimers();
    }
  });
});
