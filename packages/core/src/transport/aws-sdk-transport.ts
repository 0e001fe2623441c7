import * as Idp from "@aws-sdk/client-cognito-identity-provider";
import * as Identity from "@aws-sdk/client-cognito-identity";
import { AuthError } from "../errors.js";
import { secretsOf, serviceError } from "./error-map.js";
import type { CognitoTransport, IdentityPoolOperations, TransportEndpoints, UserPoolOperations } from "./types.js";

type CommandClass = new (input: any) => any;

const userPoolCommands: Record<keyof UserPoolOperations, CommandClass> = {
  SignUp: Idp.SignUpCommand,
  ConfirmSignUp: Idp.ConfirmSignUpCommand,
  ResendConfirmationCode: Idp.ResendConfirmationCodeCommand,
  InitiateAuth: Idp.InitiateAuthCommand,
  RespondToAuthChallenge: Idp.RespondToAuthChallengeCommand,
  GetTokensFromRefreshToken: Idp.GetTokensFromRefreshTokenCommand,
  RevokeToken: Idp.RevokeTokenCommand,
  GlobalSignOut: Idp.GlobalSignOutCommand,
  GetUser: Idp.GetUserCommand,
  UpdateUserAttributes: Idp.UpdateUserAttributesCommand,
  VerifyUserAttribute: Idp.VerifyUserAttributeCommand,
  GetUserAttributeVerificationCode: Idp.GetUserAttributeVerificationCodeCommand,
  DeleteUserAttributes: Idp.DeleteUserAttributesCommand,
  DeleteUser: Idp.DeleteUserCommand,
  ChangePassword: Idp.ChangePasswordCommand,
  ForgotPassword: Idp.ForgotPasswordCommand,
  ConfirmForgotPassword: Idp.ConfirmForgotPasswordCommand,
  AssociateSoftwareToken: Idp.AssociateSoftwareTokenCommand,
  VerifySoftwareToken: Idp.VerifySoftwareTokenCommand,
  SetUserMFAPreference: Idp.SetUserMFAPreferenceCommand,
  ConfirmDevice: Idp.ConfirmDeviceCommand,
  ForgetDevice: Idp.ForgetDeviceCommand,
  GetDevice: Idp.GetDeviceCommand,
  ListDevices: Idp.ListDevicesCommand,
  UpdateDeviceStatus: Idp.UpdateDeviceStatusCommand,
  StartWebAuthnRegistration: Idp.StartWebAuthnRegistrationCommand,
  CompleteWebAuthnRegistration: Idp.CompleteWebAuthnRegistrationCommand,
  ListWebAuthnCredentials: Idp.ListWebAuthnCredentialsCommand,
  DeleteWebAuthnCredential: Idp.DeleteWebAuthnCredentialCommand,
  GetUserAuthFactors: Idp.GetUserAuthFactorsCommand,
};

const identityPoolCommands: Record<keyof IdentityPoolOperations, CommandClass> = {
  GetId: Identity.GetIdCommand,
  GetCredentialsForIdentity: Identity.GetCredentialsForIdentityCommand,
  GetOpenIdToken: Identity.GetOpenIdTokenCommand,
};

/** Options of {@link createAwsSdkTransport}: an `AuthConfig` fits as it is. */
export interface AwsSdkTransportOptions extends TransportEndpoints {
  /** Per-request time limit in ms; past it the call rejects with `ERR_TIMEOUT`. Default 15 000. */
  timeoutMs?: number;
}

/**
 * A {@link CognitoTransport} over the AWS SDK v3 clients, for Node apps that already ship
 * the SDK. Same operations, outputs and `AuthError` codes as the fetch transport.
 *
 * @example
 * import { createAwsSdkTransport } from "@cogkit/core/aws-sdk";
 * const client = createAuthClient(config, { transport: createAwsSdkTransport(config) });
 */
export function createAwsSdkTransport(options: AwsSdkTransportOptions): CognitoTransport {
  if (!options || typeof options.region !== "string") throw new TypeError("createAwsSdkTransport needs a `region`");
  const timeoutMs = options.timeoutMs ?? 15_000;
  const shared = {
    region: options.region,
    // Every operation cogkit sends is unsigned; static dummy credentials keep the SDK from
    // searching the environment, files or instance metadata for real ones.
    credentials: { accessKeyId: "cogkit-unsigned", secretAccessKey: "cogkit-unsigned" },
    // Retrying belongs to the caller (the session machine), guided by `retryable`.
    maxAttempts: 1,
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs },
  };
  let userPoolClient: Idp.CognitoIdentityProviderClient | undefined;
  let identityPoolClient: Identity.CognitoIdentityClient | undefined;
  const send = async (client: { send(command: any, options?: any): Promise<any> }, command: any, input: unknown, signal?: AbortSignal) => {
    if (signal?.aborted) throw new AuthError("ERR_ABORTED", "The request was aborted", { cause: signal.reason });
    try {
      const { $metadata: _, ...output } = await client.send(command, { abortSignal: signal });
      return output;
    } catch (error) {
      throw sdkError(error, input, signal);
    }
  };
  return {
    userPool(operation, input, call) {
      userPoolClient ??= new Idp.CognitoIdentityProviderClient({ ...shared, endpoint: options.userPoolEndpoint });
      return send(userPoolClient, new userPoolCommands[operation](input), input, call?.signal);
    },
    identityPool(operation, input, call) {
      identityPoolClient ??= new Identity.CognitoIdentityClient({ ...shared, endpoint: options.identityPoolEndpoint });
      return send(identityPoolClient, new identityPoolCommands[operation](input), input, call?.signal);
    },
  };
}

function sdkError(error: unknown, input: unknown, signal: AbortSignal | undefined): AuthError {
  const e = (error ?? {}) as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number }; $fault?: string; $response?: unknown };
  const status = e.$metadata?.httpStatusCode;
  if (signal?.aborted || e.name === "AbortError") {
    return new AuthError("ERR_ABORTED", "The request was aborted", { cause: signal?.reason });
  }
  // The SDK names a reset or broken connection a TimeoutError too; only a timed-out one is a timeout.
  const dropped = e.code === "ECONNRESET" || e.code === "EPIPE";
  if (dropped ? /time/i.test(String(e.message)) : e.name === "TimeoutError" || e.code === "ETIMEDOUT") {
    return new AuthError("ERR_TIMEOUT", "The request took too long", { retryable: true });
  }
  // A 501 (Not Implemented) means "no such operation here" whatever its body, which the SDK
  // may have failed to read: the status alone decides (ERR_UNSUPPORTED_OPERATION).
  if (status === 501 && e.$fault === undefined) return serviceError({ type: undefined, message: undefined, status });
  if (e.$fault === undefined) {
    // Not a modelled service error: the SDK failed before or while reading an answer.
    if (status !== undefined || e.$response !== undefined || e.name === "SyntaxError") {
      return new AuthError("ERR_BAD_RESPONSE", "Cognito's answer could not be read", { status, retryable: (status ?? 0) >= 500 });
    }
    return new AuthError("ERR_NETWORK", "Could not reach Cognito", { retryable: true, cause: { name: e.name, code: e.code } });
  }
  // An answer's __type and message reach here as the server sent them, strings or not.
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return serviceError({ type: text(e.name), message: text(e.message), status, secrets: secretsOf(input) });
}
