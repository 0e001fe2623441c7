import type { RespondToAuthChallengeResponse } from "@aws-sdk/client-cognito-identity-provider";
import { type ClientContext, secretHashParameter } from "../client-context.js";
import { AuthError, isAuthError, loadPart } from "../errors.js";
import { createSessionTokens } from "../session/session-tokens.js";
import { claimSignature, computeA, passwordAuthenticationKey, smallA, srpTimestamp } from "../srp/srp.js";
import { checkText, checkUserInput } from "./check-input.js";
import { grantFromResult } from "./grant-from-result.js";
import type { UserPoolInput, UserPoolOutput } from "../transport/types.js";
import type { FirstFactor, SignInNextStep } from "./next-step.js";

/** What every `signIn` takes. */
interface SignInFields {
  username: string;
  clientMetadata?: Record<string, string>;
  /** Aborts the requests, and a passkey prompt. */
  signal?: AbortSignal;
}

/** Sign-in with the password: `srp` (default) never sends it; `password` sends it over TLS (USER_PASSWORD_AUTH, for migrations). */
export interface PasswordSignInInput extends SignInFields {
  password: string;
  flow?: "srp" | "password";
}

/**
 * Choice-based sign-in (Cognito's USER_AUTH): the user signs in with a passkey, a code sent
 * by email or SMS, or the password, as the app client and the user allow. Without
 * `preferredChallenge` (or when that one is not available) the next step is
 * `selectFirstFactor`. `password` goes with `PASSWORD` / `PASSWORD_SRP` (the default when a
 * password is given); without it the next step asks for it.
 */
export interface ChoiceSignInInput extends SignInFields {
  flow: "choice";
  preferredChallenge?: FirstFactor;
  password?: string;
}

/** Input of `signIn`. */
export type SignInInput = PasswordSignInInput | ChoiceSignInInput;

/** What `signIn` returns: the next step, `done` once signed in. */
export interface SignInResult {
  nextStep: SignInNextStep;
}

const badVerifier = () => new AuthError("ERR_BAD_RESPONSE", "Bad PASSWORD_VERIFIER challenge");

/**
 * Ends a step of signing in: tokens sign the user in (`done`); a challenge becomes the
 * pending step (`username` is who it is for). The challenge steps are a part loaded on
 * first need, so an app whose users have no MFA never downloads them.
 */
export async function settleSignIn(context: ClientContext<any>, output: RespondToAuthChallengeResponse, username: string): Promise<SignInResult> {
  context.challenge = undefined;
  if (!output.AuthenticationResult) {
    return (await loadPart(() => import("./confirm-sign-in.js"))).challengeStep(context, output, username);
  }
  await context.session.acceptSignIn(createSessionTokens(grantFromResult(output.AuthenticationResult), context.platform.clock.now()));
  return { nextStep: { type: "done" } };
}

/** Sends one call of a sign-in flow, with the client id and the flow's metadata and signal. */
export type SignInSend = <Op extends "InitiateAuth" | "RespondToAuthChallenge">(operation: Op, fields: Partial<UserPoolInput<Op>>) => Promise<UserPoolOutput<Op>>;

/**
 * Proves `password` by SRP: `start` sends SRP_A (USER_SRP_AUTH's InitiateAuth, or USER_AUTH's
 * PASSWORD_SRP) and the PASSWORD_VERIFIER challenge that answers it is answered. Returns
 * Cognito's answer to the proof (or `start`'s, when it is no PASSWORD_VERIFIER).
 */
export async function proveSrp(
  context: ClientContext<any>,
  send: SignInSend,
  password: string,
  start: (SRP_A: string) => Promise<RespondToAuthChallengeResponse>,
): Promise<RespondToAuthChallengeResponse> {
  const { config, platform } = context;
  const a = smallA(platform.randomBytes(128));
  const A = await computeA({ a, modPow: platform.modPow });
  const output = await start(A.toString(16));
  if (output.ChallengeName !== "PASSWORD_VERIFIER") return output;
  const { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP } = output.ChallengeParameters ?? {};
  // The user id is sent back and signed as it is: only a string will do.
  if (typeof USER_ID_FOR_SRP != "string" || !USER_ID_FOR_SRP || !SECRET_BLOCK) throw badVerifier();
  // Cognito keys the proof by its own user id (a UUID when signing in with an alias). Pool
  // ids are `<region>_<letters and digits>`.
  const poolName = config.userPoolId.split("_")[1]!;
  const timestamp = srpTimestamp(platform.clock.now());
  // Values the maths or the decoders refuse (B or the salt not hex, B ≡ 0 mod N, a
  // SECRET_BLOCK that is not base64, of any type) are the server's fault: a bad answer.
  const signature = await (async () => {
    const key = await passwordAuthenticationKey({
      subtle: platform.subtle,
      a,
      A,
      B: BigInt(`0x${SRP_B}`),
      salt: BigInt(`0x${SALT}`),
      poolName,
      userId: USER_ID_FOR_SRP,
      password,
      modPow: platform.modPow,
    });
    return claimSignature({ subtle: platform.subtle, key, poolName, userId: USER_ID_FOR_SRP, secretBlock: SECRET_BLOCK, timestamp });
  })().catch(() => {
    throw badVerifier();
  });
  return send("RespondToAuthChallenge", {
    ChallengeName: "PASSWORD_VERIFIER",
    Session: output.Session,
    ChallengeResponses: {
      USERNAME: USER_ID_FOR_SRP,
      PASSWORD_CLAIM_SECRET_BLOCK: SECRET_BLOCK,
      TIMESTAMP: timestamp,
      PASSWORD_CLAIM_SIGNATURE: signature,
      // The answer is checked against the user id the challenge named.
      ...(await secretHashParameter(context, USER_ID_FOR_SRP)),
    },
  });
}

/**
 * What the parts loaded on demand (the other flows, the challenge answers, sign-up's sign-in)
 * use of sign-in: passed to them rather than imported, since an import back into sign-in
 * would make bundlers move sign-in into a chunk of its own.
 */
export const signInSteps = { settle: settleSignIn, proveSrp };

/** What {@link signInSteps} holds. */
export type SignInSteps = typeof signInSteps;

/**
 * Signs a user in; see `AuthClient.signIn`. SRP is here; the other flows (`password`,
 * `choice`) are a part loaded on first use, so a page that signs in with SRP never downloads them.
 */
export async function signIn(context: ClientContext<any>, input: SignInInput): Promise<SignInResult> {
  const { username, clientMetadata, signal } = checkUserInput(input, "signIn");
  try {
    if (input.flow && input.flow != "srp") return await (await loadPart(() => import("./sign-in-flows.js"))).signIn(context, input, signInSteps);
    const password = checkText(input.password, "password", "signIn");
    // A new sign-in drops the step an earlier one left unanswered.
    context.challenge = undefined;
    // Every call of the flow carries the client id, the metadata and the signal.
    const send: SignInSend = (operation, fields) =>
      context.transport.userPool(operation, { ClientId: context.config.userPoolClientId, ClientMetadata: clientMetadata, ...fields } as UserPoolInput<typeof operation>, { signal });
    const output = await proveSrp(context, send, password, async (SRP_A) =>
      send("InitiateAuth", { AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: username, SRP_A, ...(await secretHashParameter(context, username)) } }),
    );
    return await settleSignIn(context, output, username);
  } catch (error) {
    // An unconfirmed account is a step of the journey, not a failure.
    if (isAuthError(error, "ERR_USER_NOT_CONFIRMED")) return { nextStep: { type: "confirmSignUp" } };
    throw error;
  }
}
