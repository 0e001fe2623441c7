import type { AttributeType } from "@aws-sdk/client-cognito-identity-provider";
import { type ClientContext, secretHashFor } from "../client-context.js";
import type { UserPoolInput, UserPoolOutput } from "../transport/types.js";
import { checkText, checkUserInput } from "./check-input.js";
import { type CodeDelivery, type SignUpNextStep, toCodeDelivery } from "./next-step.js";

/** Input of `signUp`. */
export interface SignUpInput {
  username: string;
  password: string;
  /** By Cognito name, as in tokens and `user.attributes`: `email`, `given_name`, `custom:plan`. */
  attributes?: Record<string, string | number | boolean>;
  /** Passed to the pool's Lambda triggers. */
  clientMetadata?: Record<string, string>;
  signal?: AbortSignal;
}

/** What `signUp` returns. */
export interface SignUpResult {
  /** The new user's `sub`. */
  userSub: string;
  userConfirmed: boolean;
  nextStep: SignUpNextStep;
}

/** Input of `confirmSignUp`. */
export interface ConfirmSignUpInput {
  username: string;
  code: string;
  clientMetadata?: Record<string, string>;
  signal?: AbortSignal;
}

/** Input of `resendSignUpCode`. */
export interface ResendSignUpCodeInput {
  username: string;
  clientMetadata?: Record<string, string>;
  signal?: AbortSignal;
}

function toAttributes(value: unknown): AttributeType[] | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Object.values(value).some((v) => !/^(string|number|boolean)$/.test(typeof v))) {
    throw new TypeError("signUp: `attributes` must map names to strings, numbers or booleans");
  }
  return Object.entries(value).map(([Name, attribute]) => ({ Name, Value: String(attribute) }));
}

// The three calls share their shape: a username (with SECRET_HASH over it), client
// metadata and a signal, plus fields of their own.
async function send<Op extends "SignUp" | "ConfirmSignUp" | "ResendConfirmationCode">(
  context: ClientContext<any>,
  operation: Op,
  name: string,
  input: { username: string; clientMetadata?: Record<string, string>; signal?: AbortSignal },
  fields: (input: Record<string, unknown>) => Partial<UserPoolInput<Op>>,
): Promise<UserPoolOutput<Op>> {
  const { username, clientMetadata, signal } = checkUserInput(input, name);
  const own = fields(input);
  const request = {
    ClientId: context.config.userPoolClientId,
    Username: username,
    ClientMetadata: clientMetadata,
    SecretHash: await secretHashFor(context, username),
    ...own,
  } as UserPoolInput<Op>;
  return context.transport.userPool(operation, request, { signal });
}

/** Registers a user; see `AuthClient.signUp`. */
export async function signUp(context: ClientContext<any>, input: SignUpInput): Promise<SignUpResult> {
  const output = await send(context, "SignUp", "signUp", input, (given) => ({
    Password: checkText(given.password, "password", "signUp"),
    UserAttributes: toAttributes(given.attributes),
  }));
  const userConfirmed = output.UserConfirmed === true;
  return {
    userSub: output.UserSub ?? "",
    userConfirmed,
    nextStep: userConfirmed ? { type: "done" } : { type: "confirmSignUp", codeDelivery: toCodeDelivery(output.CodeDeliveryDetails) },
  };
}

/** Confirms a sign-up with the code Cognito sent; see `AuthClient.confirmSignUp`. */
export async function confirmSignUp(context: ClientContext<any>, input: ConfirmSignUpInput): Promise<{ nextStep: { type: "done" } }> {
  await send(context, "ConfirmSignUp", "confirmSignUp", input, (given) => ({ ConfirmationCode: checkText(given.code, "code", "confirmSignUp") }));
  return { nextStep: { type: "done" } };
}

/** Sends a new sign-up code; see `AuthClient.resendSignUpCode`. */
export async function resendSignUpCode(context: ClientContext<any>, input: ResendSignUpCodeInput): Promise<{ codeDelivery: CodeDelivery }> {
  const output = await send(context, "ResendConfirmationCode", "resendSignUpCode", input, () => ({}));
  return { codeDelivery: toCodeDelivery(output.CodeDeliveryDetails) };
}
