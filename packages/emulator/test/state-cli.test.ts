import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, useEmulatorCli } from "./cli-bundle.js";
import { call, freshEmail, password } from "./support.js";

// The command's own process, from a fresh bundle of the sources.
describe("cogkit-emulator --state and fixed ids", () => {
  const cli = useEmulatorCli();

  const configOf = async (running: ReturnType<typeof runCli>) => {
    const [, url] = await running.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    const [json] = await running.waitFor(/\{[\s\S]*?\n\}\n/);
    return { url: url!, config: JSON.parse(json!) };
  };

  it("keeps users and ids across a restart of the command", async () => {
    const file = join(cli.dir, "state.json");
    const first = runCli(cli.bundle, ["--quiet", "--state", file]);
    let port: string;
    let before: Awaited<ReturnType<typeof configOf>>;
    const email = freshEmail("cli-state");
    try {
      before = await configOf(first);
      port = new URL(before.url).port;
      const signUp = await call(before, "SignUp", { ClientId: before.config.userPoolClientId, Username: email, Password: password });
      expect(signUp.status).toBe(200);
      const saved = await readFile(file, "utf8");
      expect(saved).toContain(before.config.userPoolId);
      expect(await first.stop()).toBe(0);
    } finally {
      first.kill();
    }
    const second = runCli(cli.bundle, ["--quiet", "--state", file, "--port", port]);
    try {
      const after = await configOf(second);
      expect(after.config).toEqual(before.config);
      const answer = await call(after, "InitiateAuth", { ClientId: after.config.userPoolClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } });
      // The user survived the restart unconfirmed, as they were.
      expect(answer.body.__type).toBe("UserNotConfirmedException");
      expect(await second.stop()).toBe(0);
    } finally {
      second.kill();
    }
  });

  it("takes fixed ids from flags and from the --config file", async () => {
    const configFile = join(cli.dir, "app-config.json");
    await writeFile(configFile, JSON.stringify({ loginWith: { email: true }, region: "eu-west-1", userPoolId: "eu-west-1_FromFile1" }));
    const running = runCli(cli.bundle, ["--quiet", "--config", configFile, "--client-id", "fromflag1", "--identity-pool-id", "eu-west-1:8f1d1a0e-0000-4000-8000-000000000002"]);
    try {
      const { config } = await configOf(running);
      expect(config).toMatchObject({ region: "eu-west-1", userPoolId: "eu-west-1_FromFile1", userPoolClientId: "fromflag1", identityPoolId: "eu-west-1:8f1d1a0e-0000-4000-8000-000000000002" });
    } finally {
      running.kill();
    }
  });

  it("fails naming the state file when it is corrupt", async () => {
    const file = join(cli.dir, "corrupt.json");
    await writeFile(file, "{");
    await expect(runCli(cli.bundle, ["--state", file]).waitFor(/never/)).rejects.toThrow(`cogkit-emulator state file ${file} is not valid JSON`);
    expect(await readFile(file, "utf8")).toBe("{");
  });
});
