import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import { checkPasswordVerifier } from "../srp/password-verifier.js";
import type { EmulatorState } from "../emulator-state.js";
import { completeSignIn } from "./complete-sign-in.js";
import { requireClient } from "./require-client.js";
import { checkSecretHash } from "./secret-hash.js";

const challengeNames = [
  "SMS_MFA",
  "EMAIL_OTP",
  "SOFTWARE_TOKEN_MFA",
  "SELECT_MFA_TYPE",
  "MFA_SETUP",
  "PASSWORD_VERIFIER",
  "CUSTOM_CHALLENGE",
  "SELECT_CHALLENGE",
  "DEVICE_SRP_AUTH",
  "DEVICE_PASSWORD_VERIFIER",
  "ADMIN_NO_SRP_AUTH",
  "NEW_PASSWORD_REQUIRED",
  "SMS_OTP",
  "PASSWORD",
  "WEB_AUTHN",
  "PASSWORD_SRP",
] as const;

type ChallengeResponder = (
  state: EmulatorState,
  responses: Record<string, string>,
  sessionId: string | undefined,
) => Promise<Record<string, unknown>>;

function required(responses: Record<string, string>, name: string): string {
  const value = responses[name];
  if (value === undefined || value === "") throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

// One entry per challenge; MFA and NEW_PASSWORD_REQUIRED join here.
const responders: Partial<Record<string, ChallengeResponder>> = {
  async PASSWORD_VERIFIER(state, responses, sessionId) {
    const username = required(responses, "USERNAME");
    const secretBlock = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
    const signature = required(responses, "PASSWORD_CLAIM_SIGNATURE");
    const timestamp = required(responses, "TIMESTAMP");
    checkSecretHash(state.client, responses.SECRET_HASH, [username]);
    const user = checkPasswordVerifier(state, { username, secretBlock, signature, timestamp }, sessionId);
    return completeSignIn(state, user);
  },
};

/** `RespondToAuthChallenge`: answers the challenge the previous step asked for. */
export async function respondToAuthChallenge(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const clientId = v.string("ClientId", "clientId", { required: true, sensitive: true, minLength: 1, maxLength: 128, pattern: patterns.clientId });
  const challengeName = v.string("ChallengeName", "challengeName", { required: true, oneOf: challengeNames });
  const sessionId = v.string("Session", "session", { minLength: 20, maxLength: 2048 });
  const responses = v.stringMap("ChallengeResponses", "challengeResponses") ?? {};
  v.stringMap("ClientMetadata", "clientMetadata");
  v.throwIfInvalid();
  requireClient(state, clientId);
  const responder = responders[challengeName];
  if (!responder) throw new CognitoError("NotAuthorizedException", "Invalid session for the user.");
  return responder(state, responses, sessionId);
}
