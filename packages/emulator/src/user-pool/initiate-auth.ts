import { CognitoError, incorrectCredentials, invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import { startPasswordVerifier } from "../srp/password-verifier.js";
import type { ClientModel, ExplicitAuthFlow } from "../emulator-options.js";
import type { EmulatorState } from "../emulator-state.js";
import { completeSignIn } from "./complete-sign-in.js";
import { checkDecoyPassword, provePassword, startUserAuth } from "./user-auth.js";
import { checkRefreshDevice, refreshProblemError } from "./refresh-problem-error.js";
import { requireClient } from "./require-client.js";
import { checkSecretHash } from "./secret-hash.js";

const authFlows = [
  "USER_SRP_AUTH",
  "REFRESH_TOKEN_AUTH",
  "REFRESH_TOKEN",
  "CUSTOM_AUTH",
  "ADMIN_NO_SRP_AUTH",
  "USER_PASSWORD_AUTH",
  "ADMIN_USER_PASSWORD_AUTH",
  "USER_AUTH",
] as const;

const allowedBy: Partial<Record<string, ExplicitAuthFlow>> = {
  USER_AUTH: "ALLOW_USER_AUTH",
  USER_SRP_AUTH: "ALLOW_USER_SRP_AUTH",
  USER_PASSWORD_AUTH: "ALLOW_USER_PASSWORD_AUTH",
  REFRESH_TOKEN_AUTH: "ALLOW_REFRESH_TOKEN_AUTH",
  REFRESH_TOKEN: "ALLOW_REFRESH_TOKEN_AUTH",
};

function requireParameter(parameters: Record<string, string>, name: string): string {
  const value = parameters[name];
  if (value === undefined || value === "") throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

function unknownUser(client: ClientModel): CognitoError {
  return client.preventUserExistenceErrors ? incorrectCredentials() : new CognitoError("UserNotFoundException", "User does not exist.");
}

/** `InitiateAuth` with USER_AUTH, USER_SRP_AUTH, USER_PASSWORD_AUTH or REFRESH_TOKEN_AUTH, as the client allows. */
export async function initiateAuth(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const clientId = v.string("ClientId", "clientId", { required: true, sensitive: true, minLength: 1, maxLength: 128, pattern: patterns.clientId });
  const flow = v.string("AuthFlow", "authFlow", { required: true, oneOf: authFlows });
  const parameters = v.stringMap("AuthParameters", "authParameters") ?? {};
  v.stringMap("ClientMetadata", "clientMetadata");
  // Only USER_AUTH reads it: the Session of ConfirmSignUp, to sign the new user in.
  const sessionId = v.string("Session", "session", { minLength: 20, maxLength: 2048 });
  v.throwIfInvalid();
  const client = requireClient(state, clientId);
  if (flow.startsWith("ADMIN_")) throw invalidParameter("Initiate Auth method not supported.");
  const needed = allowedBy[flow];
  if (!needed || !client.authFlows.has(needed)) {
    throw invalidParameter(`${flow === "REFRESH_TOKEN" ? "REFRESH_TOKEN_AUTH" : flow} flow not enabled for this client`);
  }

  if (flow === "USER_AUTH") {
    checkSecretHash(client, parameters.SECRET_HASH, [requireParameter(parameters, "USERNAME")]);
    return startUserAuth(state, client, parameters, sessionId);
  }

  if (flow === "USER_PASSWORD_AUTH") {
    const login = requireParameter(parameters, "USERNAME");
    const password = requireParameter(parameters, "PASSWORD");
    checkSecretHash(client, parameters.SECRET_HASH, [login]);
    const user = state.users.byLogin(login);
    if (!user) {
      checkDecoyPassword(state, login, password);
      throw unknownUser(client);
    }
    provePassword(state, user, password);
    return completeSignIn(state, user, parameters.DEVICE_KEY ? { deviceKey: parameters.DEVICE_KEY } : {});
  }

  if (flow === "USER_SRP_AUTH") {
    const login = requireParameter(parameters, "USERNAME");
    const srpA = requireParameter(parameters, "SRP_A");
    checkSecretHash(client, parameters.SECRET_HASH, [login]);
    const user = state.users.byLogin(login);
    if (!user && !client.preventUserExistenceErrors) throw unknownUser(client);
    return startPasswordVerifier(state, user, login, srpA, parameters.DEVICE_KEY ? { deviceKey: parameters.DEVICE_KEY } : {});
  }

  // REFRESH_TOKEN_AUTH: new ID and access tokens; the refresh token stays the same.
  const refreshToken = requireParameter(parameters, "REFRESH_TOKEN");
  const found = state.refreshTokens.use(refreshToken, 0);
  if ("problem" in found) throw refreshProblemError(found.problem);
  const user = found.family.clientId === client.id ? state.users.byUsername(found.family.username) : undefined;
  if (!user) throw refreshProblemError("invalid");
  checkSecretHash(client, parameters.SECRET_HASH, [user.username, ...(parameters.USERNAME ? [parameters.USERNAME] : [])]);
  checkRefreshDevice(state, found.family, parameters.DEVICE_KEY);
  if (!user.enabled) throw new CognitoError("NotAuthorizedException", "User is disabled.");
  return { AuthenticationResult: await state.tokens.issue(user, found.family), ChallengeParameters: {} };
}
