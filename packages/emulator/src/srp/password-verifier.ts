import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { CognitoError, incorrectCredentials, invalidParameter } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import type { ChallengeData } from "../user-pool/complete-sign-in.js";
import { checkPasswordLockout, recordRightPassword, recordWrongPassword } from "../user-pool/password-lockout.js";
import type { UserRecord } from "../user-pool/user-store.js";
import { createServerEphemeral, deriveSessionKey, passwordClaimSignature, srpModulus, type SrpVerifier } from "./srp-math.js";
import { parseSrpTimestamp } from "./srp-timestamp.js";

/** How far a client's TIMESTAMP may be from the emulator clock or the real clock. */
export const maxTimestampSkewMs = 5 * 60 * 1000;

/**
 * The TIMESTAMP is the client's wall clock, which knows nothing of `advanceTime`; so it
 * passes when it is close to either the emulator's virtual clock or the real one.
 */
export function isTimestampFresh(signedAt: number, emulatorNow: number, realNow: number = Date.now()): boolean {
  return Math.abs(signedAt - emulatorNow) <= maxTimestampSkewMs || Math.abs(signedAt - realNow) <= maxTimestampSkewMs;
}

interface VerifierSessionData {
  /** The "pool name" hashed into the proof: the pool's name, or a device's group key. */
  poolName: string;
  /** The "user id" hashed into the proof: the username, or a device's key. */
  userIdForSrp: string;
  A: bigint;
  b: bigint;
  B: bigint;
  verifier: bigint;
  secretBlock: string;
  /** What the sign-in carries past this step (e.g. a DEVICE_KEY given with InitiateAuth). */
  carry: ChallengeData;
}

/**
 * Opens a one-time SRP verifier session (PASSWORD_VERIFIER, DEVICE_PASSWORD_VERIFIER): makes
 * `B` from the stored verifier and a SECRET_BLOCK the answer must sign.
 */
export function openVerifierSession(
  state: EmulatorState,
  input: { challengeName: string; username: string | undefined; poolName: string; userIdForSrp: string; stored: SrpVerifier; srpA: string; carry?: ChallengeData },
) {
  if (!/^[0-9a-fA-F]+$/.test(input.srpA)) throw invalidParameter("SRP_A must be a hexadecimal number");
  const A = BigInt(`0x${input.srpA}`);
  if (A % srpModulus === 0n) throw invalidParameter("SRP_A cannot be 0 mod N");
  const { b, B } = createServerEphemeral(input.stored.verifier, state.modPow);
  // Opaque to the client, which signs its bytes; Cognito's are long base64 blobs too.
  const secretBlock = randomBytes(512).toString("base64");
  const data: VerifierSessionData = {
    poolName: input.poolName,
    userIdForSrp: input.userIdForSrp,
    A,
    b,
    B,
    verifier: input.stored.verifier,
    secretBlock,
    carry: input.carry ?? {},
  };
  const session = state.authSessions.open({ challengeName: input.challengeName, username: input.username, data, key: secretBlock });
  return { session, secretBlock, B, salt: input.stored.salt };
}

/**
 * Checks an SRP proof against its verifier session: the SECRET_BLOCK must be one this emulator
 * issued for `challengeName` and not yet used, the TIMESTAMP well-formed and close to the
 * emulator or the real clock, USERNAME the session's user, and the signature the HMAC only
 * the secret's owner can compute. A failed proof uses the session up; a good one leaves it
 * to `finish()`, so a step refused after the proof (an unknown DEVICE_KEY, which the SDKs
 * retry without) can be answered again. With `password`, the proof is a password attempt:
 * refused during a lockout, and counted toward one when wrong. Returns the user and what the
 * session carries.
 */
export function checkVerifierProof(
  state: EmulatorState,
  challengeName: string,
  responses: { username: string; secretBlock: string; signature: string; timestamp: string },
  sessionId: string | undefined,
  options: { password?: boolean } = {},
): { user: UserRecord; carry: ChallengeData; finish: () => void } {
  const session = state.authSessions.peekKey(responses.secretBlock);
  if (!session || session.challengeName !== challengeName) throw incorrectCredentials();
  const finish = () => void state.authSessions.take(session.id);
  const refuse = (error: CognitoError) => {
    finish();
    return error;
  };
  if (sessionId !== undefined && sessionId !== session.id) throw refuse(new CognitoError("NotAuthorizedException", "Invalid session for the user."));
  if (state.clock.now() >= session.expiresAt) throw refuse(new CognitoError("NotAuthorizedException", "Invalid session for the user, session is expired."));
  const data = session.data as VerifierSessionData;
  const signedAt = parseSrpTimestamp(responses.timestamp);
  if (signedAt === undefined) throw refuse(invalidParameter("TIMESTAMP is not of the form 'ddd MMM d HH:mm:ss UTC yyyy'"));
  if (!isTimestampFresh(signedAt, state.clock.now())) throw refuse(incorrectCredentials());
  const sessionUser = session.username === undefined ? undefined : state.users.byUsername(session.username);
  const user = sessionUser && state.users.byLogin(responses.username) === sessionUser ? sessionUser : undefined;
  // A password proof is a password attempt: refused outright while the user is locked out.
  if (user && options.password) {
    try {
      checkPasswordLockout(state, user);
    } catch (error) {
      throw refuse(error as CognitoError);
    }
  }
  // The proof is checked whether or not the user exists, so a decoy session of an
  // unknown user costs the same maths as a known user's wrong password.
  const key = deriveSessionKey({ A: data.A, B: data.B, b: data.b, verifier: data.verifier }, state.modPow);
  const expected =
    key &&
    passwordClaimSignature({
      key,
      poolName: data.poolName,
      userId: data.userIdForSrp,
      secretBlock: Buffer.from(data.secretBlock, "base64"),
      timestamp: responses.timestamp,
    });
  const given = Buffer.from(responses.signature);
  const wanted = Buffer.from(expected ?? "");
  const proven = expected !== undefined && given.length === wanted.length && timingSafeEqual(given, wanted);
  if (!user || !proven) {
    if (user && options.password) recordWrongPassword(state, user);
    throw refuse(incorrectCredentials());
  }
  if (options.password) recordRightPassword(user);
  return { user, carry: data.carry, finish };
}

/**
 * What an unknown user answers with when the client prevents user existence errors: a
 * USER_ID_FOR_SRP and a verifier that cannot be told from a real user's. Derived from the
 * login, so asking twice gives the same id and salt, as a real user's would. The id is a UUID
 * v4 like a real sub (version 4, RFC 4122 variant: any of 8, 9, a, b); the verifier is a
 * number below N of a real one's size. It costs no modPow, as a known user's stored verifier
 * costs none at sign-in, so both paths then run the same maths.
 *
 * @example
 * const { userIdForSrp, stored } = decoyCredentials(state, "nobody@example.com");
 */
export function decoyCredentials(state: EmulatorState, login: string): { userIdForSrp: string; stored: SrpVerifier } {
  const mac = (label: string) => createHmac("sha256", state.decoySecret).update(`${label}:${login.toLowerCase()}`).digest();
  const id = Buffer.from(mac("id").subarray(0, 16));
  id[6] = (id[6]! & 0x0f) | 0x40;
  id[8] = (id[8]! & 0x3f) | 0x80;
  const hex = id.toString("hex");
  const userIdForSrp =
    state.pool.usernameAttributes.length > 0 ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}` : login;
  // 13 × 256 bits, a little more than N's 3072, reduced below N like g^x mod N.
  const wide = Buffer.concat(Array.from({ length: 13 }, (_, i) => mac(`v${i}`)));
  const verifier = BigInt(`0x${wide.toString("hex")}`) % srpModulus;
  return { userIdForSrp, stored: { salt: BigInt(`0x${mac("salt").subarray(0, 16).toString("hex")}`), verifier } };
}

/**
 * Starts USER_SRP_AUTH: answers the PASSWORD_VERIFIER challenge with SALT, SRP_B and a
 * one-time SECRET_BLOCK. An unknown user gets a decoy challenge that can never be answered.
 * `carry` rides along to the answer (a DEVICE_KEY given with InitiateAuth).
 */
export function startPasswordVerifier(state: EmulatorState, user: UserRecord | undefined, login: string, srpA: string, carry: ChallengeData = {}) {
  const { userIdForSrp, stored } = user ? { userIdForSrp: user.username, stored: user.password } : decoyCredentials(state, login);
  const { session, secretBlock, B } = openVerifierSession(state, {
    challengeName: "PASSWORD_VERIFIER",
    username: user?.username,
    poolName: state.pool.name,
    userIdForSrp,
    stored,
    srpA,
    carry,
  });
  return {
    ChallengeName: "PASSWORD_VERIFIER",
    ChallengeParameters: {
      SALT: stored.salt.toString(16),
      SECRET_BLOCK: secretBlock,
      SRP_B: B.toString(16),
      USERNAME: userIdForSrp,
      USER_ID_FOR_SRP: userIdForSrp,
    },
    Session: session.id,
  };
}

/** Checks a PASSWORD_VERIFIER answer (see `checkVerifierProof`), counting it toward the user's lockout. */
export function checkPasswordVerifier(
  state: EmulatorState,
  responses: { username: string; secretBlock: string; signature: string; timestamp: string },
  sessionId: string | undefined,
): { user: UserRecord; carry: ChallengeData; finish: () => void } {
  return checkVerifierProof(state, "PASSWORD_VERIFIER", responses, sessionId, { password: true });
}
