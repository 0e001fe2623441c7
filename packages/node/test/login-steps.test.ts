import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuthClient, createMemoryStorage, defineAuth, setUpTotp, updateMfaPreference, verifyTotpSetup } from "@cogkit/core";
import { type Emulator, startEmulator } from "@cogkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleCli } from "./cli-bundle.js";
import { newEmail, password, runNode, runOnTerminal as runCliOnTerminal } from "./support.js";

const temporaryPassword = "Temp-pass-1";
const newPassword = "N3w-Battery-Staple";
const phone = "+15555550123";
/** A six-digit code that is not `code`. */
const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

describe("cogkit login takes every sign-in step, against the emulator", () => {
  let bundle: { dir: string; cli: string };
  const runOnTerminal = (args: string[], env: Record<string, string>, answers: Array<[prompt: string, answer: (shown: string) => string]>) =>
    runCliOnTerminal(bundle.cli, args, env, answers);
  let home: string;
  let profiles = 0;
  // Optional MFA for users who turn it on, and a pool that asks new users for given_name.
  let optional: Emulator;
  // Every user must have an authenticator app.
  let required: Emulator;

  beforeAll(async () => {
    [bundle, home, optional, required] = await Promise.all([
      bundleCli(),
      mkdtemp(join(tmpdir(), "cogkit-home-")),
      startEmulator({
        quiet: true,
        auth: defineAuth({ loginWith: { email: true }, userAttributes: { givenName: { required: true, mutable: true } }, multifactor: { mode: "OPTIONAL", sms: true, totp: true, email: true } }),
      }),
      startEmulator({ quiet: true, auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "REQUIRED", totp: true } }) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([optional.stop(), required.stop()]);
    await rm(bundle.dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  const cogkitEnv = (emulator: Emulator): Record<string, string> => ({
    XDG_CONFIG_HOME: home,
    HOME: home,
    COGKIT_REGION: emulator.config.region,
    COGKIT_USER_POOL_ID: emulator.config.userPoolId,
    COGKIT_CLIENT_ID: emulator.config.userPoolClientId,
    COGKIT_USER_POOL_ENDPOINT: emulator.url,
    COGKIT_PROFILE: `steps${++profiles}`,
  });

  /** A confirmed user of `emulator`, signed in on a client of the test's own. */
  async function signedInUser(emulator: Emulator, attributes: Record<string, string> = {}) {
    const client = createAuthClient(emulator.config, { platform: { storage: createMemoryStorage() } });
    const email = newEmail("steps");
    await client.signUp({ username: email, password, attributes: { email, ...attributes } });
    await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
    return { client, email };
  }

  const run = (args: string[], env: Record<string, string>, input: string) => runNode(bundle.cli, args, env, input);


  const whoami = async (env: Record<string, string>) => JSON.parse((await run(["whoami", "--json"], env, "")).stdout);

  it("sets a new password (typed twice, hidden) and the required attribute for a user with a temporary password", async () => {
    const email = newEmail("temporary");
    optional.createUser({ username: email, temporaryPassword });
    const env = cogkitEnv(optional);
    const result = await runOnTerminal(["login", "--username", email], env, [
      ["Password: ", () => temporaryPassword],
      ["given_name: ", () => "Ana"],
      ["New password: ", () => newPassword],
      ["Repeat new password: ", () => newPassword],
    ]);
    expect(result).toMatchObject({ code: 0, unanswered: 0 });
    expect(result.stdout).toContain("A new password is required.");
    expect(result.stdout).toContain(`Signed in as ${email}`);
    expect(result.stdout).not.toContain(newPassword);
    expect(result.stdout).not.toContain(temporaryPassword);
    expect(await whoami(env)).toMatchObject({ email, profile: env.COGKIT_PROFILE });
    // The new password is the one that now signs in.
    const again = await run(["login", "--username", email, "--password-stdin"], cogkitEnv(optional), `${newPassword}\n`);
    expect(again.code).toBe(0);
  });

  it("says where the SMS code went (masked) and takes the code from the emulator's outbox", async () => {
    const { client, email } = await signedInUser(optional, { given_name: "Bo", phone_number: phone });
    await client.signIn({ username: email, password });
    await updateMfaPreference(client, { sms: "enabled" });
    client.dispose();
    const env = cogkitEnv(optional);
    const result = await runOnTerminal(["login", "--username", email], env, [
      ["Password: ", () => password],
      ["Sign-in code: ", () => optional.outbox.latest(email)!.code],
    ]);
    expect(result).toMatchObject({ code: 0, unanswered: 0 });
    expect(optional.outbox.latest(email)).toMatchObject({ kind: "mfa", deliveryMedium: "SMS" });
    expect(result.stdout).toContain("A sign-in code was sent by SMS to +*******0123.");
    expect(result.stdout).not.toContain(phone);
    expect(await whoami(env)).toMatchObject({ email });
  });

  it("with --password-stdin, a step that needs more input fails with exit code 5 at once", async () => {
    const { client, email } = await signedInUser(optional, { given_name: "Cy", phone_number: phone });
    await client.signIn({ username: email, password });
    await updateMfaPreference(client, { sms: "enabled" });
    client.dispose();
    const env = cogkitEnv(optional);
    const result = await run(["login", "--username", email, "--password-stdin"], env, `${password}\n`);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/needs a code sent by SMS and there is no terminal/);
    expect((await run(["whoami"], env, "")).code).toBe(3);
  });

  it("gives up after three wrong codes with exit code 4", async () => {
    const { client, email } = await signedInUser(optional, { given_name: "Di", phone_number: phone });
    await client.signIn({ username: email, password });
    await updateMfaPreference(client, { sms: "enabled" });
    client.dispose();
    const env = cogkitEnv(optional);
    const result = await runOnTerminal(["login", "--username", email], env, [
      ["Password: ", () => password],
      ...[1, 2, 3].map((): [string, () => string] => ["Sign-in code: ", () => wrong(optional.outbox.latest(email)!.code)]),
    ]);
    expect(result).toMatchObject({ code: 4, unanswered: 0 });
    expect(result.stdout.match(/Wrong code; try again\./g)).toHaveLength(2);
    expect((await run(["whoami"], env, "")).code).toBe(3);
  });

  it("asks which second factor when several are on, then that factor's code", async () => {
    const { client, email } = await signedInUser(optional, { given_name: "Ed", phone_number: phone });
    await client.signIn({ username: email, password });
    const { sharedSecret } = await setUpTotp(client);
    await verifyTotpSetup(client, { code: optional.totp(sharedSecret) });
    await updateMfaPreference(client, { sms: "enabled", totp: "enabled" });
    client.dispose();
    const env = cogkitEnv(optional);
    const result = await runOnTerminal(["login", "--username", email], env, [
      ["Password: ", () => password],
      ["Choose 1-2: ", () => "totp"],
      ["Code from the authenticator app: ", () => optional.totp(sharedSecret)],
    ]);
    expect(result).toMatchObject({ code: 0, unanswered: 0 });
    expect(result.stdout).toMatch(/Which second factor\?\r\n {2}1\) SMS\r\n {2}2\) authenticator app \(TOTP\)/);
    expect(await whoami(env)).toMatchObject({ email });
  });

  it("documents exit code 5 in --help", async () => {
    const help = await run(["--help"], {}, "");
    expect(help.stdout).toMatch(/ 5 {2}sign-in needs a further step/);
    expect(help.stdout).toMatch(/otpauth:\/\/ URI/);
  });

  it("sets up an authenticator app during sign-in (a wrong first code is asked again); a later login asks for its code", async () => {
    const { client, email } = await signedInUser(required);
    client.dispose();
    const secretShown = (shown: string) => /secret=([A-Z2-7]+)&issuer=cogkit/.exec(shown)![1]!;
    let secret = "";
    const env = cogkitEnv(required);
    const setup = await runOnTerminal(["login", "--username", email], env, [
      ["Password: ", () => password],
      ["Code from the authenticator app: ", (shown) => wrong(required.totp((secret = secretShown(shown))))],
      ["Code from the authenticator app: ", () => required.totp(secret)],
    ]);
    expect(setup).toMatchObject({ code: 0, unanswered: 0 });
    expect(setup.stdout).toMatch(new RegExp(`otpauth://totp/cogkit:${encodeURIComponent(email)}\\?secret=${secret}&issuer=cogkit`));
    expect(setup.stdout).toContain(`by hand:\r\n  ${secret}\r\n`);
    expect(setup.stdout).toContain("Wrong code; try again.");
    expect(setup.stdout).toContain(`Signed in as ${email}`);

    const later = cogkitEnv(required);
    const login = await runOnTerminal(["login", "--username", email], later, [
      ["Password: ", () => password],
      ["Code from the authenticator app: ", () => required.totp(secret)],
    ]);
    expect(login).toMatchObject({ code: 0, unanswered: 0 });
    expect(login.stdout).not.toContain("otpauth://");
    expect(await whoami(later)).toMatchObject({ email });
  });
});
