import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, source, useEmulatorCli } from "./cli-bundle.js";
import { call, freshEmail, password } from "./support.js";

// The CLI runs as its own process from a fresh bundle of the sources, so the test never
// depends on a stale build.
describe("the cogkit-emulator command", () => {
  const cli = useEmulatorCli();

  it("starts with a shebang", async () => {
    expect((await readFile(source("../src/cli.ts"), "utf8")).startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("boots from a config file, prints its URL, the client config and every code, and stops on SIGTERM", async () => {
    const configFile = join(cli.dir, "auth.json");
    await writeFile(configFile, JSON.stringify({ loginWith: { email: true }, groups: ["ADMINS"] }));
    const running = runCli(cli.bundle, ["--config", configFile, "--region", "eu-central-1"]);
    try {
      const [, url] = await running.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      const [json] = await running.waitFor(/\{[\s\S]*\n\}\n/);
      const config = JSON.parse(json!);
      expect(config).toMatchObject({ region: "eu-central-1", groups: ["ADMINS"], userPoolEndpoint: url });
      const email = freshEmail("cli");
      const signUp = await call({ url: url! }, "SignUp", { ClientId: config.userPoolClientId, Username: email, Password: password });
      expect(signUp.status).toBe(200);
      await running.waitFor(/signUp code \d{6} sent \(EMAIL to /);
      expect(running.output).not.toContain(email);
      expect(running.output).not.toContain(password);
      expect(await running.stop()).toBe(0);
    } finally {
      running.kill();
    }
  });

  it("fails with a message for a config file that defineAuth refuses", async () => {
    const configFile = join(cli.dir, "bad.json");
    await writeFile(configFile, JSON.stringify({ loginWith: { email: "yes" } }));
    await expect(runCli(cli.bundle, ["--config", configFile]).waitFor(/never/)).rejects.toThrow(/exited with 1: [\s\S]*loginWith\.email/);
  });
});
