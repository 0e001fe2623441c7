// `cogkit attributes` as a process against the emulator: print, --set (with the code an
// email change waits for), --verify; and arguments it refuses without repeating them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineAuth } from "@cogkit/core";
import { type Emulator, startEmulator } from "@cogkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleCli } from "./cli-bundle.js";
import { cliHere, confirmedUser, emulatorEnv, newEmail, password, runNode, runOnTerminal } from "./support.js";

const secret = "Hunter2-Secret!";
/** A six-digit code that is not `code`. */
const wrong = (code: string) => (code === "000000" ? "111111" : "000000");


describe("cogkit attributes' arguments", () => {
  it.each([
    [["attributes", "--set", secret], /--set number 1 is not name=value/],
    [["attributes", "--set", "given_name=Ana", "--set", `${secret}=x`], /--set number 2 is not name=value/],
    [["attributes", "--verify", secret, "--code", "123456"], /--verify takes email or phone_number/],
    [["attributes", "--code", secret], /--code goes with --verify/],
    [["attributes", "--set", "given_name=Ana", "--verify", "email"], /--set and --verify go one at a time/],
    [["attributes", "--verify", "email"], /--verify needs --code/],
    [["attributes", secret], /attributes takes no argument 2 .*not shown/],
  ])("refuses %j (exit 2) without echoing the unexpected part", async (argv, reason) => {
    const { code, stdout, stderr } = await cliHere(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(reason);
    expect(stdout + stderr).not.toContain("Hunter2");
  });
});

describe("cogkit attributes against the emulator", () => {
  let bundle: { dir: string; cli: string };
  let home: string;
  let emulator: Emulator;
  let profiles = 0;

  beforeAll(async () => {
    [bundle, home, emulator] = await Promise.all([
      bundleCli(),
      mkdtemp(join(tmpdir(), "cogkit-home-")),
      startEmulator({
        quiet: true,
        auth: defineAuth({
          loginWith: { email: true },
          userAttributes: { givenName: { mutable: true }, "custom:plan": { dataType: "String", mutable: true } },
        }),
      }),
    ]);
  });
  afterAll(async () => {
    await emulator.stop();
    await rm(bundle.dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  /** A confirmed user signed in through `cogkit login` in a profile of its own; returns the profile's env. */
  async function signedIn() {
    const email = await confirmedUser(emulator);
    const env = emulatorEnv(emulator, home, `attributes${++profiles}`);
    expect((await runNode(bundle.cli, ["login", "--username", email, "--password-stdin"], env, `${password}\n`)).code).toBe(0);
    return { email, env };
  }
  const run = (args: string[], env: Record<string, string>) => runNode(bundle.cli, ["attributes", ...args], env);

  it("prints the signed-in user's attributes", async () => {
    const { email, env } = await signedIn();
    const printed = await run([], env);
    expect(printed).toMatchObject({ code: 0, stderr: "" });
    expect(printed.stdout).toContain(`email=${email}\n`);
    expect(printed.stdout).toContain("email_verified=true\n");
    const json = await run(["--json"], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ email, email_verified: true });
  });

  it("sets attributes, says which wait for a code, and verifies the new email with it", async () => {
    const { env } = await signedIn();
    const moved = newEmail("moved");
    const set = await run(["--set", "given_name=Ana", "--set", "custom:plan=pro", "--set", `email=${moved}`], env);
    expect(set).toMatchObject({ code: 0, stderr: "" });
    expect(set.stdout).toContain("given_name: updated\n");
    expect(set.stdout).toContain("custom:plan: updated\n");
    expect(set.stdout).toMatch(/email: waits for the code sent to m\*+@\S+: cogkit attributes --verify email --code <code>\n/);

    const code = emulator.outbox.latest(moved)!.code;
    const refused = await run(["--verify", "email", "--code", wrong(code)], env);
    expect(refused.code).toBe(4);
    expect(refused.stderr).not.toContain(wrong(code));
    expect(await run(["--verify", "email", "--code", code], env)).toMatchObject({ code: 0, stderr: "email verified.\n" });

    const json = JSON.parse((await run(["--json"], env)).stdout);
    expect(json).toMatchObject({ email: moved, email_verified: true, given_name: "Ana", "custom:plan": "pro" });
  });

  it("on a terminal, asks again for a wrong code it asked for", async () => {
    const { env } = await signedIn();
    const moved = newEmail("moved");
    expect((await run(["--set", `email=${moved}`], env)).code).toBe(0);
    const code = () => emulator.outbox.latest(moved)!.code;
    const result = await runOnTerminal(bundle.cli, ["attributes", "--verify", "email"], env, [
      ["Code sent for email: ", () => wrong(code())],
      ["Code sent for email: ", code],
    ]);
    expect(result).toMatchObject({ code: 0, unanswered: 0 });
    expect(result.stdout).toContain("Wrong code; try again.");
    expect(result.stdout).toContain("email verified.");
  });

  it("reports what Cognito refuses, and asks to log in when nobody is signed in", async () => {
    const { env } = await signedIn();
    // The pool has no custom:tier: the CLI knows no schema, so Cognito says it.
    const unknown = await run(["--set", "custom:tier=gold"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^cogkit attributes: .*custom:tier/);
    expect(unknown.stderr).not.toContain("gold");

    const nobody = await run([], emulatorEnv(emulator, home, "nobody"));
    expect(nobody.code).toBe(3);
    expect(nobody.stderr).toMatch(/run cogkit login/);
  });
});
