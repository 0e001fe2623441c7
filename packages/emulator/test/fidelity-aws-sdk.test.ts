import {
  ChangePasswordCommand,
  CodeMismatchException,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
  SignUpCommand,
  UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { freshEmail, password, sdkClientFor } from "./support.js";

// The AWS SDK is a client nobody here wrote: if it can sign up, sign in and refresh,
// the emulator's protocol is right.
describe("the AWS SDK v3 against the emulator", () => {
  let emulator: Emulator;
  let sdk: CognitoIdentityProviderClient;
  beforeAll(async () => {
    emulator = await startEmulator();
    sdk = sdkClientFor(emulator);
  });
  afterAll(async () => {
    sdk.destroy();
    await emulator.stop();
  });

  it("signs up, confirms with the outbox code, signs in, refreshes both ways, reads the user and signs out", async () => {
    const ClientId = emulator.config.userPoolClientId;
    const email = freshEmail("sdk");
    const signedUp = await sdk.send(new SignUpCommand({ ClientId, Username: email, Password: password, UserAttributes: [{ Name: "given_name", Value: "Sam" }] }));
    expect(signedUp.UserConfirmed).toBe(false);
    expect(signedUp.CodeDeliveryDetails?.DeliveryMedium).toBe("EMAIL");
    await sdk.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: emulator.outbox.latest(email)!.code }));

    const signedIn = await sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } }));
    const tokens = signedIn.AuthenticationResult!;
    expect(tokens.TokenType).toBe("Bearer");
    expect(tokens.ExpiresIn).toBe(3600);

    const refreshed = await sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken: tokens.RefreshToken! }));
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTypeOf("string");
    const legacy = await sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }));
    expect(legacy.AuthenticationResult?.IdToken).toBeTypeOf("string");

    const user = await sdk.send(new GetUserCommand({ AccessToken: refreshed.AuthenticationResult!.AccessToken! }));
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: "email", Value: email }, { Name: "given_name", Value: "Sam" }]));

    await sdk.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken! }));
    const after = sdk.send(new GetUserCommand({ AccessToken: legacy.AuthenticationResult!.AccessToken! }));
    await expect(after).rejects.toBeInstanceOf(NotAuthorizedException);
    await expect(after).rejects.toMatchObject({ message: "Access Token has been revoked", $metadata: { httpStatusCode: 400 } });
  });

  it("resets a forgotten password with the outbox code, then changes it while signed in", async () => {
    const ClientId = emulator.config.userPoolClientId;
    const email = freshEmail("sdk");
    await sdk.send(new SignUpCommand({ ClientId, Username: email, Password: password }));
    await sdk.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: emulator.outbox.latest(email)!.code }));

    const forgot = await sdk.send(new ForgotPasswordCommand({ ClientId, Username: email }));
    expect(forgot.CodeDeliveryDetails).toEqual({ Destination: "s***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" });
    const code = emulator.outbox.latest(email)!.code;
    await expect(sdk.send(new ConfirmForgotPasswordCommand({ ClientId, Username: email, ConfirmationCode: `${code}9`, Password: "Reset-password-2" }))).rejects.toBeInstanceOf(
      CodeMismatchException,
    );
    await sdk.send(new ConfirmForgotPasswordCommand({ ClientId, Username: email, ConfirmationCode: code, Password: "Reset-password-2" }));

    const signedIn = await sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: "Reset-password-2" } }));
    const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
    await sdk.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: "Reset-password-2", ProposedPassword: "Changed-password-3" }));
    const again = await sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: "Changed-password-3" } }));
    expect(again.AuthenticationResult?.AccessToken).toBeTypeOf("string");
    await expect(
      sdk.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: "Reset-password-2", ProposedPassword: "Changed-password-4" })),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "Incorrect username or password." });
  });

  it("gets Cognito's modelled exceptions", async () => {
    const ClientId = emulator.config.userPoolClientId;
    const email = freshEmail("sdk");
    await sdk.send(new SignUpCommand({ ClientId, Username: email, Password: password }));
    await expect(sdk.send(new SignUpCommand({ ClientId, Username: email, Password: password }))).rejects.toBeInstanceOf(UsernameExistsException);
    await expect(
      sdk.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: "Wrong-password-1" } })),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "Incorrect username or password." });
  });
});
