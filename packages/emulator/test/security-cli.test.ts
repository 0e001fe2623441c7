import { describe, expect, it } from "vitest";
import { runCli, useEmulatorCli } from "./cli-bundle.js";
import { rawRequest } from "./security-support.js";

// The command's security flags, on its own process from a fresh bundle of the sources.
describe("cogkit-emulator --allowed-origin and --allowed-host", () => {
  const cli = useEmulatorCli();

  it("serve the origins and host names given, and no longer the loopback pages", async () => {
    const running = runCli(cli.bundle, ["--quiet", "--allowed-origin", "https://app.example.com", "--allowed-origin", "http://localhost:3000", "--allowed-host", "cognito.dev.internal"]);
    try {
      const [, url] = await running.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      const calls = (origin: string) => fetch(`${url}/_emulator/calls`, { headers: { origin } });
      for (const origin of ["https://app.example.com", "http://localhost:3000"]) {
        const answer = await calls(origin);
        expect(answer.status, origin).toBe(200);
        expect(answer.headers.get("access-control-allow-origin"), origin).toBe(origin);
      }
      expect((await calls("http://localhost:5173")).status).toBe(403);
      const host = `cognito.dev.internal:${new URL(url!).port}`;
      expect((await rawRequest(url!, { path: "/_emulator/calls", headers: { host } })).status).toBe(200);
      expect((await rawRequest(url!, { path: "/_emulator/calls", headers: { host: "evil.example" } })).status).toBe(403);
    } finally {
      running.kill();
    }
  });

  it("refuses an origin that is not one, naming it", async () => {
    await expect(runCli(cli.bundle, ["--quiet", "--allowed-origin", "app.example.com"]).waitFor(/never/)).rejects.toThrow(/exited with 1: [\s\S]*allowedOrigins: app\.example\.com is not an origin/);
  });
});
