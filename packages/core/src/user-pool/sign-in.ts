import type { AuthFlowType, InitiateAuthResponse, RespondToAuthChallengeResponse } from "@aws-sdk/client-cognito-identity-provider";
import { type ClientContext, secretHashParameter } from "../client-context.js";
import { AuthError, isAuthError, loadPart } from "../errors.js";
import { createSessionTokens } from "../session/session-tokens.js";
import { claimSignature, computeA, passwordAuthenticationKey, smallA, srpTimestamp } from "../srp/srp.js";
import { checkText, checkUserInput } from "./check-input.js";
import { grantFromResult } from "./grant-from-result.js";
import type { UserPoolInput } from "../transport/types.js";
import type { SignInNextStep } from "./next-step.js";

/** Input of `signIn`. */
export interface SignInInput {
  username: string;
  password: string;
  /** `srp` (default) never sends the password; `password` sends it over TLS (USER_PASSWORD_AUTH, for migrations). */
  flow?: "srp" | "password";
  clientMetadata?: Record<string, string>;
  signal?: AbortSignal;
}

/** What `signIn` returns: the next step, `done` once signed in. */
export interface SignInResult {
  nextStep: SignInNextStep;
}

const hex = /^[0-9a-fA-F]+$/;

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

/** Signs a user in; see `AuthClient.signIn`. */
export async function signIn(context: ClientContext<any>, input: SignInInput): Promise<SignInResult> {
  const { username, clientMetadata, signal } = checkUserInput(input, "signIn");
  const password = checkText(input.password, "password", "signIn");
  const flow = input.flow ?? "srp";
  if (flow !== "srp" && flow !== "password") throw new TypeError("signIn: `flow` must be 'srp' or 'password'");
  const { config, platform, transport } = context;
  // A new sign-in drops the step an earlier one left unanswered.
  context.challenge = undefined;
  // Every call of a flow carries the client id, the metadata and the signal.
  const send = <Op extends "InitiateAuth" | "RespondToAuthChallenge">(operation: Op, fields: Partial<UserPoolInput<Op>>) =>
    transport.userPool(operation, { ClientId: config.userPoolClientId, ClientMetadata: clientMetadata, ...fields } as UserPoolInput<Op>, { signal });
  const initiate = async (AuthFlow: AuthFlowType, parameters: Record<string, string>) =>
    send("InitiateAuth", { AuthFlow, AuthParameters: { USERNAME: username, ...parameters, ...(await secretHashParameter(context, username)) } });
  try {
    let output: InitiateAuthResponse;
    if (flow === "password") {
      output = await initiate("USER_PASSWORD_AUTH", { PASSWORD: password });
    } else {
      const a = smallA(platform.randomBytes(128));
      const A = await computeA({ a, modPow: platform.modPow });
      output = await initiate("USER_SRP_AUTH", { SRP_A: A.toString(16) });
      if (output.ChallengeName === "PASSWORD_VERIFIER") {
        const { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP } = output.ChallengeParameters ?? {};
        // The user id is sent back and signed as it is: only a string will do.
        if (typeof USER_ID_FOR_SRP != "string" || !USER_ID_FOR_SRP || !SECRET_BLOCK || !hex.test(SALT!) || !hex.test(SRP_B!)) {
          throw new AuthError("ERR_BAD_RESPONSE", "Incomplete PASSWORD_VERIFIER challenge");
        }
        // Cognito keys the proof by its own user id (a UUID when signing in with an alias).
        const poolName = config.userPoolId.slice(config.userPoolId.indexOf("_") + 1);
        const timestamp = srpTimestamp(platform.clock.now());
        // Values the maths or the decoders refuse (B ≡ 0 mod N, a SECRET_BLOCK that is not
        // base64, of any type) are the server's fault, whatever they are: a bad answer.
        const signature = await passwordAuthenticationKey({
          subtle: platform.subtle,
          a,
          A,
          B: BigInt(`0x${SRP_B}`),
          salt: BigInt(`0x${SALT}`),
          poolName,
          userId: USER_ID_FOR_SRP,
          password,
          modPow: platform.modPow,
        })
          .then((key) => claimSignature({ subtle: platform.subtle, key, poolName, userId: USER_ID_FOR_SRP, secretBlock: SECRET_BLOCK, timestamp }))
          .catch(() => {
            throw new AuthError("ERR_BAD_RESPONSE", "Bad PASSWORD_VERIFIER challenge");
          });
        output = await send("RespondToAuthChallenge", {
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
    }
    return await settleSignIn(context, output, username);
  } catch (error) {
    // An unconfirmed account is a step of the journey, not a failure.
    if (isAuthError(error, "ERR_USER_NOT_CONFIRMED")) return { nextStep: { type: "confirmSignUp" } };
    throw error;
  }
}
