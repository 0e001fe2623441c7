import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleEmulatorCli, source } from "./cli-bundle.js";
import { call, freshEmail, password } from "./support.js";

// The CLI runs as its own process from a fresh bundle of the sources, so the test never
// depends on a stale build.
describe("the cogkit-emulator command", () => {
  let dir: string;
  let bundle: string;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, bundle, remove } = await bundleEmulatorCli());
  });
  afterAll(() => remove());

  it("starts with a shebang", async () => {
    expect((await readFile(source("../src/cli.ts"), "utf8")).startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("boots from a config file, prints its URL, the client config and every code, and stops on SIGTERM", async () => {
    const configFile = join(dir, "auth.json");
    await writeFile(configFile, JSON.stringify({ loginWith: { email: true }, groups: ["ADMINS"] }));
    const child = spawn(process.execPath, [bundle, "--config", configFile, "--region", "eu-central-1"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const waiting = new Set<() => void>();
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      for (const check of waiting) check();
    });
    const waitFor = (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            waiting.delete(check);
            resolve(match);
          }
        };
        waiting.add(check);
        child.once("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
        check();
      });
    try {
      const [, url] = await waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      const [json] = await waitFor(/\{[\s\S]*\n\}\n/);
      const config = JSON.parse(json!);
      expect(config).toMatchObject({ region: "eu-central-1", groups: ["ADMINS"], userPoolEndpoint: url });
      const email = freshEmail("cli");
      const signUp = await call({ url: url! }, "SignUp", { ClientId: config.userPoolClientId, Username: email, Password: password });
      expect(signUp.status).toBe(200);
      await waitFor(/signUp code \d{6} sent \(EMAIL to /);
      expect(output).not.toContain(email);
      expect(output).not.toContain(password);
      const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("fails with a message for a config file that defineAuth refuses", async () => {
    const configFile = join(dir, "bad.json");
    await writeFile(configFile, JSON.stringify({ loginWith: { email: "yes" } }));
    const child = spawn(process.execPath, [bundle, "--config", configFile], { stdio: ["ignore", "pipe", "pipe"] });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(errors).toContain("loginWith.email");
  });
});
