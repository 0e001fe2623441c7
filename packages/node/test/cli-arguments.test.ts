import { describe, expect, it } from "vitest";
import { cliHere } from "./support.js";

// What the user types in the wrong place may be a password (`cogkit login hunter2`): no
// message of the CLI may repeat an argument it did not expect, only say where it was.
const secret = "Hunter2-Secret!";

const cli = cliHere;

describe("cogkit's arguments", () => {
  it.each([
    [["login", secret], /argument 2 .*not shown/],
    [[secret], /argument 1 is not a cogkit command/],
    [["login", `--${secret}`], /argument 2 is not an option/],
    [["login", `--password=${secret}`], /argument 2 is not an option/],
    [["credentials", "--profile", "p", `-X${secret}`], /argument 4 is not an option/],
    [["credentials", `--json=${secret}`], /--json takes no value/],
    [["logout", `--global=${secret}`], /--global takes no value/],
    [["whoami", "--profile", `--${secret}`], /--profile needs a value/],
    [["tokens", "--id", "--", secret], /argument 4 .*not shown/],
  ])("refuses %j (exit 2) without echoing the unexpected part", async (argv, reason) => {
    const { code, stdout, stderr } = await cli(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(reason);
    expect(stdout + stderr).not.toContain("Hunter2");
  });

  it.each([[["login", "--pasword-stdin"]], [["fly"]], [[]]])("answers %j with one line and a hint, not the whole help", async (argv) => {
    const { code, stdout, stderr } = await cli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^cogkit: [^\n]+\nRun cogkit --help for the commands and their options\.\n$/);
  });

  it("still names a known command and option in its messages", async () => {
    const { code, stderr } = await cli(["whoami", "--profile"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^cogkit: --profile needs a value/);
  });
});
