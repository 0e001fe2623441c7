import type { AuthClient, MfaType, SignInNextStep } from "@cogkit/core";
import { ask } from "./prompt.js";
import type { Retry } from "./run-cli.js";

type Io = Parameters<typeof ask>[0];

/** How many answers one step takes before `login` gives up (Cognito's session allows a few). */
export const triesPerStep = 3;

/** The issuer an authenticator app shows for a TOTP set up by `cogkit login`. */
export const totpAppName = "cogkit";

const mfaNames: Record<MfaType, string> = { SMS: "SMS", EMAIL: "email", TOTP: "authenticator app (TOTP)" };

/**
 * Answers sign-in steps on the terminal until `done` (or a step `login` leaves to its caller,
 * `confirmSignUp`): a new password and any required attributes, MFA codes, the MFA method,
 * an authenticator app's setup, a custom challenge. A wrong code or a refused password is
 * said and asked again, up to {@link triesPerStep} times per step; `retry` sends each answer
 * again after a transient failure; other errors end it.
 *
 * @example
 * nextStep = await answerSignInSteps(client, nextStep, { io, username, retry });
 */
export async function answerSignInSteps(
  client: AuthClient,
  first: SignInNextStep,
  { io, username, retry = (call) => call() }: { io: Io; username: string; retry?: Retry },
): Promise<SignInNextStep> {
  const core = await import("@cogkit/core");
  let step = first;
  while (step.type !== "done" && step.type !== "confirmSignUp") {
    const current: SignInNextStep = step;
    // Asked once per step, before its first answer, and kept for the retries.
    const prepared = await prepare(client, current, { io, username }, core.setUpTotp);
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await answerFor(current, prepared, io);
        step = (await retry(() => client.confirmSignIn(answer))).nextStep;
        break;
      } catch (error) {
        const retry = core.isAuthError(error, "ERR_CODE_MISMATCH") || core.isAuthError(error, "ERR_INVALID_PASSWORD");
        if (!retry || attempt >= triesPerStep) throw error;
        io.stderr.write(core.isAuthError(error, "ERR_CODE_MISMATCH") ? "Wrong code; try again.\n" : `${(error as Error).message}; try again.\n`);
      }
    }
  }
  return step;
}

interface Prepared {
  attributes?: Record<string, string>;
  /** `selectMfaType` / `mfaSetup`: the method chosen. */
  method?: MfaType;
}

async function prepare(client: AuthClient, step: SignInNextStep, { io, username }: { io: Io; username: string }, setUpTotp: typeof import("@cogkit/core").setUpTotp): Promise<Prepared> {
  switch (step.type) {
    case "newPasswordRequired": {
      io.stderr.write("A new password is required.\n");
      const attributes: Record<string, string> = {};
      for (const name of step.requiredAttributes) attributes[name] = await askFilled(io, `${name}: `);
      return { attributes };
    }
    case "smsMfa":
    case "emailMfa": {
      const { destination, medium } = step.codeDelivery;
      const by = (medium ?? (step.type === "smsMfa" ? "SMS" : "EMAIL")) === "SMS" ? "by SMS" : "by email";
      io.stderr.write(`A sign-in code was sent ${by}${destination ? ` to ${destination}` : ""}.\n`);
      return {};
    }
    case "selectMfaType":
      return { method: await choose(io, step.allowedMfaTypes, "Which second factor?") };
    case "mfaSetup": {
      const method = await choose(io, step.allowedMfaTypes, "This account needs a second factor; set up which?");
      if (method === "TOTP") {
        // Named after what the user types to sign in; Cognito's own name can be a bare sub.
        const totp = await setUpTotp(client);
        io.stderr.write(
          `Add this account to your authenticator app with the URI (or a QR code of it):\n  ${totp.setupUri(totpAppName, username)}\nor type the secret in by hand:\n  ${totp.sharedSecret}\n`,
        );
      }
      return { method };
    }
    case "customChallenge": {
      const shown = Object.entries(step.parameters).filter(([key]) => key !== "USERNAME" && key !== "USER_ID_FOR_SRP");
      if (shown.length) io.stderr.write(`Challenge: ${shown.map(([key, value]) => `${key}=${value}`).join(", ")}\n`);
      return {};
    }
    default:
      return {};
  }
}

async function answerFor(step: SignInNextStep, prepared: Prepared, io: Io): Promise<{ challengeResponse: string; userAttributes?: Record<string, string> }> {
  switch (step.type) {
    case "newPasswordRequired":
      return { challengeResponse: await askNewPassword(io), userAttributes: prepared.attributes! };
    case "selectMfaType":
      return { challengeResponse: prepared.method! };
    case "mfaSetup":
      if (prepared.method === "EMAIL") return { challengeResponse: await askFilled(io, "Email address for sign-in codes: ") };
      return { challengeResponse: await askFilled(io, "Code from the authenticator app: ") };
    case "totpMfa":
      return { challengeResponse: await askFilled(io, "Code from the authenticator app: ") };
    case "customChallenge":
      return { challengeResponse: await askFilled(io, "Answer: ") };
    default:
      return { challengeResponse: await askFilled(io, "Sign-in code: ") };
  }
}

// A hidden password is typed twice: a typo in it would lock the user out of the account.
async function askNewPassword(io: Io): Promise<string> {
  for (;;) {
    const password = await askFilled(io, "New password: ", true);
    if ((await ask(io, "Repeat new password: ", { hidden: true })) === password) return password;
    io.stderr.write("The passwords differ; type them again.\n");
  }
}

async function askFilled(io: Io, question: string, hidden = false): Promise<string> {
  for (;;) {
    const answer = (await ask(io, question, { hidden })).trim();
    if (answer) return answer;
  }
}

async function choose(io: Io, allowed: MfaType[], question: string): Promise<MfaType> {
  if (allowed.length === 1) return allowed[0]!;
  if (allowed.length === 0) throw new Error("Cognito offered no second factor to choose");
  const options = allowed.map((type, i) => `  ${i + 1}) ${mfaNames[type]}`).join("\n");
  io.stderr.write(`${question}\n${options}\n`);
  for (;;) {
    const answer = (await ask(io, `Choose 1-${allowed.length}: `)).trim().toUpperCase();
    const picked = allowed[Number(answer) - 1] ?? allowed.find((type) => type === answer);
    if (picked) return picked;
  }
}
