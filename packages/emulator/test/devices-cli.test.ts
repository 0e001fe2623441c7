import { describe, expect, it } from "vitest";
import { runCli, useEmulatorCli } from "./cli-bundle.js";
import { call, freshEmail, password } from "./support.js";

// The command's own process, from a fresh bundle of the sources.
describe("cogkit-emulator --device-tracking", () => {
  const command = useEmulatorCli();

  /** Signs a new user up and in through the started command; returns the sign-in's answer and the confirmed device's. */
  async function signInOnce(cli: ReturnType<typeof runCli>) {
    const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    const [json] = await cli.waitFor(/\{[\s\S]*?\n\}\n/);
    const emulator = { url: url! };
    const ClientId = JSON.parse(json!).userPoolClientId;
    const email = freshEmail("cli-devices");
    await call(emulator, "SignUp", { ClientId, Username: email, Password: password });
    const [, code] = await cli.waitFor(/signUp code (\d{6}) sent/);
    await call(emulator, "ConfirmSignUp", { ClientId, Username: email, ConfirmationCode: code });
    const signedIn = await call(emulator, "InitiateAuth", { ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } });
    const result = signedIn.body.AuthenticationResult;
    const confirmed = result.NewDeviceMetadata
      ? await call(emulator, "ConfirmDevice", {
          AccessToken: result.AccessToken,
          DeviceKey: result.NewDeviceMetadata.DeviceKey,
          DeviceSecretVerifierConfig: { PasswordVerifier: "AQ==", Salt: "AQ==" },
        })
      : undefined;
    return { result, confirmed };
  }

  it.each([
    ["always", false],
    ["user-opt-in", true],
  ] as const)("tracks devices, remembered %s", async (setting, ask) => {
    const cli = runCli(command.bundle, ["--device-tracking", setting]);
    try {
      const { result, confirmed } = await signInOnce(cli);
      expect(result.NewDeviceMetadata).toEqual({ DeviceKey: expect.any(String), DeviceGroupKey: expect.any(String) });
      expect(confirmed?.body).toEqual({ UserConfirmationNecessary: ask });
      expect(await cli.stop()).toBe(0);
    } finally {
      cli.kill();
    }
  });

  it("tracks no device without the flag", async () => {
    const cli = runCli(command.bundle, []);
    try {
      expect((await signInOnce(cli)).result.NewDeviceMetadata).toBeUndefined();
      expect(await cli.stop()).toBe(0);
    } finally {
      cli.kill();
    }
  });

  it("fails naming a setting it does not know", async () => {
    const cli = runCli(command.bundle, ["--quiet", "--device-tracking", "sometimes"]);
    await expect(cli.waitFor(/listening/)).rejects.toThrow(/--device-tracking must be always or user-opt-in, got sometimes/);
  });
});
