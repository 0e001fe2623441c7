import { describe, expect, it } from "vitest";
import { runCli, useEmulatorCli } from "./cli-bundle.js";
import { call, freshEmail, password } from "./support.js";

// The command's own process, from a fresh bundle of the sources.
describe("cogkit-emulator --first-auth-factor and --webauthn-*", () => {
  const command = useEmulatorCli();

  it("allows passwordless sign-up and sets the passkey settings", async () => {
    const cli = runCli(command.bundle, [
      ...["--first-auth-factor", "PASSWORD", "--first-auth-factor", "EMAIL_OTP", "--first-auth-factor", "WEB_AUTHN"],
      ...["--webauthn-rp-id", "localhost", "--webauthn-origin", "http://localhost:5173", "--webauthn-user-verification", "required"],
    ]);
    try {
      const [, url] = await cli.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      const [json] = await cli.waitFor(/\{[\s\S]*?\n\}\n/);
      const emulator = { url: url! };
      const ClientId = JSON.parse(json!).userPoolClientId;
      const email = freshEmail("cli-passkeys");
      expect((await call(emulator, "SignUp", { ClientId, Username: email })).status).toBe(200);
      const [, code] = await cli.waitFor(/signUp code (\d{6}) sent/);
      const confirm = await call(emulator, "ConfirmSignUp", { ClientId, Username: email, ConfirmationCode: code });
      const signedIn = await call(emulator, "InitiateAuth", { ClientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: email }, Session: confirm.body.Session });
      const start = await call(emulator, "StartWebAuthnRegistration", { AccessToken: signedIn.body.AuthenticationResult.AccessToken });
      expect(start.body.CredentialCreationOptions).toMatchObject({ rp: { id: "localhost" }, authenticatorSelection: { userVerification: "required" } });
      expect(await cli.stop()).toBe(0);
    } finally {
      cli.kill();
    }
  });

  it("fails naming a first factor it does not know", async () => {
    const cli = runCli(command.bundle, ["--quiet", "--first-auth-factor", "MAGIC_LINK"]);
    await expect(cli.waitFor(/listening/)).rejects.toThrow(/allowedFirstAuthFactors: MAGIC_LINK is not one of PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN/);
  });
});
