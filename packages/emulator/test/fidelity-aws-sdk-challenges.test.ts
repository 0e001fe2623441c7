import {
  AdminCreateUserCommand,
  AssociateSoftwareTokenCommand,
  CodeMismatchException,
  type CognitoIdentityProviderClient,
  GetUserCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { defineAuth } from "@cogkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { freshEmail, sdkClientFor } from "./support.js";

// The AWS SDK's own (de)serialisers check the challenge shapes: if it can walk a new
// password and an authenticator through, real-Cognito code can too.
describe("the AWS SDK v3 through NEW_PASSWORD_REQUIRED and SOFTWARE_TOKEN_MFA", () => {
  let emulator: Emulator;
  let sdk: CognitoIdentityProviderClient;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, auth: defineAuth({ loginWith: { email: true }, multifactor: { mode: "OPTIONAL", totp: true } }) });
    sdk = sdkClientFor(emulator);
  });
  afterAll(async () => {
    sdk.destroy();
    await emulator.stop();
  });

  it("creates a user as an admin, sets the new password, turns on an authenticator and signs in with its code", async () => {
    const ClientId = emulator.config.userPoolClientId;
    const email = freshEmail("sdk");
    const created = await sdk.send(
      new AdminCreateUserCommand({ UserPoolId: emulator.config.userPoolId, Username: email, TemporaryPassword: "Temp-pass-1", MessageAction: "SUPPRESS" }),
    );
    expect(created.User).toMatchObject({ UserStatus: "FORCE_CHANGE_PASSWORD", Enabled: true });
    expect(created.User!.UserCreateDate).toBeInstanceOf(Date);

    const first = await sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: "Temp-pass-1" } }));
    expect(first.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const signedIn = await sdk.send(
      new RespondToAuthChallengeCommand({ ClientId, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: first.Session, ChallengeResponses: { USERNAME: email, NEW_PASSWORD: "Brand-new-pass-2" } }),
    );
    const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
    await expect(
      sdk.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: first.Session, ChallengeResponses: { USERNAME: email, NEW_PASSWORD: "Brand-new-pass-2" } })),
    ).rejects.toBeInstanceOf(NotAuthorizedException);

    const { SecretCode } = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    const verified = await sdk.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: emulator.totp(SecretCode!) }));
    expect(verified.Status).toBe("SUCCESS");
    await sdk.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    expect(await sdk.send(new GetUserCommand({ AccessToken }))).toMatchObject({ UserMFASettingList: ["SOFTWARE_TOKEN_MFA"], PreferredMfaSetting: "SOFTWARE_TOKEN_MFA" });

    const second = await sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: "Brand-new-pass-2" } }));
    expect(second.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    const code = emulator.totp(SecretCode!);
    const answer = (SOFTWARE_TOKEN_MFA_CODE: string) =>
      sdk.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName: "SOFTWARE_TOKEN_MFA", Session: second.Session, ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE } }));
    await expect(answer(code === "000000" ? "111111" : "000000")).rejects.toBeInstanceOf(CodeMismatchException);
    const done = await answer(code);
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });
});
