import { AuthError, createAuthClient, createMemoryStorage } from "@cogkit/core";
import { describe, expect, it } from "vitest";
import { unreachableMessage } from "../src/cli/unreachable-message.js";
import { useCliSuite } from "./cli-suite-support.js";
import { cliHere, confirmedUser, deadEndpoint, newEmail, password, runNode, runOnTerminal } from "./support.js";

// The AWS SDK nags about Node 20 on stderr unless this is "true"; the suites' children set it.
const nagAllowed = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "false" };

describe("the cogkit CLI is quiet and forgiving, against the emulator", () => {
  const suite = useCliSuite("forgiving");
  const env = suite.env;
  const cli = () => suite.bundle.cli;

  it("prints no AWS SDK Node-version warning: stderr of credentials stays empty for credential_process", async () => {
    const email = await confirmedUser(suite.emulator);
    const settings = env(nagAllowed);
    const login = await runNode(cli(), ["login", "--username", email, "--password-stdin"], settings, `${password}\n`);
    expect(login.code).toBe(0);
    expect(login.stderr).toBe(`Signed in as ${email} (profile ${settings.COGKIT_PROFILE}).\n`);
    for (const args of [["credentials"], ["whoami"], ["tokens"], ["logout"]]) {
      const result = await runNode(cli(), args, settings);
      expect(result.code, args[0]).toBe(0);
      expect(result.stderr, args[0]).not.toMatch(/Warning/);
    }
  });

  it("retries a sign-in that meets a transient failure twice, rather than printing Cognito's internal error", async () => {
    const email = await confirmedUser(suite.emulator);
    suite.emulator.injectFault("InitiateAuth", { error: "InternalErrorException", status: 500, times: 2 });
    const before = suite.emulator.callCount("InitiateAuth");
    const result = await runNode(cli(), ["login", "--username", email, "--password-stdin"], env(), `${password}\n`);
    expect(result.stderr).not.toContain("internal error");
    expect(result.code).toBe(0);
    expect(suite.emulator.callCount("InitiateAuth") - before).toBe(3);
  });

  it("gives up after three tries of a failure that does not pass, saying what it was", async () => {
    const email = await confirmedUser(suite.emulator);
    suite.emulator.injectFault("InitiateAuth", { error: "TooManyRequestsException", status: 400, times: 3 });
    const result = await runNode(cli(), ["login", "--username", email, "--password-stdin"], env(), `${password}\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cogkit login: Rate exceeded/);
  });

  it("asks for the password again after a wrong one, on a terminal", async () => {
    const email = await confirmedUser(suite.emulator);
    const result = await runOnTerminal(cli(), ["login", "--username", email], env(), [
      ["Password: ", () => "Wr0ng-password!"],
      ["Password: ", () => password],
    ]);
    expect(result).toMatchObject({ code: 0, unanswered: 0 });
    expect(result.stdout).toContain("Wrong username or password; try again.");
    expect(result.stdout).toContain(`Signed in as ${email}`);
  });

  it("stops after three wrong passwords with exit 4", async () => {
    const email = await confirmedUser(suite.emulator);
    const result = await runOnTerminal(cli(), ["login", "--username", email], env(), [
      ["Password: ", () => "Wr0ng-password!"],
      ["Password: ", () => "Wr0ng-password!"],
      ["Password: ", () => "Wr0ng-password!"],
    ]);
    expect(result).toMatchObject({ code: 4, unanswered: 0 });
    expect(result.stdout.match(/try again/g)).toHaveLength(2);
  });

  it("asks for the sign-up confirmation code again after a wrong one", async () => {
    const email = newEmail("unconfirmed");
    const client = createAuthClient(suite.emulator.config, { platform: { storage: createMemoryStorage() } });
    await client.signUp({ username: email, password, attributes: { email } });
    client.dispose();
    const result = await runOnTerminal(cli(), ["login", "--username", email], env(), [
      ["Password: ", () => password],
      ["Confirmation code: ", () => (suite.emulator.outbox.latest(email)!.code === "000000" ? "111111" : "000000")],
      ["Confirmation code: ", () => suite.emulator.outbox.latest(email)!.code],
    ]);
    expect(result).toMatchObject({ code: 0, unanswered: 0 });
    expect(result.stdout).toContain("Wrong code; try again.");
    expect(result.stdout).toContain(`Signed in as ${email}`);
  });

  it("names the host it cannot reach and the setting to check", async () => {
    const nowhere = await deadEndpoint();
    const result = await runNode(cli(), ["login", "--username", "ada@example.com", "--password-stdin"], env({ COGKIT_USER_POOL_ENDPOINT: nowhere }), `${password}\n`);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `cogkit login: cannot reach ${new URL(nowhere).host} (connection refused): check that the user pool endpoint ${nowhere}/ is up (COGKIT_USER_POOL_ENDPOINT, or userPoolEndpoint in the config file)\n`,
    );
  });

  it("says guest credentials are what it prints after cogkit logout (on stderr; stdout stays the JSON)", async () => {
    const email = await confirmedUser(suite.emulator);
    const settings = env();
    expect((await runNode(cli(), ["login", "--username", email, "--password-stdin"], settings, `${password}\n`)).code).toBe(0);
    expect((await runNode(cli(), ["credentials"], settings)).stderr).toBe("");
    expect((await runNode(cli(), ["logout"], settings)).code).toBe(0);
    const guest = await runNode(cli(), ["credentials"], settings);
    expect(guest.code).toBe(0);
    expect(JSON.parse(guest.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.any(String) });
    expect(guest.stderr).toBe("cogkit credentials: nobody is signed in, so these are guest credentials (the identity pool's role for unauthenticated users); run cogkit login to sign in\n");
  });
});

describe("cogkit's messages for settings and unreachable hosts", () => {
  it("says a pool id of another region is not in the region, not that it is no pool id", async () => {
    const { code, stderr } = await cliHere(["whoami"], { COGKIT_REGION: "us-east-1", COGKIT_USER_POOL_ID: "eu-west-1_AbC123", COGKIT_CLIENT_ID: "1example23456789" });
    expect(code).toBe(2);
    expect(stderr).toBe("cogkit whoami: Invalid auth config: `userPoolId` is not in `region`.\n");
  });

  it("names Cognito's own host, and says to check the network and the region, when no endpoint is set", () => {
    const error = new AuthError("ERR_NETWORK", "AWSCognitoIdentityService.GetId: network error", { retryable: true, cause: new TypeError("fetch failed", { cause: { code: "ENOTFOUND" } }) });
    expect(unreachableMessage(error, { region: "eu-west-1", userPoolId: "eu-west-1_AbC123", userPoolClientId: "1example23456789" })).toBe(
      "cannot reach cognito-identity.eu-west-1.amazonaws.com (host not found): check the network connection, and that eu-west-1 (COGKIT_REGION, or region in the config file) is the pool's region",
    );
  });

  it("leaves the message of a host that is not Cognito's API as it is (access-token's token endpoint)", async () => {
    const nowhere = await deadEndpoint();
    const { code, stderr } = await cliHere(["access-token"], { COGKIT_DOMAIN: nowhere, COGKIT_CLIENT_ID: "1example23456789", COGKIT_CLIENT_SECRET: "s3cret-s3cret" });
    expect(code).toBe(1);
    expect(stderr).toBe(`cogkit access-token: Could not reach ${nowhere}/oauth2/token\n`);
  });

  it("says a timeout is one", () => {
    const error = new AuthError("ERR_TIMEOUT", "AWSCognitoIdentityProviderService.InitiateAuth: timeout", { retryable: true });
    expect(unreachableMessage(error, { region: "eu-west-1", userPoolId: "eu-west-1_AbC123", userPoolClientId: "1example23456789" })).toMatch(
      /^cannot reach cognito-idp\.eu-west-1\.amazonaws\.com \(no answer in time\): /,
    );
  });
});
