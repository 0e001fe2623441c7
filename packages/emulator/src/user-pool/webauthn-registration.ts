import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import { authenticateAccessToken } from "./get-user.js";
import type { UserRecord } from "./user-store.js";
import { allowedOriginOf, createWebAuthnChallenge, loadWebAuthnServer, refusalOf, userHandleOf, type WebAuthnRefusal } from "./webauthn-ceremony.js";
import { maxPasskeysPerUser, requireWebAuthn } from "./webauthn-credentials.js";

/** The registration a user has started, found by this key in the sign-in session store (one per user). */
const registrationKey = (username: string) => `webauthn-registration:${username}`;

/** How long the authenticator may take, in the creation options. */
const registrationTimeoutMs = 60_000;

function tooManyPasskeys(user: UserRecord): boolean {
  return (user.passkeys?.length ?? 0) >= maxPasskeysPerUser;
}

const limitReached = () => new CognitoError("LimitExceededException", `A user can register at most ${maxPasskeysPerUser} passkeys.`);

/** The name a user types to sign in: their email or phone in pools that sign in with those. */
function displayLogin(state: EmulatorState, user: UserRecord): string {
  for (const name of state.pool.usernameAttributes) {
    const value = user.attributes.get(name);
    if (value) return value;
  }
  return user.username;
}

/**
 * `StartWebAuthnRegistration`: creation options for `navigator.credentials.create`, with a
 * one-time challenge that `CompleteWebAuthnRegistration` must answer within the sign-in
 * session lifetime (3 minutes). A new start replaces the user's previous one.
 */
export async function startWebAuthnRegistration(input: Record<string, unknown>, state: EmulatorState) {
  const user = await authenticateAccessToken(input, state);
  requireWebAuthn(state);
  if (tooManyPasskeys(user)) throw limitReached();
  const challenge = createWebAuthnChallenge();
  // The previous start's challenge ends here rather than lingering under a key now another's.
  state.authSessions.take(registrationKey(user.username));
  state.authSessions.open({ challengeName: "WEBAUTHN_REGISTRATION", username: user.username, data: { challenge }, key: registrationKey(user.username) });
  const { relyingPartyId, userVerification } = state.pool.webAuthn;
  return {
    CredentialCreationOptions: {
      rp: { id: relyingPartyId, name: relyingPartyId },
      user: { id: userHandleOf(user.sub), name: displayLogin(state, user), displayName: "" },
      challenge,
      pubKeyCredParams: [
        { type: "public-key", alg: -7 },
        { type: "public-key", alg: -257 },
      ],
      timeout: registrationTimeoutMs,
      excludeCredentials: (user.passkeys ?? []).map((p) => ({ type: "public-key", id: p.credentialId })),
      authenticatorSelection: { requireResidentKey: true, residentKey: "required", userVerification },
    },
  };
}

const registrationRefusals: Record<WebAuthnRefusal, () => CognitoError> = {
  origin: () => new CognitoError("WebAuthnOriginNotAllowedException", "The passkey was registered on a page origin this user pool does not allow."),
  relyingParty: () => new CognitoError("WebAuthnRelyingPartyMismatchException", "The passkey is for another relying party than this user pool's."),
  challenge: () => new CognitoError("WebAuthnChallengeNotFoundException", "The registration answers no challenge of StartWebAuthnRegistration that is still open."),
  userVerification: () => new CognitoError("WebAuthnCredentialNotSupportedException", "The authenticator did not verify the user, which this user pool requires."),
  algorithm: () => new CognitoError("WebAuthnCredentialNotSupportedException", "The passkey's key algorithm is not supported (ES256 or RS256)."),
  counter: () => invalidParameter("The passkey registration is not valid."),
  malformed: () => invalidParameter("Credential is not a valid RegistrationResponseJSON."),
};

/**
 * `CompleteWebAuthnRegistration`: verifies the authenticator's answer to the user's open
 * challenge (used up by any answer) — origin, relying party id hash, challenge, user
 * verification where the pool requires it, an ES256 or RS256 key — and stores the passkey.
 */
export async function completeWebAuthnRegistration(input: Record<string, unknown>, state: EmulatorState) {
  const user = await authenticateAccessToken(input, state);
  requireWebAuthn(state);
  const credential = input.Credential;
  if (typeof credential !== "object" || credential === null || Array.isArray(credential)) {
    throw invalidParameter("Credential must be a RegistrationResponseJSON object");
  }
  const pending = state.authSessions.take(registrationKey(user.username));
  if (!pending || state.clock.now() >= pending.expiresAt) throw registrationRefusals.challenge();
  const origin = allowedOriginOf(state, credential, (reason) => registrationRefusals[reason]());
  const { verifyRegistrationResponse } = await loadWebAuthnServer();
  const { relyingPartyId, userVerification } = state.pool.webAuthn;
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response: credential as Parameters<typeof verifyRegistrationResponse>[0]["response"],
      expectedChallenge: (pending.data as { challenge: string }).challenge,
      expectedOrigin: origin,
      expectedRPID: relyingPartyId,
      requireUserVerification: userVerification === "required",
      supportedAlgorithmIDs: [-7, -257],
    });
  } catch (error) {
    throw registrationRefusals[refusalOf(error)]();
  }
  if (!verification.verified) throw registrationRefusals.malformed();
  const registered = verification.registrationInfo.credential;
  if (tooManyPasskeys(user)) throw limitReached();
  if ((user.passkeys ?? []).some((p) => p.credentialId === registered.id)) throw invalidParameter("This passkey is already registered to the user.");
  const transports = (credential as { response?: { transports?: unknown } }).response?.transports;
  const attachment = (credential as { authenticatorAttachment?: unknown }).authenticatorAttachment;
  const now = state.clock.now();
  user.passkeys ??= [];
  user.passkeys.push({
    credentialId: registered.id,
    publicKey: Buffer.from(registered.publicKey).toString("base64url"),
    counter: registered.counter,
    transports: Array.isArray(transports) ? transports.filter((t): t is string => typeof t === "string") : [],
    ...(typeof attachment === "string" ? { attachment } : {}),
    relyingPartyId,
    friendlyName: `Passkey ${user.passkeys.length + 1}`,
    createdAt: now,
  });
  user.updatedAt = now;
  return {};
}
