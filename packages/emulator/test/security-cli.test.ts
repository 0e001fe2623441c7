import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleEmulatorCli } from "./cli-bundle.js";
import { rawRequest } from "./security-support.js";

// The command's security flags, on its own process from a fresh bundle of the sources.
describe("cogkit-emulator --allowed-origin and --allowed-host", () => {
  let bundle: string;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ bundle, remove } = await bundleEmulatorCli());
  });
  afterAll(() => remove());

  it("serve the origins and host names given, and no longer the loopback pages", async () => {
    const args = [bundle, "--quiet", "--allowed-origin", "https://app.example.com", "--allowed-origin", "http://localhost:3000", "--allowed-host", "cognito.dev.internal"];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
      const calls = (origin: string) => fetch(`${url}/_emulator/calls`, { headers: { origin } });
      for (const origin of ["https://app.example.com", "http://localhost:3000"]) {
        const answer = await calls(origin);
        expect(answer.status, origin).toBe(200);
        expect(answer.headers.get("access-control-allow-origin"), origin).toBe(origin);
      }
      expect((await calls("http://localhost:5173")).status).toBe(403);
      const host = `cognito.dev.internal:${new URL(url).port}`;
      expect((await rawRequest(url, { path: "/_emulator/calls", headers: { host } })).status).toBe(200);
      expect((await rawRequest(url, { path: "/_emulator/calls", headers: { host: "evil.example" } })).status).toBe(403);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("refuses an origin that is not one, naming it", async () => {
    const child = spawn(process.execPath, [bundle, "--quiet", "--allowed-origin", "app.example.com"], { stdio: ["ignore", "pipe", "pipe"] });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(errors).toContain("allowedOrigins: app.example.com is not an origin");
  });
});
