import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { emulatorOptionNames } from "../src/check-options.js";
import { identityPoolService } from "../src/identity-pool/identity-pool-service.js";
import { userPoolService } from "../src/user-pool/user-pool-service.js";
import { source } from "./cli-bundle.js";

// The README is checked against the emulator itself, so an operation, option or control
// route added without a line in it fails here.
const readme = await readFile(source("../README.md"), "utf8");
const section = (title: string) => {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section ${title}`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
};
const backticked = (text: string) => [...text.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]!);

/** Every operation of Cognito user pools, as the AWS SDK has a command for each. */
function cognitoUserPoolOperations(): string[] {
  const sdk = createRequire(import.meta.url)("@aws-sdk/client-cognito-identity-provider") as Record<string, unknown>;
  return Object.keys(sdk)
    .filter((name) => name.endsWith("Command") && name !== "Command" && !name.startsWith("$"))
    .map((name) => name.slice(0, -"Command".length));
}

describe("the emulator's README", () => {
  const operations = section("Operations");
  const table = new Map([...operations.matchAll(/^\| `(\w+)` \| (User pool|Identity pool|STS) \|/gm)].map((m) => [m[1]!, m[2]!]));
  const notImplemented = (label: string) => {
    const start = operations.indexOf(`Not implemented, ${label}`);
    if (start < 0) throw new Error(`no "Not implemented, ${label}" paragraph`);
    return backticked(operations.slice(start, operations.indexOf("\n\n", start)));
  };

  it("lists every operation the emulator dispatches, under its service, and no other", () => {
    const served = [
      ...Object.keys(userPoolService.operations).map((name) => [name, "User pool"] as const),
      ...Object.keys(identityPoolService.operations).map((name) => [name, "Identity pool"] as const),
      // STS is answered on the Query protocol (sts-service.ts), for one action.
      ["GetCallerIdentity", "STS"] as const,
    ];
    expect([...table].sort()).toEqual(served.map(([name, service]) => [name, service]).sort());
  });

  it("says which of Cognito's user pool operations are not implemented, every one of them", () => {
    const implemented = new Set([...table].filter(([, service]) => service === "User pool").map(([name]) => name));
    const missing = [...notImplemented("user pool, admin API"), ...notImplemented("user pool, management")];
    expect(missing.filter((name) => implemented.has(name))).toEqual([]);
    expect([...missing, ...implemented].sort()).toEqual(cognitoUserPoolOperations().sort());
  });

  it("documents every option in its table", () => {
    const documented = [...section("Starting it").matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]!);
    expect(documented.sort()).toEqual([...emulatorOptionNames].sort());
  });

  it("documents every control route with an example", async () => {
    const routes = await readFile(source("../src/control/control-routes.ts"), "utf8");
    const fixed = [...routes.matchAll(/case "((?:GET|POST|DELETE) \/_emulator\/[^"]+)"/g)].map((m) => m[1]!);
    // The routes with a path parameter, matched by regular expressions in control-routes.ts.
    const parameterised = ["DELETE /_emulator/identities/<id>", "POST /_emulator/identities/<id>/disable", "POST /_emulator/providers/<name>/tokens"];
    const rows = [...section("Control API").matchAll(/^\| `([A-Z]+ \/_emulator\/[^`]+)` \| (.+) \|$/gm)];
    expect(rows.map((m) => m[1]!).sort()).toEqual([...fixed, ...parameterised].sort());
    for (const [, route, example] of rows) expect(example!.trim(), route).not.toBe("");
  });
});
