import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postTokenRequest } from "../../../test/hosted-ui-support.js";
import { bundleEmulatorCli } from "./cli-bundle.js";

describe("cogkit-emulator --resource-server", () => {
  let bundle: string;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ bundle, remove } = await bundleEmulatorCli());
  });
  afterAll(() => remove());

  it("prints a machine client that gets client-credentials tokens for the server's scopes", async () => {
    const child = spawn(process.execPath, [bundle, "--quiet", "--resource-server", "https://api.example.com=read,write"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const printed = new Promise<RegExpMatchArray>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (\S+)\n[\s\S]*machine client \(client_credentials\): (\{.*\})\n/.exec(output);
        if (match) resolve(match);
      });
      child.once("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    try {
      const [, url, json] = await printed;
      const machine = JSON.parse(json!);
      expect(machine.scopes).toEqual(["https://api.example.com/read", "https://api.example.com/write"]);
      const answer = await postTokenRequest(url!, { grant_type: "client_credentials", scope: "https://api.example.com/write" }, { basic: { clientId: machine.clientId, clientSecret: machine.clientSecret } });
      expect(answer.status).toBe(200);
      const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("refuses a resource server without scopes", async () => {
    const child = spawn(process.execPath, [bundle, "--resource-server", "https://api.example.com"], { stdio: ["ignore", "pipe", "pipe"] });
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    expect(await new Promise<number | null>((resolve) => child.once("exit", resolve))).toBe(1);
    expect(errors).toContain("--resource-server must look like");
  });
});
