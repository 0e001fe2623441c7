import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postTokenRequest } from "../../../test/hosted-ui-support.js";
import { bundleEmulatorCli, runCli } from "./cli-bundle.js";

describe("cogkit-emulator --resource-server", () => {
  let dir: string;
  let bundle: string;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, bundle, remove } = await bundleEmulatorCli());
  });
  afterAll(() => remove());

  it("writes a machine client that gets client-credentials tokens to --machine-client-file, its secret never on the console", async () => {
    const file = join(dir, "machine.json");
    const cli = runCli(bundle, ["--resource-server", "https://api.example.com=read,write", "--machine-client-file", file]);
    try {
      const [, url] = await cli.waitFor(/listening on (\S+)\n/);
      await cli.waitFor(/machine client \(client_credentials\): .*secret written to /);
      const machine = JSON.parse(await readFile(file, "utf8"));
      expect(machine).toMatchObject({ scopes: ["https://api.example.com/read", "https://api.example.com/write"], tokenEndpoint: `${url}/oauth2/token` });
      expect(cli.output).not.toContain(machine.clientSecret);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const answer = await postTokenRequest(url!, { grant_type: "client_credentials", scope: "https://api.example.com/write" }, { basic: { clientId: machine.clientId, clientSecret: machine.clientSecret } });
      expect(answer.status).toBe(200);
      expect(await cli.stop()).toBe(0);
    } finally {
      cli.kill();
    }
  });

  it("prints the machine client's id and scopes, and where to get its secret, without the secret", async () => {
    const cli = runCli(bundle, ["--quiet", "--resource-server", "https://api.example.com=read"]);
    try {
      const [line] = await cli.waitFor(/machine client \(client_credentials\): .*\n/);
      expect(JSON.parse(/: (\{.*\}),/.exec(line)![1]!)).toEqual({ clientId: expect.any(String), scopes: ["https://api.example.com/read"] });
      expect(line).toContain("secret not printed; --machine-client-file <file> writes it to a file");
    } finally {
      cli.kill();
    }
  });

  it("refuses a resource server without scopes", async () => {
    const cli = runCli(bundle, ["--resource-server", "https://api.example.com"]);
    await expect(cli.waitFor(/never/)).rejects.toThrow("--resource-server must look like");
  });
});
