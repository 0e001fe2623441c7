import type { EmulatorState } from "../emulator-state.js";
import { CognitoError } from "../protocol/cognito-error.js";
import { passwordMatches } from "../srp/srp-math.js";
import { mfaChallenge, missingRequiredAttributes, nextSignInStep, userFactors, type ChallengeData } from "../user-pool/complete-sign-in.js";
import { openChallengeSession } from "../user-pool/open-challenge-session.js";
import { answerMfaCode, checkPasswordLockout, recordRightPassword, recordWrongPassword } from "../user-pool/password-lockout.js";
import { totpMatches } from "../user-pool/totp.js";
import type { MfaFactor, UserRecord } from "../user-pool/user-store.js";
import { checkAuthorizeRequest, type AuthorizeRequest } from "./authorize-request.js";
import { finishSignIn } from "./hosted-session.js";
import { errorPage, escapeHtml, hiddenField, htmlPage } from "./html-page.js";
import { answerNewPassword } from "./new-password-step.js";
import { finishTotpSetup, startTotpSetup } from "./totp-setup-step.js";

/** A step of the login page after the password, as Cognito names its challenge. */
type Step = { ChallengeName: string; ChallengeParameters: Record<string, string>; Session: string };

const codeSteps = new Set(["SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA"]);
const stepTitles: Record<string, string> = {
  SMS_MFA: "Enter the code we texted you",
  EMAIL_OTP: "Enter the code we emailed you",
  SOFTWARE_TOKEN_MFA: "Enter the code from your authenticator app",
  NEW_PASSWORD_REQUIRED: "Change your password",
  SELECT_MFA_TYPE: "Choose how to verify it is you",
  MFA_SETUP: "Set up an authenticator app",
};
const factorLabels: Record<string, string> = { SMS_MFA: "Text message (SMS)", EMAIL_OTP: "Email", SOFTWARE_TOKEN_MFA: "Authenticator app" };

/** The `/oauth2/authorize` URL of a request with other parameters (the provider links of the login page). */
export function authorizeLink(request: AuthorizeRequest, extra: Record<string, string>): string {
  const query = new URLSearchParams({ client_id: request.clientId, response_type: "code", redirect_uri: request.redirectUri, scope: request.scopes.join(" ") });
  const optional: Array<[string, string | undefined]> = [
    ["state", request.state],
    ["nonce", request.nonce],
    ["code_challenge", request.codeChallenge],
    ["code_challenge_method", request.codeChallenge && "S256"],
    ["login_hint", request.loginHint],
    ["lang", request.lang],
  ];
  for (const [name, value] of optional) if (value !== undefined) query.set(name, value);
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  return `/oauth2/authorize?${query}`;
}

function alert(error: string | undefined): string {
  return error === undefined ? "" : `<p class="error" role="alert">${escapeHtml(error)}</p>\n`;
}

function passwordForm(state: EmulatorState, key: string, request: AuthorizeRequest, options: { error?: string; username?: string; status?: number } = {}): Response {
  const providers = [...state.oauth.settings.providers.values()];
  const links =
    providers.length === 0
      ? ""
      : `<ul class="providers">\n${providers
          .map((p) => `<li><a href="${escapeHtml(authorizeLink(request, { identity_provider: p.name }))}" data-provider="${escapeHtml(p.name)}">Continue with ${escapeHtml(p.name)}</a></li>`)
          .join("\n")}\n</ul>\n<p>or</p>\n`;
  const username = options.username ?? request.loginHint ?? "";
  return htmlPage({
    title: "Sign in",
    page: "login",
    ...(options.status !== undefined ? { status: options.status } : {}),
    body: `<h1>Sign in</h1>
${alert(options.error)}${links}<form method="post" action="/login" data-step="PASSWORD">
${hiddenField("request", key)}
<label>Username <input name="username" autocomplete="username" value="${escapeHtml(username)}" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>`,
  });
}

/** `given_name` → `Given name`, `custom:plan` → `Plan`: a label for an attribute's input. */
function attributeLabel(name: string): string {
  const words = name.replace(/^custom:/, "").replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const codeInput = `<label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" required></label>`;

/**
 * A step's form. `values` refills the attribute inputs after a refusal (never a password
 * or code); the MFA_SETUP step's secret is shown, not sent back: its session keeps it.
 */
function stepForm(key: string, step: Step, options: { error?: string; values?: URLSearchParams } = {}): Response {
  const { error, values } = options;
  const name = step.ChallengeName;
  let fields: string;
  if (codeSteps.has(name)) {
    const to = step.ChallengeParameters.CODE_DELIVERY_DESTINATION;
    fields = `${to ? `<p>We sent a code to ${escapeHtml(to)}.</p>\n` : ""}${codeInput}
<button type="submit">Sign in</button>`;
  } else if (name === "MFA_SETUP") {
    fields = `<p>Add this key to your authenticator app:</p>
<p><code data-secret-code>${escapeHtml(step.ChallengeParameters.SECRET_CODE ?? "")}</code></p>
<p>or open this link on the device that has the app:</p>
<p><code data-otpauth-uri>${escapeHtml(step.ChallengeParameters.OTPAUTH_URI ?? "")}</code></p>
<p>Then enter the code the app shows.</p>
${codeInput}
<button type="submit">Verify and sign in</button>`;
  } else if (name === "NEW_PASSWORD_REQUIRED") {
    const asked = (JSON.parse(step.ChallengeParameters.requiredAttributes ?? "[]") as string[]).map((n) => n.replace(/^userAttributes\./, ""));
    const attributeInputs = asked
      .map((attribute) => `<label>${escapeHtml(attributeLabel(attribute))} <input name="${escapeHtml(attribute)}" value="${escapeHtml(values?.get(attribute) ?? "")}" required></label>\n`)
      .join("");
    fields = `<label>New password <input name="newPassword" type="password" autocomplete="new-password" required></label>
${attributeInputs}<button type="submit">Change password</button>`;
  } else {
    const factors = JSON.parse(step.ChallengeParameters.MFAS_CAN_CHOOSE ?? "[]") as string[];
    fields = `${factors
      .map((f, i) => `<label><input type="radio" name="mfaType" value="${escapeHtml(f)}"${i === 0 ? " checked" : ""}> ${escapeHtml(factorLabels[f] ?? f)}</label>`)
      .join("\n")}
<button type="submit">Continue</button>`;
  }
  return htmlPage({
    title: stepTitles[name] ?? "Sign in",
    page: "login",
    ...(error !== undefined ? { status: 400 } : {}),
    body: `<h1>${escapeHtml(stepTitles[name] ?? "Sign in")}</h1>
${alert(error)}<form method="post" action="/login" data-step="${escapeHtml(name)}">
${hiddenField("request", key)}
${hiddenField("session", step.Session)}
${hiddenField("step", name)}
${fields}
</form>`,
  });
}

/** `GET /login`: the pool's own sign-in form, for the same parameters as `/oauth2/authorize`. */
export function showLoginPage(state: EmulatorState, url: URL): Response {
  const checked = checkAuthorizeRequest(state, url.searchParams);
  if (checked.refusal) return checked.refusal;
  const request = { ...checked.request, provider: undefined };
  return passwordForm(state, state.oauth.requests.put(request), request);
}

/** After the last step: the code back to the app, and the hosted session starts. */
function signedIn(state: EmulatorState, request: AuthorizeRequest, user: UserRecord): Response {
  return finishSignIn(state, request, user, { authTime: Math.floor(state.clock.now() / 1000), providerName: undefined, remember: true });
}

function next(state: EmulatorState, key: string, request: AuthorizeRequest, user: UserRecord, step: Step | undefined): Response {
  if (!step) return signedIn(state, request, user);
  if (step.ChallengeName === "MFA_SETUP") {
    // Cognito's managed login sets up an authenticator app here; TOTP is what the emulator offers to set up.
    const canSetUp = JSON.parse(step.ChallengeParameters.MFAS_CAN_SETUP ?? "[]") as string[];
    if (!canSetUp.includes("SOFTWARE_TOKEN_MFA")) return errorPage("invalid_request", "This user must set up MFA, and the login page can set up only an authenticator app.", 400);
    return stepForm(key, startTotpSetup(state, step.Session));
  }
  return stepForm(key, step);
}

async function answerStep(state: EmulatorState, key: string, request: AuthorizeRequest, form: URLSearchParams): Promise<Response> {
  const stepName = form.get("step") ?? "";
  const sessionId = form.get("session") ?? "";
  let found: ReturnType<typeof openChallengeSession>;
  try {
    found = openChallengeSession(state, sessionId, stepName);
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    // The step's session lives three minutes, like Cognito's: sign in again.
    return passwordForm(state, key, request, { error: "Your session has expired. Sign in again.", status: 400 });
  }
  const { user, session, finish } = found;
  const again = (message: string, parameters: Record<string, string> = {}) =>
    stepForm(key, { ChallengeName: stepName, ChallengeParameters: parameters, Session: sessionId }, { error: message, values: form });
  // As in the API: a wrong code counts toward the user's lockout, and the third ends the
  // step's session, so the page sends the user back to their password.
  const wrongCode = () =>
    state.authSessions.peek(sessionId) ? again("Invalid code received for user.") : passwordForm(state, key, request, { error: "Too many wrong codes. Sign in again.", status: 400 });
  try {
    if (stepName === "SMS_MFA" || stepName === "EMAIL_OTP") {
      const pending = user.codes.get("mfa");
      if (!answerMfaCode(state, user, session.data as ChallengeData, finish, pending?.code === (form.get("code") ?? "").trim())) return wrongCode();
      user.codes.delete("mfa");
      finish();
      return next(state, key, request, user, nextSignInStep(state, user, { mfaDone: true }));
    }
    if (stepName === "SOFTWARE_TOKEN_MFA") {
      const secret = user.softwareTokenSecret;
      if (!answerMfaCode(state, user, session.data as ChallengeData, finish, !!secret && totpMatches(secret, (form.get("code") ?? "").trim(), state.clock.now()))) return wrongCode();
      finish();
      return next(state, key, request, user, nextSignInStep(state, user, { mfaDone: true }));
    }
    if (stepName === "SELECT_MFA_TYPE") {
      const choice = form.get("mfaType") ?? "";
      if (!(userFactors(state, user) as string[]).includes(choice)) return again("Choose one of the listed ways.");
      finish();
      return stepForm(key, mfaChallenge(state, user, choice as MfaFactor));
    }
    if (stepName === "NEW_PASSWORD_REQUIRED") {
      const refusal = answerNewPassword(state, user, finish, form);
      if (refusal !== undefined) return again(refusal, { requiredAttributes: JSON.stringify(missingRequiredAttributes(state, user)) });
      return next(state, key, request, user, nextSignInStep(state, user));
    }
    if (stepName === "MFA_SETUP") {
      const setup = finishTotpSetup(state, sessionId, (form.get("code") ?? "").trim());
      if (setup.outcome === "unusable") return passwordForm(state, key, request, { error: "Your session has expired. Sign in again.", status: 400 });
      if (setup.outcome === "wrongCode") return stepForm(key, setup.step, { error: "Code mismatch: enter the code your authenticator app shows now." });
      return next(state, key, request, setup.user, nextSignInStep(state, setup.user, { mfaDone: true }));
    }
  } catch (error) {
    if (error instanceof CognitoError) return passwordForm(state, key, request, { error: error.message, status: 400 });
    throw error;
  }
  return errorPage("invalid_request", "Unknown sign-in step.");
}

/**
 * `POST /login`: the password (fields `request`, `username`, `password`), then each step
 * Cognito's managed login asks: a new password (`newPassword`, with the required attributes
 * the user lacks by their names, e.g. `given_name`), an MFA code (`code`), a choice of
 * factor (`mfaType`), an authenticator to set up when MFA is required (its `code`); each
 * form carries `request`, `session` and `step`. A wrong answer shows the form again with
 * an error, never the secret typed.
 */
export async function submitLoginPage(state: EmulatorState, form: URLSearchParams): Promise<Response> {
  const key = form.get("request") ?? "";
  const request = key === "" ? undefined : state.oauth.requests.get(key);
  if (!request) return errorPage("invalid_request", "This sign-in has expired or is unknown. Start again from the app.");
  if (form.has("step")) return answerStep(state, key, request, form);

  const login = form.get("username") ?? "";
  const password = form.get("password") ?? "";
  const user = login === "" ? undefined : state.users.byLogin(login);
  const refuse = (message = "Incorrect username or password.") => passwordForm(state, key, request, { error: message, username: login, status: 400 });
  if (!user || user.status === "EXTERNAL_PROVIDER") return refuse();
  // The page is one more way to try a password: it shares the API's lockout.
  try {
    checkPasswordLockout(state, user);
  } catch (error) {
    if (error instanceof CognitoError) return refuse(error.message);
    throw error;
  }
  if (!passwordMatches(user.password, { poolName: state.pool.name, userId: user.username, password })) {
    recordWrongPassword(state, user);
    return refuse();
  }
  recordRightPassword(user);
  try {
    return next(state, key, request, user, nextSignInStep(state, user));
  } catch (error) {
    if (error instanceof CognitoError) return refuse(error.message);
    throw error;
  }
}
