import type { AttributeType } from "@aws-sdk/client-cognito-identity-provider";
import { type ClientContext, secretHashFor } from "../client-context.js";
import { loadPart } from "../errors.js";
import type { UserPoolInput, UserPoolOutput } from "../transport/types.js";
import { checkText, checkUserInput } from "./check-input.js";
import { type CodeDelivery, type SignInNextStep, type SignUpNextStep, toCodeDelivery } from "./next-step.js";
import type { SignInSteps } from "./sign-in.js";

/** Input of `signUp`. */
export interface SignUpInput {
  username: string;
  /**
   * Left out where the pool lets users sign up without one: they sign in with a code or a
   * passkey (choice-based sign-in), and `confirmSignUp({ ..., signIn: true })` signs them in.
   */
  password?: string;
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
  /**
   * Signs the user in once confirmed, without a password (Cognito's USER_AUTH with the session
   * ConfirmSignUp gives). Works after a reload or in another tab too, within the session's
   * validity: `signUp` keeps what it needs in the client's storage.
   */
  signIn?: boolean;
  clientMetadata?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * What `confirmSignUp` returns: `done`; with `signIn: true`, the sign-in's next step (`done`
 * once signed in), or `signIn` when Cognito gave no session to sign in with (the sign-up was
 * made elsewhere, or too long ago): sign in as usual.
 */
export type ConfirmSignUpNextStep = SignInNextStep | { type: "signIn" };

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

// The session SignUp gives, kept until ConfirmSignUp uses it, in the client's storage so that
// a reload or another tab of the browser can confirm and sign in. Cognito ends it after the
// app client's AuthSessionValidity: 3 to 15 minutes.
const keptFor = 15 * 60_000;
const keptKey = (context: ClientContext<any>) => `cogkit.${context.config.userPoolClientId}.signUp`;

/**
 * The kept sign-up session of `username`, if any and still young; a kept one past its time
 * is dropped. Storage failures and unreadable records read as none.
 */
async function keptSession(context: ClientContext<any>, username: string): Promise<string | undefined> {
  let kept: { u?: unknown; s?: unknown; t?: unknown } | undefined;
  try {
    kept = JSON.parse((await context.platform.storage.getItem(keptKey(context)))!);
  } catch {}
  if (!kept) return undefined;
  if (!(context.platform.clock.now() - Number(kept.t) < keptFor)) return void (await keep(context));
  if (kept.u === username && typeof kept.s == "string") return kept.s;
}

/** Keeps `value` (or, without it, forgets the kept session); storage failures only lose it. */
async function keep(context: ClientContext<any>, value?: object): Promise<void> {
  const { storage } = context.platform;
  try {
    await (value ? storage.setItem(keptKey(context), JSON.stringify(value)) : storage.removeItem(keptKey(context)));
  } catch {}
}

/** Registers a user; see `AuthClient.signUp`. */
export async function signUp(context: ClientContext<any>, input: SignUpInput): Promise<SignUpResult> {
  const output = await send(context, "SignUp", "signUp", input, (given) => ({
    Password: given.password === undefined ? undefined : checkText(given.password, "password", "signUp"),
    UserAttributes: toAttributes(given.attributes),
  }));
  const userConfirmed = output.UserConfirmed === true;
  if (output.Session && !userConfirmed) await keep(context, { u: input.username, s: output.Session, t: context.platform.clock.now() });
  return {
    userSub: output.UserSub ?? "",
    userConfirmed,
    nextStep: userConfirmed ? { type: "done" } : { type: "confirmSignUp", codeDelivery: toCodeDelivery(output.CodeDeliveryDetails) },
  };
}

/**
 * Confirms a sign-up with the code Cognito sent, and with `signIn: true` signs the user in;
 * see `AuthClient.confirmSignUp`. `steps` are sign-in's (see `signInSteps`).
 */
export async function confirmSignUp(context: ClientContext<any>, input: ConfirmSignUpInput, steps: SignInSteps): Promise<{ nextStep: ConfirmSignUpNextStep }> {
  const signIn = input?.signIn;
  if (signIn !== undefined && typeof signIn != "boolean") throw new TypeError("confirmSignUp: `signIn` must be a boolean");
  const session = signIn ? await keptSession(context, input.username) : undefined;
  const output = await send(context, "ConfirmSignUp", "confirmSignUp", input, (given) => ({
    ConfirmationCode: checkText(given.code, "code", "confirmSignUp"),
    Session: session,
  }));
  // Used up: a second confirmation cannot sign in with it.
  if (session) await keep(context);
  if (!signIn) return { nextStep: { type: "done" } };
  if (!output.Session) return { nextStep: { type: "signIn" } };
  const { username, clientMetadata, signal } = input;
  return (await loadPart(() => import("./sign-in-flows.js"))).signIn(context, { username, flow: "choice", clientMetadata, signal }, steps, output.Session);
}

/** Sends a new sign-up code; see `AuthClient.resendSignUpCode`. */
export async function resendSignUpCode(context: ClientContext<any>, input: ResendSignUpCodeInput): Promise<{ codeDelivery: CodeDelivery }> {
  const output = await send(context, "ResendConfirmationCode", "resendSignUpCode", input, () => ({}));
  return { codeDelivery: toCodeDelivery(output.CodeDeliveryDetails) };
}
