import type { RespondToAuthChallengeResponse } from "@aws-sdk/client-cognito-identity-provider";
import { type ClientContext, secretHashParameter } from "../client-context.js";
import { AuthError } from "../errors.js";
import { askAuthenticator, passkeyCall } from "../passkeys/web-authn.js";
import { checkText } from "./check-input.js";
import type { ConfirmSignInInput } from "./confirm-sign-in.js";
import { type FirstFactor, toCodeDelivery } from "./next-step.js";
import type { SignInInput, SignInResult, SignInSend, SignInSteps } from "./sign-in.js";

// The sign-in flows other than SRP, a part loaded on first use: USER_PASSWORD_AUTH (for
// migrations) and choice-based sign-in (USER_AUTH) with the answers to its first-factor steps.

// The passkey ceremonies live in this part; registerPasskey loads it for them.
export { askAuthenticator, passkeyCall };

const factors: FirstFactor[] = ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];
const isPassword = (factor: string) => factor.startsWith("PASSWORD");

/** One sign-in under way: who, how its calls go out, and sign-in's own steps. */
interface Run {
  context: ClientContext<any>;
  username: string;
  send: SignInSend;
  steps: SignInSteps;
  signal: AbortSignal | undefined;
}

function runOf(context: ClientContext<any>, username: string, steps: SignInSteps, { clientMetadata, signal }: { clientMetadata?: Record<string, string>; signal?: AbortSignal }): Run {
  const send: SignInSend = (operation, fields) =>
    context.transport.userPool(operation, { ClientId: context.config.userPoolClientId, ClientMetadata: clientMetadata, ...fields } as never, { signal });
  return { context, username, send, steps, signal };
}

/**
 * `signIn` with `flow: "password"` or `flow: "choice"` (the input's common fields already
 * checked). `session` is ConfirmSignUp's, which signs a just-confirmed user in by USER_AUTH.
 */
export async function signIn(context: ClientContext<any>, input: SignInInput, steps: SignInSteps, session?: string): Promise<SignInResult> {
  const { username, flow } = input;
  const run = runOf(context, username, steps, input);
  if (flow == "password") {
    const password = checkText(input.password, "password", "signIn");
    context.challenge = undefined;
    const output = await run.send("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password, ...(await secretHashParameter(context, username)) },
    });
    return steps.settle(context, output, username);
  }
  if (flow != "choice") throw new TypeError("signIn: `flow` must be 'srp', 'password' or 'choice'");
  const { preferredChallenge: preferred, password } = input;
  if (preferred !== undefined && !factors.includes(preferred)) throw new TypeError(`signIn: \`preferredChallenge\` must be one of ${factors.join(", ")}`);
  if (password !== undefined) {
    checkText(password, "password", "signIn");
    if (preferred && !isPassword(preferred)) throw new TypeError("signIn: `password` goes with `preferredChallenge` PASSWORD or PASSWORD_SRP");
  }
  context.challenge = undefined;
  // A password given without a preference is proven by SRP: it never travels.
  const factor = preferred ?? (password === undefined ? undefined : "PASSWORD_SRP");
  if (factor && isPassword(factor) && password === undefined) return awaitPassword(run, factor, undefined);
  return answerFactor(run, factor, password, undefined, session);
}

/** The `password` step: the factor is kept pending until `confirmSignIn` brings the password. */
function awaitPassword({ context, username }: Run, factor: string, session: string | undefined): SignInResult {
  context.challenge = { name: factor, session, username, choice: [] };
  return { nextStep: { type: "password" } };
}

/**
 * Starts a first factor: InitiateAuth (USER_AUTH, with `factor` as PREFERRED_CHALLENGE, or
 * none) unless `selected` is the session of a SELECT_CHALLENGE, which is then answered.
 */
async function answerFactor(run: Run, factor: string | undefined, password: string | undefined, selected: string | undefined, session?: string): Promise<SignInResult> {
  const { context, username, send, steps } = run;
  const start = async (parameters: Record<string, string>) => {
    const secret = await secretHashParameter(context, username);
    return selected
      ? send("RespondToAuthChallenge", { ChallengeName: "SELECT_CHALLENGE", Session: selected, ChallengeResponses: { USERNAME: username, ANSWER: factor!, ...parameters, ...secret } })
      : send("InitiateAuth", { AuthFlow: "USER_AUTH", Session: session, AuthParameters: { USERNAME: username, ...(factor && { PREFERRED_CHALLENGE: factor }), ...parameters, ...secret } });
  };
  const output =
    factor == "PASSWORD_SRP"
      ? await steps.proveSrp(context, send, password!, (SRP_A) => start({ SRP_A }))
      : await start(factor == "PASSWORD" ? { PASSWORD: password! } : {});
  return firstFactorStep(run, output, password !== undefined);
}

/**
 * The step an answer to a first-factor request becomes. After a password, EMAIL_OTP is MFA
 * (the challenge steps' `emailMfa`); before one it is the first factor (`emailOtp`). A
 * passkey is asked of the authenticator at once.
 */
async function firstFactorStep(run: Run, output: RespondToAuthChallengeResponse & { AvailableChallenges?: string[] }, afterPassword: boolean): Promise<SignInResult> {
  const { context, username, send, steps } = run;
  const name = String(output.ChallengeName);
  const parameters = output.ChallengeParameters ?? {};
  if (name == "WEB_AUTHN") {
    let options: unknown;
    try {
      options = JSON.parse(parameters.CREDENTIAL_REQUEST_OPTIONS!);
    } catch {}
    const credential = await askAuthenticator(context, "get", options, run.signal);
    const answer = await passkeyCall(
      send("RespondToAuthChallenge", {
        ChallengeName: "WEB_AUTHN",
        Session: output.Session,
        ChallengeResponses: { USERNAME: username, CREDENTIAL: JSON.stringify(credential), ...(await secretHashParameter(context, username)) },
      }),
    );
    return steps.settle(context, answer, username);
  }
  if (name == "SELECT_CHALLENGE" || (!afterPassword && (name == "EMAIL_OTP" || name == "SMS_OTP"))) {
    const available = (output.AvailableChallenges ?? []).filter((factor): factor is FirstFactor => factors.includes(factor as FirstFactor));
    context.challenge = { name, session: output.Session, username, choice: available };
    return {
      nextStep:
        name == "SELECT_CHALLENGE"
          ? { type: "selectFirstFactor", availableChallenges: available }
          : {
              type: name == "EMAIL_OTP" ? "emailOtp" : "smsOtp",
              codeDelivery: toCodeDelivery({ Destination: parameters.CODE_DELIVERY_DESTINATION, DeliveryMedium: parameters.CODE_DELIVERY_DELIVERY_MEDIUM }),
            },
    };
  }
  return steps.settle(context, output, username);
}

/**
 * Answers a pending first-factor step (`confirmSignIn`, input checked): the factor chosen
 * for `selectFirstFactor` (any case), the password, or the code sent.
 */
export async function answerFirstFactor(context: ClientContext<any>, input: ConfirmSignInInput, steps: SignInSteps): Promise<SignInResult> {
  const { name, session, username, choice } = context.challenge!;
  const answer = input.challengeResponse;
  const run = runOf(context, username, steps, input);
  if (name == "SELECT_CHALLENGE") {
    const factor = answer.toUpperCase();
    if (!choice!.includes(factor)) throw new AuthError("ERR_INVALID_PARAMETER", `Answer one of ${choice!.join(", ")}`);
    return isPassword(factor) ? awaitPassword(run, factor, session) : answerFactor(run, factor, undefined, session);
  }
  if (isPassword(name)) return answerFactor(run, name, answer, session);
  const output = await run.send("RespondToAuthChallenge", {
    ChallengeName: name as "EMAIL_OTP" | "SMS_OTP",
    Session: session,
    ChallengeResponses: { USERNAME: username, [`${name}_CODE`]: answer, ...(await secretHashParameter(context, username)) },
  });
  return steps.settle(context, output, username);
}
