import type { AttributeType } from "@aws-sdk/client-cognito-identity-provider";
import { type ClientContext, secretHashFor } from "../client-context.js";
import { standardAttributeNames } from "../config.js";
import { checkObject, checkSignal, checkStringMap, checkText, checkUsername } from "./check-input.js";
import { type CodeDelivery, type SignUpNextStep, toCodeDelivery } from "./next-step.js";

/** Input of `signUp`. */
export interface SignUpInput {
  username: string;
  password: string;
  /** By Cognito name (`given_name`, `custom:plan`) or camelCase standard key (`givenName`). */
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
  if (value === null || typeof value !== "object") throw new TypeError("signUp: `attributes` must be an object");
  return Object.entries(value).map(([name, attribute]) => {
    if (!["string", "number", "boolean"].includes(typeof attribute)) {
      throw new TypeError(`signUp: attribute \`${name}\` must be a string, number or boolean`);
    }
    const wireName = (standardAttributeNames as Record<string, string>)[name] ?? name;
    return { Name: wireName, Value: String(attribute) };
  });
}

/** Registers a user; see `AuthClient.signUp`. */
export async function signUp(context: ClientContext<any>, input: SignUpInput): Promise<SignUpResult> {
  checkObject(input, "signUp");
  const username = checkUsername(input.username, "signUp");
  const password = checkText(input.password, "password", "signUp");
  const attributes = toAttributes(input.attributes);
  const clientMetadata = checkStringMap(input.clientMetadata, "clientMetadata", "signUp");
  const signal = checkSignal(input.signal, "signUp");
  const output = await context.transport.userPool(
    "SignUp",
    {
      ClientId: context.config.userPoolClientId,
      Username: username,
      Password: password,
      UserAttributes: attributes,
      ClientMetadata: clientMetadata,
      SecretHash: await secretHashFor(context, username),
    },
    { signal },
  );
  const userConfirmed = output.UserConfirmed === true;
  return {
    userSub: output.UserSub ?? "",
    userConfirmed,
    nextStep: userConfirmed ? { type: "done" } : { type: "confirmSignUp", codeDelivery: toCodeDelivery(output.CodeDeliveryDetails) },
  };
}

/** Confirms a sign-up with the code Cognito sent; see `AuthClient.confirmSignUp`. */
export async function confirmSignUp(context: ClientContext<any>, input: ConfirmSignUpInput): Promise<{ nextStep: { type: "done" } }> {
  checkObject(input, "confirmSignUp");
  const username = checkUsername(input.username, "confirmSignUp");
  const code = checkText(input.code, "code", "confirmSignUp");
  const clientMetadata = checkStringMap(input.clientMetadata, "clientMetadata", "confirmSignUp");
  const signal = checkSignal(input.signal, "confirmSignUp");
  await context.transport.userPool(
    "ConfirmSignUp",
    {
      ClientId: context.config.userPoolClientId,
      Username: username,
      ConfirmationCode: code,
      ClientMetadata: clientMetadata,
      SecretHash: await secretHashFor(context, username),
    },
    { signal },
  );
  return { nextStep: { type: "done" } };
}

/** Sends a new sign-up code; see `AuthClient.resendSignUpCode`. */
export async function resendSignUpCode(context: ClientContext<any>, input: ResendSignUpCodeInput): Promise<{ codeDelivery: CodeDelivery }> {
  checkObject(input, "resendSignUpCode");
  const username = checkUsername(input.username, "resendSignUpCode");
  const clientMetadata = checkStringMap(input.clientMetadata, "clientMetadata", "resendSignUpCode");
  const signal = checkSignal(input.signal, "resendSignUpCode");
  const output = await context.transport.userPool(
    "ResendConfirmationCode",
    {
      ClientId: context.config.userPoolClientId,
      Username: username,
      ClientMetadata: clientMetadata,
      SecretHash: await secretHashFor(context, username),
    },
    { signal },
  );
  return { codeDelivery: toCodeDelivery(output.CodeDeliveryDetails) };
}
