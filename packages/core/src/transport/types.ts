import type * as Idp from "@aws-sdk/client-cognito-identity-provider";
import type * as Identity from "@aws-sdk/client-cognito-identity";

/**
 * The User Pool operations cogkit sends, each with the AWS SDK's own request and response
 * types. Both transports implement every operation listed here; adding one means adding its
 * command to the AWS SDK transport's table too (the compiler checks).
 */
export interface UserPoolOperations {
  SignUp: [Idp.SignUpRequest, Idp.SignUpResponse];
  ConfirmSignUp: [Idp.ConfirmSignUpRequest, Idp.ConfirmSignUpResponse];
  ResendConfirmationCode: [Idp.ResendConfirmationCodeRequest, Idp.ResendConfirmationCodeResponse];
  InitiateAuth: [Idp.InitiateAuthRequest, Idp.InitiateAuthResponse];
  RespondToAuthChallenge: [Idp.RespondToAuthChallengeRequest, Idp.RespondToAuthChallengeResponse];
  GetTokensFromRefreshToken: [Idp.GetTokensFromRefreshTokenRequest, Idp.GetTokensFromRefreshTokenResponse];
  RevokeToken: [Idp.RevokeTokenRequest, Idp.RevokeTokenResponse];
  GlobalSignOut: [Idp.GlobalSignOutRequest, Idp.GlobalSignOutResponse];
  GetUser: [Idp.GetUserRequest, Idp.GetUserResponse];
  UpdateUserAttributes: [Idp.UpdateUserAttributesRequest, Idp.UpdateUserAttributesResponse];
  VerifyUserAttribute: [Idp.VerifyUserAttributeRequest, Idp.VerifyUserAttributeResponse];
  GetUserAttributeVerificationCode: [
    Idp.GetUserAttributeVerificationCodeRequest,
    Idp.GetUserAttributeVerificationCodeResponse,
  ];
  DeleteUserAttributes: [Idp.DeleteUserAttributesRequest, Idp.DeleteUserAttributesResponse];
  DeleteUser: [Idp.DeleteUserRequest, {}];
  ChangePassword: [Idp.ChangePasswordRequest, Idp.ChangePasswordResponse];
  ForgotPassword: [Idp.ForgotPasswordRequest, Idp.ForgotPasswordResponse];
  ConfirmForgotPassword: [Idp.ConfirmForgotPasswordRequest, Idp.ConfirmForgotPasswordResponse];
  AssociateSoftwareToken: [Idp.AssociateSoftwareTokenRequest, Idp.AssociateSoftwareTokenResponse];
  VerifySoftwareToken: [Idp.VerifySoftwareTokenRequest, Idp.VerifySoftwareTokenResponse];
  SetUserMFAPreference: [Idp.SetUserMFAPreferenceRequest, Idp.SetUserMFAPreferenceResponse];
  ConfirmDevice: [Idp.ConfirmDeviceRequest, Idp.ConfirmDeviceResponse];
  ForgetDevice: [Idp.ForgetDeviceRequest, {}];
  GetDevice: [Idp.GetDeviceRequest, Idp.GetDeviceResponse];
  ListDevices: [Idp.ListDevicesRequest, Idp.ListDevicesResponse];
  UpdateDeviceStatus: [Idp.UpdateDeviceStatusRequest, Idp.UpdateDeviceStatusResponse];
  StartWebAuthnRegistration: [Idp.StartWebAuthnRegistrationRequest, Idp.StartWebAuthnRegistrationResponse];
  CompleteWebAuthnRegistration: [Idp.CompleteWebAuthnRegistrationRequest, Idp.CompleteWebAuthnRegistrationResponse];
  ListWebAuthnCredentials: [Idp.ListWebAuthnCredentialsRequest, Idp.ListWebAuthnCredentialsResponse];
  DeleteWebAuthnCredential: [Idp.DeleteWebAuthnCredentialRequest, Idp.DeleteWebAuthnCredentialResponse];
  GetUserAuthFactors: [Idp.GetUserAuthFactorsRequest, Idp.GetUserAuthFactorsResponse];
}

/** The Identity Pool operations cogkit sends, typed like {@link UserPoolOperations}. */
export interface IdentityPoolOperations {
  GetId: [Identity.GetIdInput, Identity.GetIdResponse];
  GetCredentialsForIdentity: [Identity.GetCredentialsForIdentityInput, Identity.GetCredentialsForIdentityResponse];
  GetOpenIdToken: [Identity.GetOpenIdTokenInput, Identity.GetOpenIdTokenResponse];
}

/** A User Pool operation name, e.g. `"InitiateAuth"`. */
export type UserPoolOperation = keyof UserPoolOperations;
/** The request of a User Pool operation. */
export type UserPoolInput<Op extends UserPoolOperation> = UserPoolOperations[Op][0];
/** The response of a User Pool operation (no `$metadata`). */
export type UserPoolOutput<Op extends UserPoolOperation> = UserPoolOperations[Op][1];
/** An Identity Pool operation name, e.g. `"GetId"`. */
export type IdentityPoolOperation = keyof IdentityPoolOperations;
/** The request of an Identity Pool operation. */
export type IdentityPoolInput<Op extends IdentityPoolOperation> = IdentityPoolOperations[Op][0];
/** The response of an Identity Pool operation (timestamps as `Date`, as the SDK gives them). */
export type IdentityPoolOutput<Op extends IdentityPoolOperation> = IdentityPoolOperations[Op][1];

/** Per-call options of a {@link CognitoTransport}. */
export interface TransportCallOptions {
  /** Aborting rejects the call with `ERR_ABORTED`. */
  signal?: AbortSignal;
}

/**
 * Sends one Cognito operation and returns its output, or rejects with an `AuthError`
 * (service `__type` mapped to a code, `serviceCode` and `status` kept; network, timeout,
 * abort and unreadable answers each with their own code). It never retries: retrying is
 * the caller's decision, guided by `error.retryable`.
 *
 * @example
 * const out = await transport.userPool("InitiateAuth", { AuthFlow: "USER_SRP_AUTH", ClientId, AuthParameters });
 */
export interface CognitoTransport {
  /** Sends one operation of the user pool service (`AWSCognitoIdentityProviderService`). */
  userPool<Op extends UserPoolOperation>(
    operation: Op,
    input: UserPoolInput<Op>,
    options?: TransportCallOptions,
  ): Promise<UserPoolOutput<Op>>;
  /** Sends one operation of the identity pool service (`AWSCognitoIdentityService`). */
  identityPool<Op extends IdentityPoolOperation>(
    operation: Op,
    input: IdentityPoolInput<Op>,
    options?: TransportCallOptions,
  ): Promise<IdentityPoolOutput<Op>>;
}

/** Where the two services live; the emulator or a proxy overrides the endpoints. */
export interface TransportEndpoints {
  region: string;
  /** Default `https://cognito-idp.<region>.amazonaws.com/`. */
  userPoolEndpoint?: string;
  /** Default `https://cognito-identity.<region>.amazonaws.com/`. */
  identityPoolEndpoint?: string;
}
