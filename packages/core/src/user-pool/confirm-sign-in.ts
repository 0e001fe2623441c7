import type { ChallengeNameType, RespondToAuthChallengeResponse } from "@aws-sdk/client-cognito-identity-provider";
import { type ClientContext, secretHashParameter } from "../client-context.js";
import { AuthError, loadPart } from "../errors.js";
import { checkObject, checkOptional, checkText } from "./check-input.js";
import { type MfaType, type SignInNextStep, toCodeDelivery } from "./next-step.js";
import type { SignInResult, SignInSteps } from "./sign-in.js";

/** Input of `AuthClient.confirmSignIn`. */
export interface ConfirmSignInInput {
  /**
   * The answer to the pending step: the new password, the code, `"SMS"`/`"EMAIL"`/`"TOTP"`
   * (any case) for `selectMfaType`, the authenticator app's code or an email address for
   * `mfaSetup`, the custom challenge's answer; for choice-based sign-in, one of
   * `availableChallenges` (any case) for `selectFirstFactor`, the password for `password`,
   * the code for `emailOtp` / `smsOtp`.
   */
  challengeResponse: string;
  /** `newPasswordRequired`: values of `requiredAttributes` (and other writable attributes). */
  userAttributes?: Record<string, string>;
  clientMetadata?: Record<string, string>;
  /** Aborts the request, and a passkey prompt (`selectFirstFactor` answered `WEB_AUTHN`). */
  signal?: AbortSignal;
}

// Cognito's challenge → our step, and the key its answer goes under.
const challenges: Record<string, [SignInNextStep["type"], string]> = {
  NEW_PASSWORD_REQUIRED: ["newPasswordRequired", "NEW_PASSWORD"],
  SMS_MFA: ["smsMfa", "SMS_MFA_CODE"],
  EMAIL_OTP: ["emailMfa", "EMAIL_OTP_CODE"],
  SOFTWARE_TOKEN_MFA: ["totpMfa", "SOFTWARE_TOKEN_MFA_CODE"],
  SELECT_MFA_TYPE: ["selectMfaType", "ANSWER"],
  MFA_SETUP: ["mfaSetup", "EMAIL"],
  CUSTOM_CHALLENGE: ["customChallenge", "ANSWER"],
};
// Our MFA type ↔ Cognito's name of it in MFAS_CAN_CHOOSE / MFAS_CAN_SETUP and in ANSWER.
const mfaNames: Record<MfaType, string> = { SMS: "SMS_MFA", EMAIL: "EMAIL_OTP", TOTP: "SOFTWARE_TOKEN_MFA" };

function list(json: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(json!);
    if (Array.isArray(value)) return value.filter((item) => typeof item === "string");
  } catch {}
  return [];
}

/**
 * The step a challenge of `signIn` (or of the last `confirmSignIn`) becomes: it is made the
 * pending one and returned as a typed `nextStep`. `username` is who the challenge is for.
 */
export function challengeStep(context: ClientContext<any>, output: RespondToAuthChallengeResponse, username: string): SignInResult {
  const name = String(output.ChallengeName);
  const parameters = output.ChallengeParameters ?? {};
  const type = challenges[name]?.[0];
  if (!type) throw new AuthError("ERR_UNEXPECTED_CHALLENGE", `signIn cannot answer the ${name} challenge`, { serviceCode: name });
  const nextStep = { type } as Record<string, unknown>;
  if (type === "smsMfa" || type === "emailMfa") {
    nextStep.codeDelivery = toCodeDelivery({ Destination: parameters.CODE_DELIVERY_DESTINATION, DeliveryMedium: parameters.CODE_DELIVERY_DELIVERY_MEDIUM });
  }
  if (type === "selectMfaType" || type === "mfaSetup") {
    const names = list(parameters.MFAS_CAN_CHOOSE ?? parameters.MFAS_CAN_SETUP);
    nextStep.allowedMfaTypes = (Object.keys(mfaNames) as MfaType[]).filter((mfa) => names.includes(mfaNames[mfa]));
  }
  if (type === "newPasswordRequired") nextStep.requiredAttributes = list(parameters.requiredAttributes).map((key) => key.replace("userAttributes.", ""));
  if (type === "customChallenge") nextStep.parameters = parameters;
  context.challenge = { name, session: output.Session, username: parameters.USER_ID_FOR_SRP ?? username };
  return { nextStep: nextStep as SignInNextStep };
}

/**
 * Answers the pending sign-in step; see `AuthClient.confirmSignIn`. `steps` are sign-in's
 * own (see `signInSteps`), passed in rather than imported: this part is loaded on demand, and
 * an import back into sign-in would make bundlers move sign-in into a chunk of its own.
 * Choice-based sign-in's first-factor steps are answered by its own part.
 */
export async function confirmSignIn(context: ClientContext<any>, input: ConfirmSignInInput, steps: SignInSteps): Promise<SignInResult> {
  checkObject(input, "confirmSignIn");
  let answer = checkText(input.challengeResponse, "challengeResponse", "confirmSignIn");
  checkOptional(input, "confirmSignIn", "userAttributes");
  const { clientMetadata, signal } = input;
  const pending = context.challenge;
  if (!pending) throw new AuthError("ERR_NO_PENDING_SIGN_IN", "No sign-in step to answer");
  if (pending.choice) return (await loadPart(() => import("./sign-in-flows.js"))).answerFirstFactor(context, input as ConfirmSignInInput, steps);
  const { name, username } = pending;
  let { session } = pending;
  let key = challenges[name]![1];
  if (name === "SELECT_MFA_TYPE") {
    answer = mfaNames[answer.toUpperCase() as MfaType];
    if (!answer) throw new AuthError("ERR_INVALID_PARAMETER", "Answer SMS, EMAIL or TOTP");
  }
  // MFA_SETUP takes an email address, or the first code of the app `setUpTotp` registered.
  if (name === "MFA_SETUP" && !answer.includes("@")) {
    const verified = await context.transport.userPool("VerifySoftwareToken", { Session: session, UserCode: answer }, { signal });
    if (verified.Status !== "SUCCESS") throw new AuthError("ERR_CODE_MISMATCH", "Wrong code");
    session = verified.Session;
    key = "";
  }
  const output = await context.transport.userPool(
    "RespondToAuthChallenge",
    {
      ClientId: context.config.userPoolClientId,
      ChallengeName: name as ChallengeNameType,
      Session: session,
      ClientMetadata: clientMetadata,
      ChallengeResponses: {
        ...(key && { [key]: answer }),
        ...Object.fromEntries(Object.entries(input.userAttributes ?? {}).map(([attribute, value]) => [`userAttributes.${attribute}`, value])),
        USERNAME: username,
        ...(await secretHashParameter(context, username)),
      },
    },
    { signal },
  );
  return steps.settle(context, output, username);
}
