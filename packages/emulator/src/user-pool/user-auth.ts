import { CognitoError, incorrectCredentials, invalidParameter } from "../protocol/cognito-error.js";
import { passwordMatches } from "../srp/srp-math.js";
import { decoyCredentials, startPasswordVerifier } from "../srp/password-verifier.js";
import type { ClientModel } from "../emulator-options.js";
import type { EmulatorState } from "../emulator-state.js";
import { isEmail } from "./attribute-schema.js";
import { carried, challenge, completeSignIn, type ChallengeData } from "./complete-sign-in.js";
import { deliverCode, simulatedDelivery, type CodeDeliveryDetails } from "./deliver-code.js";
import { answerChallengeSession, expiredSession, requiredResponse } from "./open-challenge-session.js";
import { checkPasswordLockout, maxWrongMfaCodes, recordRightPassword, recordWrongPassword } from "./password-lockout.js";
import type { UserRecord } from "./user-store.js";
import { checkPasskeyAnswer, passkeyChallenge, type PasskeyChallengeData } from "./webauthn-sign-in.js";

/** The challenges of choice-based sign-in a user may pick first. */
export type FirstChallenge = "PASSWORD" | "PASSWORD_SRP" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";
const firstChallenges: readonly FirstChallenge[] = ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];

/** What a SELECT_CHALLENGE session remembers: the choices offered (and, for a decoy, the login typed). */
interface SelectData extends ChallengeData {
  available: FirstChallenge[];
  decoyLogin?: string;
}

const verified = (user: UserRecord, name: "email" | "phone_number") => !!user.attributes.get(name) && user.attributes.get(`${name}_verified`) === "true";

/**
 * The first factors a user can sign in with: those the pool allows and the user has set up
 * (a password, a verified email or phone, a passkey). A user with MFA on gets no passwordless
 * factor, as in Cognito (MFA and passwordless sign-in do not mix).
 *
 * @example
 * availableChallenges(state, user); // ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
 */
export function availableChallenges(state: EmulatorState, user: UserRecord): FirstChallenge[] {
  const allowed = state.pool.allowedFirstAuthFactors;
  const list: FirstChallenge[] = [];
  if (allowed.has("PASSWORD") && !user.passwordless) list.push("PASSWORD", "PASSWORD_SRP");
  if ((user.mfa?.enabled.size ?? 0) > 0) return list;
  if (allowed.has("EMAIL_OTP") && verified(user, "email")) list.push("EMAIL_OTP");
  if (allowed.has("SMS_OTP") && verified(user, "phone_number")) list.push("SMS_OTP");
  if (allowed.has("WEB_AUTHN") && (user.passkeys?.length ?? 0) > 0) list.push("WEB_AUTHN");
  return list;
}

/**
 * Checks a password as a sign-in attempt: refused during a lockout, counted toward one when
 * wrong. Nothing else happens on success.
 */
export function provePassword(state: EmulatorState, user: UserRecord, password: string): void {
  checkPasswordLockout(state, user);
  if (!passwordMatches(user.password, { poolName: state.pool.name, userId: user.username, password }, state.modPow)) {
    recordWrongPassword(state, user);
    throw incorrectCredentials();
  }
  recordRightPassword(user);
}

/** The same password check against a decoy verifier, so an unknown user costs what a wrong password does. */
export function checkDecoyPassword(state: EmulatorState, login: string, password: string): void {
  const { userIdForSrp, stored } = decoyCredentials(state, login);
  passwordMatches(stored, { poolName: state.pool.name, userId: userIdForSrp, password }, state.modPow);
}

function codeDeliveryParameters(details: CodeDeliveryDetails) {
  return { CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium, CODE_DELIVERY_DESTINATION: details.Destination };
}

/**
 * The step that starts a first factor. PASSWORD and PASSWORD_SRP take PASSWORD or SRP_A from
 * `parameters` (InitiateAuth's or the SELECT_CHALLENGE answer's) and, without it, ask for it
 * with a challenge of that name. EMAIL_OTP and SMS_OTP send a sign-in code; WEB_AUTHN sends
 * request options. Passwordless factors skip MFA, as in Cognito.
 */
async function beginFirstFactor(state: EmulatorState, user: UserRecord, login: string, factor: FirstChallenge, parameters: Record<string, string>, carry: ChallengeData) {
  switch (factor) {
    case "PASSWORD": {
      if (!parameters.PASSWORD) return challenge(state, user, "PASSWORD", {}, carry);
      provePassword(state, user, parameters.PASSWORD);
      return completeSignIn(state, user, carry);
    }
    case "PASSWORD_SRP": {
      if (!parameters.SRP_A) return challenge(state, user, "PASSWORD_SRP", {}, carry);
      return startPasswordVerifier(state, user, login, parameters.SRP_A, carry);
    }
    case "EMAIL_OTP":
    case "SMS_OTP": {
      const details = deliverCode(state, user, "signIn", factor === "EMAIL_OTP" ? "email" : "phone_number");
      return challenge(state, user, factor, codeDeliveryParameters(details), { ...carry, passwordless: true });
    }
    case "WEB_AUTHN":
      return passkeyChallenge(state, user, carry);
  }
}

/**
 * What an unknown user gets when the client hides which users exist: the pool's factors, and
 * answers that fail like a real user's wrong ones (a decoy SRP challenge, a code never sent).
 */
function decoyFactors(state: EmulatorState, login: string): FirstChallenge[] {
  const allowed = state.pool.allowedFirstAuthFactors;
  const email = isEmail(login);
  return [
    ...(allowed.has("PASSWORD") ? (["PASSWORD", "PASSWORD_SRP"] as const) : []),
    ...(allowed.has("EMAIL_OTP") && email ? (["EMAIL_OTP"] as const) : []),
    ...(allowed.has("SMS_OTP") && !email ? (["SMS_OTP"] as const) : []),
  ];
}

/** A decoy session: opened for a login that names no user, so `username` is undefined. */
interface DecoyData extends ChallengeData {
  decoyLogin: string;
}

/**
 * The open decoy session a `Session` string names for this challenge, if it is one: then
 * the answer is refused the way a real user's wrong one is, by the caller.
 *
 * @example
 * const decoy = openDecoySession(state, sessionId, "EMAIL_OTP");
 */
export function openDecoySession(state: EmulatorState, sessionId: string | undefined, challengeName: string) {
  const session = sessionId === undefined ? undefined : state.authSessions.peek(sessionId);
  if (!session || session.username !== undefined || session.challengeName !== challengeName || state.clock.now() >= session.expiresAt) return undefined;
  const data = session.data as Partial<DecoyData>;
  if (data.decoyLogin === undefined) return undefined;
  return { session, data: data as DecoyData, finish: () => void state.authSessions.take(session.id) };
}

/** An answer to a decoy code challenge: wrong, counted against the session as a real one (the third ends it). */
export function refuseDecoyCode(decoy: NonNullable<ReturnType<typeof openDecoySession>>): CognitoError {
  decoy.data.wrongCodes = (decoy.data.wrongCodes ?? 0) + 1;
  if (decoy.data.wrongCodes >= maxWrongMfaCodes) decoy.finish();
  return new CognitoError("CodeMismatchException", "Invalid code or auth state for the user.");
}

function beginDecoyFactor(state: EmulatorState, login: string, factor: FirstChallenge, parameters: Record<string, string>) {
  const decoySession = (challengeName: string) => state.authSessions.open<DecoyData>({ challengeName, username: undefined, data: { decoyLogin: login } }).id;
  if (factor === "PASSWORD") {
    if (!parameters.PASSWORD) return { ChallengeName: "PASSWORD", ChallengeParameters: {}, Session: decoySession("PASSWORD") };
    checkDecoyPassword(state, login, parameters.PASSWORD);
    throw incorrectCredentials();
  }
  if (factor === "PASSWORD_SRP") {
    if (!parameters.SRP_A) return { ChallengeName: "PASSWORD_SRP", ChallengeParameters: {}, Session: decoySession("PASSWORD_SRP") };
    return startPasswordVerifier(state, undefined, login, parameters.SRP_A);
  }
  // A code "sent" to nobody; its session takes every code as a wrong one (see refuseDecoyCode).
  return { ChallengeName: factor, ChallengeParameters: codeDeliveryParameters(simulatedDelivery(login)), Session: decoySession(factor) };
}

function selectChallenge(state: EmulatorState, user: UserRecord | undefined, available: FirstChallenge[], data: Omit<SelectData, "available">) {
  const session = state.authSessions.open({ challengeName: "SELECT_CHALLENGE", username: user?.username, data: { ...data, available } });
  return { ChallengeName: "SELECT_CHALLENGE", ChallengeParameters: {}, AvailableChallenges: available, Session: session.id };
}

/** The emulator's own name for the session that signs in right after ConfirmSignUp (no challenge answers it). */
const signUpSessionName = "SIGN_UP_CONFIRMED";

/**
 * The `Session` ConfirmSignUp hands out: InitiateAuth USER_AUTH with it (and the username)
 * signs the new user in once, within the sign-in session lifetime (3 minutes).
 */
export function openSignUpSession(state: EmulatorState, user: UserRecord): string {
  return state.authSessions.open({ challengeName: signUpSessionName, username: user.username, data: {} }).id;
}

function signInAfterSignUp(state: EmulatorState, login: string, sessionId: string, carry: ChallengeData) {
  const session = state.authSessions.peek(sessionId);
  if (!session || session.challengeName !== signUpSessionName) throw expiredSession();
  state.authSessions.take(session.id);
  const user = session.username === undefined ? undefined : state.users.byUsername(session.username);
  if (!user || state.clock.now() >= session.expiresAt) throw expiredSession();
  if (state.users.byLogin(login) !== user) throw new CognitoError("NotAuthorizedException", "Invalid session for the user.");
  return completeSignIn(state, user, carry);
}

/**
 * InitiateAuth USER_AUTH (choice-based sign-in). With a `Session` from ConfirmSignUp it signs
 * the new user in. Otherwise a PREFERRED_CHALLENGE the user has starts at once; without one
 * (or with one the user lacks) the answer is SELECT_CHALLENGE with `AvailableChallenges`.
 */
export async function startUserAuth(state: EmulatorState, client: ClientModel, parameters: Record<string, string>, sessionId: string | undefined) {
  const login = requiredResponse(parameters, "USERNAME");
  const preferred = parameters.PREFERRED_CHALLENGE;
  if (preferred !== undefined && !firstChallenges.includes(preferred as FirstChallenge)) {
    throw invalidParameter(`Invalid PREFERRED_CHALLENGE: ${preferred} is not one of ${firstChallenges.join(", ")}`);
  }
  const carry: ChallengeData = parameters.DEVICE_KEY ? { deviceKey: parameters.DEVICE_KEY } : {};
  if (sessionId !== undefined) return signInAfterSignUp(state, login, sessionId, carry);
  const user = state.users.byLogin(login);
  if (!user) {
    if (!client.preventUserExistenceErrors) throw new CognitoError("UserNotFoundException", "User does not exist.");
    const available = decoyFactors(state, login);
    if (preferred && available.includes(preferred as FirstChallenge)) return beginDecoyFactor(state, login, preferred as FirstChallenge, parameters);
    return selectChallenge(state, undefined, available, { decoyLogin: login });
  }
  const available = availableChallenges(state, user);
  if (available.length === 0) throw incorrectCredentials();
  if (preferred && available.includes(preferred as FirstChallenge)) return beginFirstFactor(state, user, login, preferred as FirstChallenge, parameters, carry);
  return selectChallenge(state, user, available, carry);
}

type Responder = (state: EmulatorState, responses: Record<string, string>, sessionId: string | undefined) => Promise<Record<string, unknown>>;

/**
 * Answers a PASSWORD or PASSWORD_SRP challenge (asked for when the choice came without the
 * password or SRP_A): the factor begins with the member now given. A decoy's fails as a
 * wrong one would.
 */
function askedFactor(factor: "PASSWORD" | "PASSWORD_SRP", member: "PASSWORD" | "SRP_A"): Responder {
  return async (state, responses, sessionId) => {
    const decoy = openDecoySession(state, sessionId, factor);
    if (decoy) {
      decoy.finish();
      return beginDecoyFactor(state, decoy.data.decoyLogin, factor, { [member]: requiredResponse(responses, member) });
    }
    const { user, session, finish } = answerChallengeSession(state, factor, responses, sessionId);
    const value = requiredResponse(responses, member);
    finish();
    return beginFirstFactor(state, user, responses.USERNAME!, factor, { [member]: value }, carried(session.data as ChallengeData));
  };
}

/** Answers the steps of choice-based sign-in: SELECT_CHALLENGE, PASSWORD, PASSWORD_SRP and WEB_AUTHN. */
export const userAuthResponders: Record<"SELECT_CHALLENGE" | "PASSWORD" | "PASSWORD_SRP" | "WEB_AUTHN", Responder> = {
  async SELECT_CHALLENGE(state, responses, sessionId) {
    const answer = requiredResponse(responses, "ANSWER");
    const decoy = openDecoySession(state, sessionId, "SELECT_CHALLENGE");
    if (decoy) {
      const { available } = decoy.data as DecoyData & SelectData;
      decoy.finish();
      if (!available.includes(answer as FirstChallenge)) throw invalidParameter(`Invalid ANSWER: ${answer} is not one of ${available.join(", ")}`);
      return beginDecoyFactor(state, decoy.data.decoyLogin, answer as FirstChallenge, responses);
    }
    const { user, session, finish } = answerChallengeSession(state, "SELECT_CHALLENGE", responses, sessionId);
    const data = session.data as SelectData;
    if (!data.available.includes(answer as FirstChallenge)) throw invalidParameter(`Invalid ANSWER: ${answer} is not one of ${data.available.join(", ")}`);
    if (answer === "WEB_AUTHN" && responses.CREDENTIAL) {
      throw invalidParameter("A CREDENTIAL must answer the challenge of a WEB_AUTHN step: answer SELECT_CHALLENGE with ANSWER WEB_AUTHN alone first");
    }
    finish();
    return beginFirstFactor(state, user, responses.USERNAME!, answer as FirstChallenge, responses, carried(data));
  },

  PASSWORD: askedFactor("PASSWORD", "PASSWORD"),
  PASSWORD_SRP: askedFactor("PASSWORD_SRP", "SRP_A"),

  async WEB_AUTHN(state, responses, sessionId) {
    const { user, session, finish } = answerChallengeSession(state, "WEB_AUTHN", responses, sessionId);
    const credential = requiredResponse(responses, "CREDENTIAL");
    // The challenge is single-use: any answer, right or wrong, ends the session.
    finish();
    const data = session.data as PasskeyChallengeData;
    await checkPasskeyAnswer(state, user, credential, data);
    return completeSignIn(state, user, { ...carried(data), mfaDone: true });
  },
};
