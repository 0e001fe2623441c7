import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { postTokenRequest } from "../../../test/hosted-ui-support.js";
import { runCli, useEmulatorCli } from "./cli-bundle.js";

describe("cogkit-emulator --resource-server", () => {
  const cli = useEmulatorCli();

  it("writes a machine client that gets client-credentials tokens to --machine-client-file, its secret never on the console", async () => {
    const file = join(cli.dir, "machine.json");
    const running = runCli(cli.bundle, ["--resource-server", "https://api.example.com=read,write", "--machine-client-file", file]);
    try {
      const [, url] = await running.waitFor(/listening on (\S+)\n/);
      await running.waitFor(/machine client \(client_credentials\): .*secret written to /);
      const machine = JSON.parse(await readFile(file, "utf8"));
      expect(machine).toMatchObject({ scopes: ["https://api.example.com/read", "https://api.example.com/write"], tokenEndpoint: `${url}/oauth2/token` });
      expect(running.output).not.toContain(machine.clientSecret);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const answer = await postTokenRequest(url!, { grant_type: "client_credentials", scope: "https://api.example.com/write" }, { basic: { clientId: machine.clientId, clientSecret: machine.clientSecret } });
      expect(answer.status).toBe(200);
      expect(await running.stop()).toBe(0);
    } finally {
      running.kill();
    }
  });

  it("prints the machine client's id and scopes, and where to get its secret, without the secret", async () => {
    const running = runCli(cli.bundle, ["--quiet", "--resource-server", "https://api.example.com=read"]);
    try {
      const [line] = await running.waitFor(/machine client \(client_credentials\): .*\n/);
      expect(JSON.parse(/: (\{.*\}),/.exec(line)![1]!)).toEqual({ clientId: expect.any(String), scopes: ["https://api.example.com/read"] });
      expect(line).toContain("secret not printed; --machine-client-file <file> writes it to a file");
    } finally {
      running.kill();
    }
  });

  it("refuses a resource server without scopes", async () => {
    await expect(runCli(cli.bundle, ["--resource-server", "https://api.example.com"]).waitFor(/never/)).rejects.toThrow("--resource-server must look like");
  });
});
